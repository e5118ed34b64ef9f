package ml.bqx.wire.bigquery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import ml.bqx.core.json.Json;

/**
 * BigQuery's REST {@code jobs.query} on loopback, answering a discovery query from a fixed catalog
 * and keeping every request body it received.
 *
 * <p>What it answers is what BigQuery's INFORMATION_SCHEMA gives for COLUMNS joined with TABLES:
 * COLUMNS has a row per column of every table <em>and view</em>, TABLES a row per table or view
 * with its {@code table_type} ("BASE TABLE", "VIEW", "MATERIALIZED VIEW", "EXTERNAL", "SNAPSHOT",
 * "CLONE"), and {@code data_type} keeps a type's parameters ({@code NUMERIC(10, 2)}): see
 * cloud.google.com/bigquery/docs/information-schema-columns and .../information-schema-tables. The
 * {@code @pattern} parameter filters table names as GoogleSQL's LIKE does ({@code %} any run,
 * {@code _} one character, a backslash escapes the next one: .../standard-sql/operators#like).
 *
 * <p>A query of the dataset's {@code __TABLES__} meta-table is answered from a size catalog: a row
 * per table, view or external table with {@code table_id}, {@code type} (1 table, 2 view, 3
 * external), {@code row_count} and {@code size_bytes} (logical bytes). That meta-table is legacy
 * and documented mostly by use: Google's client issue googleapis/google-cloud-java#4259 and public
 * scripts (HariSekhon/SQL-scripts bigquery_info_tables.sql) select exactly these columns from
 * {@code `project.dataset.__TABLES__`}. Cells come as strings whatever their type, as jobs.query
 * returns them (cloud.google.com/bigquery/docs/reference/rest/v2/jobs/query, TableCell "v").
 *
 * <p>It also answers {@code tables.get} ({@code GET /bigquery/v2/projects/P/datasets/D/tables/T})
 * for a table given {@link #tableState}: a Table resource as
 * cloud.google.com/bigquery/docs/reference/rest/v2/tables describes it, with {@code
 * lastModifiedTime} and {@code numRows} as decimal strings ("string (int64 format)": milliseconds
 * since the epoch, and rows), in the default STORAGE_STATS view of tables.get (.../v2/tables/get:
 * "basic table information and storage statistics", numRows and lastModifiedTime included), and
 * {@code schema.fields[]} with the legacy type names the API answers (FLOAT, INTEGER, NUMERIC with
 * {@code precision} and {@code scale} as strings). An unknown table answers 404 with the API's
 * error body ({@code reason: notFound}, .../docs/error-messages).
 */
public final class FakeBigQueryRest implements AutoCloseable {
  public final List<JsonNode> queries = new CopyOnWriteArrayList<>();
  public final List<String> paths = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final List<String[]> rows;
  private final List<String[]> sizes;
  private final java.util.Map<String, long[]> tableStates =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The catalog: rows of (table_name, table_type, column_name, data_type), in table and ordinal
   * order.
   */
  public FakeBigQueryRest(List<String[]> rows) throws IOException {
    this(rows, List.of());
  }

