package ml.bqx.gcp.bigquery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import ml.bqx.core.json.Json;

/**
 * BigQuery's REST {@code jobs.query} on loopback, answering with fixed INFORMATION_SCHEMA rows and
 * keeping every request body it received.
 */
public final class FakeBigQueryRest implements AutoCloseable {
  public final List<JsonNode> queries = new CopyOnWriteArrayList<>();
  public final List<String> paths = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final List<String[]> rows;

  /** Rows of (table_name, column_name, data_type, ordinal_position). */
  public FakeBigQueryRest(List<String[]> rows) throws IOException {
    this.rows = rows;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
    InputStream body = exchange.getRequestBody();
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      body = new GZIPInputStream(body);
    }
    queries.add(Json.MAPPER.readTree(body));
    ObjectNode answer = Json.MAPPER.createObjectNode();
    answer.put("kind", "bigquery#queryResponse");
    answer.put("jobComplete", true);
    answer.put("totalRows", Integer.toString(rows.size()));
    ArrayNode fields = answer.putObject("schema").putArray("fields");
    fields.addObject().put("name", "table_name").put("type", "STRING");
    fields.addObject().put("name", "column_name").put("type", "STRING");
    fields.addObject().put("name", "data_type").put("type", "STRING");
    fields.addObject().put("name", "ordinal_position").put("type", "INTEGER");
    ArrayNode out = answer.putArray("rows");
    for (String[] row : rows) {
      ArrayNode cells = out.addObject().putArray("f");
      for (String cell : row) {
        cells.addObject().put("v", cell);
      }
    }
    byte[] bytes = Json.MAPPER.writeValueAsBytes(answer);
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
