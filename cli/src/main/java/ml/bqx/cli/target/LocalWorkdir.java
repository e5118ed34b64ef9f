package ml.bqx.cli.target;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import ml.bqx.core.layout.StoreLayout;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.local.launcher.RunnerEndpoint;

/**
 * The layout of a local workdir: the DuckDB warehouse, the staging and output stores (mirroring the
 * buckets), the executions of the process launcher, and the address of a live local Pub/Sub
 * endpoint while a runner is up.
 */
public record LocalWorkdir(Path root) {
  /** The project name of everything local (topics, subscriptions). */
  public static final String PROJECT = "bqx-local";

  public LocalWorkdir {
    root = root.toAbsolutePath().normalize();
  }

  public Path warehouseFile() {
    return root.resolve("warehouse.duckdb");
  }

  public URI warehouseUri() {
    return URI.create("duckdb://" + warehouseFile().toUri().getRawPath());
  }

  public Path stagingDir() {
    return root.resolve("staging");
  }

  public Path outputDir() {
    return root.resolve("output");
  }

  public URI stagingUri() {
    return folderUri(stagingDir());
  }

  public URI outputUri() {
    return folderUri(outputDir());
  }

  public URI launcherUri() {
    return URI.create("process://" + root.toUri().getRawPath());
  }

  /** Written by a running local runner: host:port of its Pub/Sub endpoint. */
  public Path endpointFile() {
    return root.resolve("pubsub.endpoint");
  }

  public Path outputFile(String pair) {
    return outputDir().resolve(StoreLayout.trainingFileName(Pair.parse(pair)));
  }

  /** The settings of a command acting on this workdir. */
  public Map<String, String> targetEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("BQX_PROJECT", PROJECT);
    env.put("BQX_STAGING", stagingUri().toString());
    env.put("BQX_OUTPUT", outputUri().toString());
    env.put("BQX_LAUNCHER", launcherUri().toString());
    env.put("BQX_WAREHOUSE", warehouseUri().toString());
    env.put("BQX_EVENT_BUS", "pubsub://" + PROJECT);
    liveEndpoint().ifPresent(endpoint -> env.put("PUBSUB_EMULATOR_HOST", endpoint));
    return env;
  }

  /**
   * Records the endpoint of this process, the runner of {@code run}: for the commands acting on
   * this workdir, and for the jobs of the run, whichever runner launches them (their events then
   * reach this runner, which follows the run to its end).
   */
  public void recordEndpoint(RunId run, String hostPort) throws IOException {
    RunnerEndpoint endpoint = RunnerEndpoint.ofThisProcess(hostPort);
    endpoint.write(RunnerEndpoint.fileOf(root, run));
    endpoint.write(endpointFile());
  }

  /** Forgets what this process recorded as the runner of {@code run}, which has ended. */
  public void forgetEndpoint(RunId run, String hostPort) throws IOException {
    RunnerEndpoint endpoint = RunnerEndpoint.ofThisProcess(hostPort);
    endpoint.forget(endpointFile());
    endpoint.forget(RunnerEndpoint.fileOf(root, run));
  }

  /** The endpoint of a runner that is up, if any: a file left by a runner that died is not. */
  public Optional<String> liveEndpoint() {
    return endpoint().filter(RunnerEndpoint::isLive).map(RunnerEndpoint::hostPort);
  }

  /**
   * Why no command can reach a runner of this workdir, and what to do: one line for commands that
   * need the local Pub/Sub endpoint while none is live.
   */
  public String noRunner() {
    String stale =
        endpoint()
            .filter(e -> !e.isLive())
            .map(e -> " (the runner of " + endpointFile() + ", pid " + e.pid() + ", has ended)")
            .orElse("");
    return "no local runner is live for "
        + root
        + stale
        + ": start one with bqx local run --workdir "
        + root
        + ", or go on with a run with bqx local run --resume RUN --workdir "
        + root;
  }

  private Optional<RunnerEndpoint> endpoint() {
    return RunnerEndpoint.read(endpointFile());
  }

  private static URI folderUri(Path dir) {
    String path = dir.toUri().getRawPath();
    return URI.create(
        "file://" + (path.endsWith("/") ? path.substring(0, path.length() - 1) : path));
  }
}