  /** The catalog and the size catalog: rows of (table_id, type, row_count, size_bytes). */
  public FakeBigQueryRest(List<String[]> rows, List<String[]> sizes) throws IOException {
    this.rows = rows;
    this.sizes = sizes;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Sets what tables.get says of a table: its last modification (ms since the epoch), its rows. */
  public void tableState(String table, long lastModifiedMillis, long numRows) {
    tableStates.put(table, new long[] {lastModifiedMillis, numRows});
  }

  private void handle(HttpExchange exchange) throws IOException {
    paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
    if (exchange.getRequestMethod().equals("GET")
        && exchange.getRequestURI().getPath().contains("/tables/")) {
      getTable(exchange);
      return;
    }
    InputStream body = exchange.getRequestBody();
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      body = new GZIPInputStream(body);
    }
    JsonNode query = Json.MAPPER.readTree(body);
    queries.add(query);
    Pattern like = like(parameter(query, "pattern"));
    ObjectNode answer =
        query.path("query").asText().contains(".__TABLES__`")
            ? sizesAnswer(like, query.path("query").asText().contains("type = 1"))
            : catalogAnswer(like);
    byte[] bytes = Json.MAPPER.writeValueAsBytes(answer);
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private ObjectNode catalogAnswer(Pattern like) {
    List<String[]> matching = rows.stream().filter(row -> like.matcher(row[0]).matches()).toList();
    List<String[]> cells = new ArrayList<>();
    for (String[] row : matching) {
      cells.add(new String[] {row[0], row[2], row[3], row[1]});
    }
    return answer(
        List.of(
            "table_name",
            "STRING",
            "column_name",
            "STRING",
            "data_type",
            "STRING",
            "table_type",
            "STRING"),
        cells);
  }

  private ObjectNode sizesAnswer(Pattern like, boolean tablesOnly) {
    List<String[]> cells = new ArrayList<>();
    for (String[] row : sizes) {
      if (like.matcher(row[0]).matches() && (!tablesOnly || row[1].equals("1"))) {
        cells.add(new String[] {row[0], row[2], row[3]});
      }
    }
    return answer(
        List.of("table_id", "STRING", "row_count", "INTEGER", "size_bytes", "INTEGER"), cells);
  }

  /** A complete jobs.query answer: fields as (name, type) pairs, then the rows' cells. */
  private static ObjectNode answer(List<String> fieldsAndTypes, List<String[]> cells) {
    ObjectNode answer = Json.MAPPER.createObjectNode();
    answer.put("kind", "bigquery#queryResponse");
    answer.put("jobComplete", true);
    answer.put("totalRows", Integer.toString(cells.size()));
    ArrayNode fields = answer.putObject("schema").putArray("fields");
    for (int i = 0; i < fieldsAndTypes.size(); i += 2) {
      fields.addObject().put("name", fieldsAndTypes.get(i)).put("type", fieldsAndTypes.get(i + 1));
    }
    ArrayNode out = answer.putArray("rows");
    for (String[] row : cells) {
      ArrayNode values = out.addObject().putArray("f");
      for (String cell : row) {
        values.addObject().put("v", cell);
      }
    }
    return answer;
  }

  private void getTable(HttpExchange exchange) throws IOException {
    String[] parts = exchange.getRequestURI().getPath().split("/");
    String project = parts[4];
    String dataset = parts[6];
    String table = parts[8];
    long[] state = tableStates.get(table);
    List<String[]> columns = rows.stream().filter(row -> row[0].equals(table)).toList();
    ObjectNode answer = Json.MAPPER.createObjectNode();
    int status;
    if (state == null || columns.isEmpty()) {
      status = 404;
      ObjectNode error = answer.putObject("error");
      String message = "Not found: Table " + project + ":" + dataset + "." + table;
      error.put("code", 404).put("message", message).put("status", "NOT_FOUND");
      error
          .putArray("errors")
          .addObject()
          .put("message", message)
          .put("domain", "global")
          .put("reason", "notFound");
    } else {
      status = 200;
      answer.put("kind", "bigquery#table");
      answer.put("id", project + ":" + dataset + "." + table);
      answer
          .putObject("tableReference")
          .put("projectId", project)
          .put("datasetId", dataset)
          .put("tableId", table);
      ArrayNode fields = answer.putObject("schema").putArray("fields");
      for (String[] column : columns) {
        ObjectNode field = fields.addObject().put("name", column[2]).put("mode", "NULLABLE");
        String type = column[3];
        java.util.regex.Matcher parameters =
            Pattern.compile("(\\w+)\\((\\d+), (\\d+)\\)").matcher(type);
        if (parameters.matches()) {
          field.put("type", parameters.group(1));
          field.put("precision", parameters.group(2)).put("scale", parameters.group(3));
        } else {
          field.put("type", legacyType(type));
        }
      }
      answer.put("numRows", Long.toString(state[1]));
      answer.put("lastModifiedTime", Long.toString(state[0]));
      answer.put("creationTime", Long.toString(state[0] - 86_400_000L));
      answer.put("type", "TABLE");
      answer.put("location", "US");
    }
    byte[] bytes = Json.MAPPER.writeValueAsBytes(answer);
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  /** The REST API's (legacy) name of a GoogleSQL type: FLOAT64 is FLOAT, INT64 is INTEGER. */
  private static String legacyType(String type) {
    return switch (type) {
      case "FLOAT64" -> "FLOAT";
      case "INT64" -> "INTEGER";
      case "BOOL" -> "BOOLEAN";
      default -> type;
    };
  }

  private static String parameter(JsonNode query, String name) {
    for (JsonNode parameter : query.path("queryParameters")) {
      if (parameter.path("name").asText().equals(name)) {
        return parameter.path("parameterValue").path("value").asText();
      }
    }
    return "%";
  }

  /** GoogleSQL's LIKE as a regular expression. */
  private static Pattern like(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else if (c == '%') {
        regex.append(".*");
      } else if (c == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
