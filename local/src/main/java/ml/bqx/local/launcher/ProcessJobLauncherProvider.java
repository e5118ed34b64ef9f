package ml.bqx.local.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.Deployment;
import ml.bqx.core.port.JobLauncher;
import ml.bqx.core.port.JobLauncherProvider;

/**
 * Answers {@code process:///workdir} with a launcher of child processes running the job's main on
 * this JVM's class path, with this process's settings as the job's environment. {@code ?main=CLASS}
 * runs another main class (tests use it).
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
    return new ProcessJobLauncher(workdir, JavaCommand.of(main, List.of()), config.asEnvironment());
  }
}
