package ml.bqx.cli.target;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import ml.bqx.core.layout.StoreLayout;
import ml.bqx.core.pair.Pair;

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

  /** Records the endpoint of the runner that is up, for the commands acting on this workdir. */
  public void recordEndpoint(String hostPort) throws IOException {
    Files.writeString(endpointFile(), hostPort, StandardCharsets.UTF_8);
  }

  /** Forgets the endpoint: its runner has ended. */
  public void forgetEndpoint() throws IOException {
    Files.deleteIfExists(endpointFile());
  }

  /** The endpoint of a runner that is up, if any. */
  public java.util.Optional<String> liveEndpoint() {
    try {
      if (Files.isRegularFile(endpointFile())) {
        String text = Files.readString(endpointFile(), StandardCharsets.UTF_8).trim();
        return text.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(text);
      }
    } catch (IOException e) {
      // An unreadable file is the same as no endpoint: publishing then says none is up.
    }
    return java.util.Optional.empty();
  }

  private static URI folderUri(Path dir) {
    String path = dir.toUri().getRawPath();
    return URI.create(
        "file://" + (path.endsWith("/") ? path.substring(0, path.length() - 1) : path));
  }
}
