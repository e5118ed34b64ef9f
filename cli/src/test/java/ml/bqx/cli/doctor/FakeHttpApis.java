package ml.bqx.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import ml.bqx.core.json.Json;

/**
 * The two HTTP/JSON testIamPermissions bqx doctor calls, on a loopback server, as Google documents
 * them:
 *
 * <ul>
 *   <li>Cloud Storage buckets.testIamPermissions
 *       (cloud.google.com/storage/docs/json_api/v1/buckets/testIamPermissions): {@code GET
 *       /storage/v1/b/BUCKET/iam/testPermissions?permissions=P&permissions=Q} answers {@code
 *       {"kind":"storage#testIamPermissionsResponse","permissions":[...]}}, "the permissions held
 *       by the caller" of those asked.
 *   <li>BigQuery tables.testIamPermissions
 *       (cloud.google.com/bigquery/docs/reference/rest/v2/tables/testIamPermissions): {@code POST
 *       /bigquery/v2/projects/P/datasets/D/tables/T:testIamPermissions} with {@code
 *       {"permissions":[...]}} answers {@code {"permissions":[...]}}, "a subset of
 *       TestPermissionsRequest.permissions that the caller is allowed"; a table that does not exist
 *       answers an empty set, not NOT_FOUND.
 * </ul>
 *
 * The caller is the bearer token's account ({@code token-of:ACCOUNT}); a call without one is
 * refused with 401, as Google does, unless the server stands in for an emulator (no credentials),
 * where the caller is {@code anonymous}.
 */
final class FakeHttpApis implements AutoCloseable {
  private static final Pattern BUCKET =
      Pattern.compile("/storage/v1/b/([^/]+)/iam/testPermissions");
  private static final Pattern TABLE =
      Pattern.compile(
          "/bigquery/v2/(projects/[^/]+/datasets/[^/]+/tables/[^/:]+):testIamPermissions");

  private final HttpServer server;
  private final BiFunction<String, String, Set<String>> holds;
  private final boolean emulator;
  final List<String> requests = new ArrayList<>();

  /**
   * @param holds what a caller holds on a resource ({@code buckets/B}, {@code projects/P/...})
   */
  FakeHttpApis(BiFunction<String, String, Set<String>> holds, boolean emulator) throws IOException {
    this.holds = holds;
    this.emulator = emulator;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      synchronized (requests) {
        requests.add(exchange.getRequestMethod() + " " + path);
      }
      String token = exchange.getRequestHeaders().getFirst("Authorization");
      String caller;
      if (token != null && token.startsWith("Bearer token-of:")) {
        caller = token.substring("Bearer token-of:".length());
      } else if (emulator) {
        caller = "anonymous";
      } else {
        answer(exchange, 401, error(401, "Request is missing required authentication credential"));
        return;
      }
      Matcher bucket = BUCKET.matcher(path);
      Matcher table = TABLE.matcher(path);
      List<String> asked = new ArrayList<>();
      String resource;
      ObjectNode body = Json.MAPPER.createObjectNode();
      if (bucket.matches() && exchange.getRequestMethod().equals("GET")) {
        resource = "buckets/" + bucket.group(1);
        for (String pair : exchange.getRequestURI().getRawQuery().split("&")) {
          String[] kv = pair.split("=", 2);
          if (kv[0].equals("permissions")) {
            asked.add(URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
          }
        }
        body.put("kind", "storage#testIamPermissionsResponse");
      } else if (table.matches() && exchange.getRequestMethod().equals("POST")) {
        resource = table.group(1);
        read(exchange).path("permissions").forEach(p -> asked.add(p.asText()));
      } else {
        answer(exchange, 404, error(404, "Not Found: " + path));
        return;
      }
      Set<String> held = holds.apply(caller, resource);
      List<String> granted = asked.stream().filter(held::contains).toList();
      if (!granted.isEmpty()) { // an empty set is an absent field in Google's JSON
        ArrayNode list = body.putArray("permissions");
        granted.forEach(list::add);
      }
      answer(exchange, 200, body);
    }
  }

  private static JsonNode read(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      in = new GZIPInputStream(in);
    }
    return Json.MAPPER.readTree(in);
  }

  private static ObjectNode error(int code, String message) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.putObject("error").put("code", code).put("message", message);
    return body;
  }

  private static void answer(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
