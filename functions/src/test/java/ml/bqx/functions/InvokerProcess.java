package ml.bqx.functions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One function served by the Functions Framework's own runner, as Google documents for running a
 * function locally: {@code java -jar java-function-invoker.jar --classpath CP --target CLASS --port
 * N}, in a child JVM whose environment configures the function. The invoker binds every interface
 * (it has no host option): acceptable only in a test on a loopback-only machine. The jar and the
 * class path come from the build (maven-dependency-plugin, target/invoker/).
 */
final class InvokerProcess implements AutoCloseable {
  private static final Path INVOKER = Path.of("target", "invoker", "java-function-invoker.jar");
  private static final Path CLASSPATH = Path.of("target", "invoker", "function-classpath.txt");

  private final String target;
  private final int port;
  private final Process process;
  private final Path log;

  private InvokerProcess(String target, int port, Process process, Path log) {
    this.target = target;
    this.port = port;
    this.process = process;
    this.log = log;
  }

  /** The function's class path: this module's classes, its dependencies and the local stand-ins. */
  static String functionClassPath() throws IOException {
    List<String> entries = new ArrayList<>();
    entries.add(Path.of("target", "classes").toAbsolutePath().toString());
    entries.add(Path.of("target", "test-classes").toAbsolutePath().toString());
    entries.add(Files.readString(CLASSPATH, StandardCharsets.UTF_8).strip());
    return String.join(java.io.File.pathSeparator, entries);
  }

  /** Starts the invoker on a free port; {@link #awaitServing} waits until it listens. */
  static InvokerProcess start(Class<?> function, Map<String, String> environment, Path dir)
      throws IOException {
    int port = freePort();
    Path log = dir.resolve(function.getSimpleName() + "-invoker.log");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "-Xmx256m",
            // Start-up dominates a test's invoker: the quick JIT tier and one GC thread suffice.
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-jar",
            INVOKER.toAbsolutePath().toString(),
            "--classpath",
            functionClassPath(),
            "--target",
            function.getName(),
            "--port",
            Integer.toString(port));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    return new InvokerProcess(function.getName(), port, builder.start(), log);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Waits for the invoker's "URL: http://localhost:PORT/" line; fails with its log if it died. */
  InvokerProcess awaitServing(Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    String ready = "URL: http://localhost:" + port + "/";
    while (!log().contains(ready)) {
      if (!process.isAlive() || Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "the invoker of " + target + " is not serving; its output:\n" + log());
      }
      Thread.sleep(50);
    }
    return this;
  }

  /** The push endpoint on loopback. */
  URI url() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  String log() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
