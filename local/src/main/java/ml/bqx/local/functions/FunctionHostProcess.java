package ml.bqx.local.functions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import ml.bqx.core.config.Deployment;
import ml.bqx.local.launcher.JavaCommand;

/**
 * A child JVM hosting functions by their deployed entry points ({@link Deployment#FUNCTIONS}, the
 * HTTP endpoints of terraform's push subscriptions), configured by its environment as the invoker
 * configures a deployed function; and the push URL of each. The functions are named, never linked:
 * local/ stays below functions/, and the child finds them on the class path it inherits.
 */
public final class FunctionHostProcess implements AutoCloseable {
  private final Process process;
  private final Map<String, URI> urls;

  private FunctionHostProcess(Process process, Map<String, URI> urls) {
    this.process = process;
    this.urls = urls;
  }

  /** Starts the host of these functions with their environment; its log goes to {@code log}. */
  public static FunctionHostProcess start(
      List<Deployment.Function> functions, Map<String, String> environment, Path log)
      throws IOException {
    List<String> command =
        JavaCommand.of(
            FunctionHostMain.class.getName(),
            List.of("-Xmx384m", "-XX:+UseSerialGC"),
            functions.stream().map(Deployment.Function::entryPoint).toList());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process process = builder.start();
    Map<String, URI> urls = new LinkedHashMap<>();
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = lines.readLine()) != null && !line.equals("ready")) {
      String[] parts = line.split(" ");
      if (parts.length == 3 && parts[0].equals("url")) {
        urls.put(parts[1], URI.create(parts[2]));
      }
    }
    if (line == null) {
      process.destroyForcibly();
      throw new IOException("the function host did not start: see " + log);
    }
    // Keep draining its stdout so it never blocks on a full pipe.
    Thread drain =
        new Thread(
            () -> {
              try {
                lines.transferTo(java.io.Writer.nullWriter());
              } catch (IOException ignored) {
                // The host ended.
              }
            },
            "bqx-function-host-drain");
    drain.setDaemon(true);
    drain.start();
    return new FunctionHostProcess(process, urls);
  }

  /** The push endpoint of a function this process hosts. */
  public URI url(Deployment.Function function) {
    return urls.get(function.entryPoint());
  }

  /** Completes with the host's exit code when its JVM ends, however it ends. */
  public CompletableFuture<Integer> ended() {
    return process.onExit().thenApply(Process::exitValue);
  }

  /** Ends the host: its standard input closes, and it is killed if it does not end in 5 s. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
    }
  }
}
