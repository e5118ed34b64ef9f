package ml.bqx.local.cloud;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import ml.bqx.core.config.Deployment;
import ml.bqx.local.functions.FunctionHostProcess;
import ml.bqx.local.pubsub.LocalPubSubEndpoint;

/**
 * Keeps a local cloud's function host up, as Cloud Run keeps a function's instances: when its JVM
 * dies (a kill -9, an out-of-memory kill) it starts again with the same functions and environment,
 * on new ports, and each push subscription is pointed at its function's new URL, so that the pushes
 * being retried meanwhile reach it. Each restart is said in one line; after {@link #MAX_RESTARTS}
 * it gives up and says why.
 */
final class FunctionHostSupervisor implements AutoCloseable {
  /** Restarts before giving up: a host that keeps dying is not going to be saved by another. */
  static final int MAX_RESTARTS = 3;

  private final List<Deployment.Function> functions;
  private final Map<String, String> environment;
  private final Path log;
  private final Consumer<String> notices;
  private final CompletableFuture<String> gaveUp = new CompletableFuture<>();
  private final ExecutorService restarter =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "bqx-function-host-restart");
            t.setDaemon(true);
            return t;
          });
  private FunctionHostProcess host;
  private LocalPubSubEndpoint endpoint;
  private int restarts;
  private boolean closed;

  private FunctionHostSupervisor(
      List<Deployment.Function> functions,
      Map<String, String> environment,
      Path log,
      Consumer<String> notices,
      FunctionHostProcess host) {
    this.functions = List.copyOf(functions);
    this.environment = Map.copyOf(environment);
    this.log = log;
    this.notices = notices;
    this.host = host;
  }

  /** Starts the host; it is watched once {@link #watch} names the endpoint pushing to it. */
  static FunctionHostSupervisor start(
      List<Deployment.Function> functions,
      Map<String, String> environment,
      Path log,
      Consumer<String> notices)
      throws IOException {
    return new FunctionHostSupervisor(
        functions,
        environment,
        log,
        notices,
        FunctionHostProcess.start(functions, environment, log));
  }

  /** The push endpoint of a function on the host that is up now. */
  synchronized URI url(Deployment.Function function) {
    return host.url(function);
  }

  /** From now on, a host that dies is restarted and {@code pushing}'s subscriptions follow it. */
  synchronized void watch(LocalPubSubEndpoint pushing) {
    this.endpoint = pushing;
    follow(host);
  }

  /** Why it gave up on the host, once it has. */
  Optional<String> gaveUp() {
    return Optional.ofNullable(gaveUp.getNow(null));
  }

  private void follow(FunctionHostProcess watched) {
    watched.ended().thenAcceptAsync(code -> restart(watched, code), restarter);
  }

  private synchronized void restart(FunctionHostProcess dead, int exitCode) {
    if (closed || dead != host) {
      return;
    }
    String ended = "the function host ended (exit code " + exitCode + ")";
    if (restarts == MAX_RESTARTS) {
      gaveUp.complete(ended + " after " + MAX_RESTARTS + " restarts: see " + log);
      return;
    }
    try {
      host = FunctionHostProcess.start(functions, environment, log);
    } catch (IOException | RuntimeException e) {
      gaveUp.complete(ended + " and did not start again: " + e.getMessage());
      return;
    }
    restarts++;
    for (Deployment.Function function : functions) {
      endpoint.modifyPushEndpoint(function.subscription(), host.url(function));
    }
    notices.accept(
        ended + ": restarted (" + restarts + " of " + MAX_RESTARTS + " restarts), log " + log);
    follow(host);
  }

  /** Ends the host; it is not restarted any more. */
  @Override
  public void close() {
    FunctionHostProcess last;
    synchronized (this) {
      closed = true;
      last = host;
    }
    restarter.shutdownNow();
    last.close();
  }
}
