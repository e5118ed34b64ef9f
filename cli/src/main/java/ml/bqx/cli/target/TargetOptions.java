package ml.bqx.cli.target;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import ml.bqx.cli.context.CliContext;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.EnvKey;
import picocli.CommandLine.Option;

/**
 * Where a command acts: Google Cloud (project, buckets, topics from flags or the environment) or a
 * local workdir ({@code --workdir DIR}: the stand-ins under that folder). Flags win over the
 * environment.
 */
public final class TargetOptions {
  @Option(
      names = "--workdir",
      paramLabel = "DIR",
      description = "Act on the local stand-ins under DIR (staging, output, process launcher).")
  Path workdir;

  @Option(
      names = "--project",
      paramLabel = "ID",
      description = "Google Cloud project (BQX_PROJECT).")
  String project;

  @Option(
      names = "--staging",
      paramLabel = "URI",
      description = "Staging store, gs://BUCKET or file:///dir (BQX_STAGING).")
  String staging;

  @Option(
      names = "--output",
      paramLabel = "URI",
      description = "Output store, gs://BUCKET or file:///dir (BQX_OUTPUT).")
  String output;

  @Option(
      names = "--launcher",
      paramLabel = "URI",
      description = "Job launcher, cloudrun://projects/P/locations/R/jobs/J (BQX_LAUNCHER).")
  String launcher;

  @Option(
      names = "--pairs-topic",
      paramLabel = "TOPIC",
      description = "Pair topic (BQX_PAIRS_TOPIC).")
  String pairsTopic;

  /** The settings this command acts with. */
  public Target resolve(CliContext context) {
    Map<String, String> env = new LinkedHashMap<>(context.env());
    LocalWorkdir local = workdir == null ? null : new LocalWorkdir(context.cwd().resolve(workdir));
    if (local != null) {
      env.putAll(local.targetEnvironment());
    }
    put(env, EnvKey.BQX_PROJECT, project);
    put(env, EnvKey.BQX_STAGING, staging);
    put(env, EnvKey.BQX_OUTPUT, output);
    put(env, EnvKey.BQX_LAUNCHER, launcher);
    put(env, EnvKey.BQX_PAIRS_TOPIC, pairsTopic);
    return new Target(BqxConfig.from(env), local);
  }

  private static void put(Map<String, String> env, EnvKey key, String value) {
    if (value != null) {
      env.put(key.name(), value);
    }
  }
}
