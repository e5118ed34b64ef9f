package ml.bqx.local.functions;

import com.google.cloud.functions.BackgroundFunction;
import com.google.cloud.functions.CloudEventsFunction;
import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.RawBackgroundFunction;
import com.google.cloud.functions.invoker.BackgroundFunctionExecutor;
import com.google.cloud.functions.invoker.HttpFunctionExecutor;
import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Hosts one Functions Framework function (an {@link HttpFunction}, as the deployed push entry
 * points are, or an event function: {@link CloudEventsFunction}, {@link BackgroundFunction} or
 * {@link RawBackgroundFunction}) on a Jetty bound to 127.0.0.1 with a free port, behind the
 * invoker's own handler, as the invoker's {@code Invoker} does (which binds 0.0.0.0, so it is not
 * used). For an event function, a request that is no CloudEvent is refused with a 4xx before the
 * invoker's handler sees it ({@link CloudEventRequestGuard}); an HTTP function answers for itself.
 * A push subscription of the local Pub/Sub endpoint targets {@link #url()}.
 */
public final class LocalFunctionHost implements AutoCloseable {
  private static final int MAX_THREADS = 32;

  private final Server server;
  private final ServerConnector connector;

  private LocalFunctionHost(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Instantiates the function (its public no-argument constructor, as the invoker does) and starts
   * serving it.
   */
  public static LocalFunctionHost start(Class<?> functionClass) throws IOException {
    Objects.requireNonNull(functionClass, "functionClass");
    boolean http = HttpFunction.class.isAssignableFrom(functionClass);
    if (!http
        && !CloudEventsFunction.class.isAssignableFrom(functionClass)
        && !BackgroundFunction.class.isAssignableFrom(functionClass)
        && !RawBackgroundFunction.class.isAssignableFrom(functionClass)) {
      throw new IllegalArgumentException(
          functionClass.getName()
              + " is not a function: implement HttpFunction, CloudEventsFunction,"
              + " BackgroundFunction or RawBackgroundFunction");
    }
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS);
    threads.setName("bqx-function-" + functionClass.getSimpleName());
    Server server = new Server(threads);
    // As the invoker: errors answer a bare status, no HTML error page.
    server.setErrorHandler(new BareErrorHandler());
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        http
            ? HttpFunctionExecutor.forClass(functionClass)
            : new CloudEventRequestGuard(
                functionClass.getSimpleName(), BackgroundFunctionExecutor.forClass(functionClass)));
    try {
      server.start();
    } catch (Exception e) {
      stop(server);
      throw new IOException(
          "cannot start the function host of " + functionClass.getName() + ": " + e.getMessage(),
          e);
    }
    return new LocalFunctionHost(server, connector);
  }

  /** The push endpoint: {@code http://127.0.0.1:PORT/}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port() + "/");
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** Stops the server and its threads; requests in flight are cut. */
  @Override
  public void close() {
    stop(server);
  }

  private static void stop(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the function host: " + e.getMessage(), e);
    }
  }

  /** Answers errors with their status only, as the invoker's server does. */
  private static final class BareErrorHandler extends ErrorHandler {
    @Override
    public boolean handle(
        org.eclipse.jetty.server.Request request,
        org.eclipse.jetty.server.Response response,
        org.eclipse.jetty.util.Callback callback) {
      callback.succeeded();
      return true;
    }
  }
}
