package ml.bqx.local.functions;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses, before the invoker's handler sees it, a request that is no CloudEvent: anything but a
 * POST answers 405, a POST with neither the binary-mode headers ({@code ce-specversion}, {@code
 * ce-id}, {@code ce-source}, {@code ce-type}) nor a structured-mode content type answers 400, each
 * with one log line and a one-line body. The invoker itself would take such a request for a legacy
 * event and answer 500 with a stack trace, which a push subscription retries.
 */
final class CloudEventRequestGuard extends Handler.Wrapper {
  private static final Logger LOG = Logger.getLogger(CloudEventRequestGuard.class.getName());
  static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";
  static final List<String> BINARY_HEADERS =
      List.of("ce-specversion", "ce-id", "ce-source", "ce-type");

  private final String functionName;

  CloudEventRequestGuard(String functionName, Handler invokerHandler) {
    super(invokerHandler);
    this.functionName = functionName;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!HttpMethod.POST.is(request.getMethod())) {
      return refuse(
          response,
          callback,
          HttpStatus.METHOD_NOT_ALLOWED_405,
          request.getMethod()
              + " "
              + request.getHttpURI().getPath()
              + ": only a POSTed CloudEvent is served");
    }
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (contentType != null && contentType.toLowerCase().startsWith(STRUCTURED_CONTENT_TYPE)) {
      return super.handle(request, response, callback);
    }
    List<String> missing =
        BINARY_HEADERS.stream().filter(h -> request.getHeaders().get(h) == null).toList();
    if (!missing.isEmpty()) {
      return refuse(
          response,
          callback,
          HttpStatus.BAD_REQUEST_400,
          "not a CloudEvent: no "
              + String.join(", ", missing)
              + " header and no "
              + STRUCTURED_CONTENT_TYPE
              + " body");
    }
    return super.handle(request, response, callback);
  }

  private boolean refuse(Response response, Callback callback, int status, String reason) {
    LOG.warning(functionName + ": refused a request (" + status + "): " + reason);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.write(
        true, ByteBuffer.wrap((reason + "\n").getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }
}
