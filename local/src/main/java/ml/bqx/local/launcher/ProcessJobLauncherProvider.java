package ml.bqx.local.launcher;

import java.net.URI;
import java.nio.file.Path;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.Deployment;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.port.JobLauncher;
import ml.bqx.core.port.JobLauncherProvider;

/**
 * Answers {@code process:///workdir} with a launcher of child processes running the job's main on
 * this JVM's class path, with this process's settings as the job's environment. {@code ?main=CLASS}
 * runs another main class (tests use it). Each job gets its {@link MachineShare}: the run's jobs
 * run on this one machine, at most the lesser of the run's and the project's caps at once.
 */
public final class ProcessJobLauncherProvider implements JobLauncherProvider {
  @Override
  public String scheme() {
    return "process";
  }

  @Override
  public JobLauncher open(URI uri, BqxConfig config) {
    String main = Deployment.JOB_MAIN_CLASS;
    String query = uri.getQuery();
    if (query != null && query.startsWith("main=")) {
      main = query.substring("main=".length());
    }
    Path workdir = Path.of(uri.getPath());
    int jobsAtOnce =
        Math.min(
            config.positiveInt(EnvKey.BQX_MAX_CONCURRENT),
            config.positiveInt(EnvKey.BQX_PROJECT_MAX_CONCURRENT));
    MachineShare share = MachineShare.of(Runtime.getRuntime().availableProcessors(), jobsAtOnce);
    return new ProcessJobLauncher(
        workdir, JavaCommand.of(main, share.jvmOptions()), config.asEnvironment());
  }
}
