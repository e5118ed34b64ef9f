package ml.bqx.wire.gcs;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import ml.bqx.core.json.Json;
import ml.bqx.core.port.ObjectGlob;
import ml.bqx.wire.link.WireLink;

/**
 * The GCS JSON API on loopback, for the answers LocalStorageHelper cannot give: objects of one
 * bucket with generations; resumable uploads (initiate, then PUTs of chunks, the last one
 * finalizing) with {@code ifGenerationMatch}; server-side copies, composes and deletes; metadata
 * and media reads, the latter of a named {@code generation} (404 once that generation is replaced);
 * listing by {@code prefix} and {@code matchGlob}.
 *
 * <p>Its claims about Google: a write of one object within a second of the last one answers 429
 * rateLimitExceeded ("Maximum rate of writes to the same object name: one write per second",
 * cloud.google.com/storage/quotas; 429 is the code of that refusal, cloud.google.com/storage/docs/
 * json_api/v1/status-codes); a lost precondition answers 412 conditionNotMet; {@code matchGlob}
 * filters the listing on the server (cloud.google.com/storage/docs/json_api/v1/objects/list); a
 * media read honours a {@code Range: bytes=FIRST-LAST} header and answers 206 with the slice ("an
 * HTTP or HTTPS GET request that can include an optional Range header, which defines a specific
 * portion of the object to download", cloud.google.com/storage/docs/downloads; 206 and
 * Content-Range as RFC 9110 has them), 416 for a range that starts past the end. Time is the test's
 * clock, never the wall's.
 *
 * <p>An upload may come in chunks: each PUT carries {@code Content-Range: bytes FIRST-LAST/*}, the
 * last one {@code .../TOTAL}; an unfinished session answers 308 with {@code Range: bytes=0-LAST}
 * ("Resume Incomplete", cloud.google.com/storage/docs/performing-resumable-uploads, "Upload in
 * multiple chunks"). A copy is the JSON API's {@code rewriteTo}, done in one call here (a
 * rewriteResponse with {@code done: true} and the new object as {@code resource},
 * cloud.google.com/storage/docs/json_api/v1/objects/rewrite); {@code DELETE} answers 204
 * (.../objects/delete). Every request passes a {@link WireLink}: its latency and bandwidth, waited
 * outside the fake's lock so concurrent requests overlap as they do on GCS.
 */
public final class FakeGcsServer implements AutoCloseable {
  public static final Duration WRITE_INTERVAL = Duration.ofSeconds(1);

  private record Stored(ObjectBodies.Body body, long generation, Instant writtenAt) {}

  /** An upload session: its object, its query (preconditions) and the bytes received so far. */
  private record Session(String name, JsonNode query, ObjectBodies.Receiving received) {}

  /**
   * The answer a handler made, sent once the lock is released and the link's time has passed: its
   * body streamed from the object's bytes, never copied whole.
   */
  private record Reply(int status, long length, Content content) {}

  /** A reply's body. */
  private interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private static final ThreadLocal<Reply> REPLY = new ThreadLocal<>();

  private final String bucket;
  private final Supplier<Instant> clock;
  private final HttpServer server;
  private final Map<String, Stored> objects = new TreeMap<>();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final AtomicLong generations = new AtomicLong(1_000);
  private final AtomicInteger sessionIds = new AtomicInteger();
  private final WireLink link;
  private final ObjectBodies bodies;
  private final ExecutorService threads = Executors.newCachedThreadPool(daemons());

  /** Every request, as "METHOD path?query". */
  public final List<String> requests = new CopyOnWriteArrayList<>();

  /** Every request so far, as "METHOD path?query". */
  public List<String> requestsSoFar() {
    return List.copyOf(requests);
  }

  /** How many objects the listings sent back, in all. */
  public final AtomicInteger objectsListed = new AtomicInteger();

  /** How many writes were refused with 429. */
  public final AtomicInteger rateLimited = new AtomicInteger();

  public FakeGcsServer(String bucket, Supplier<Instant> clock) throws IOException {
    this(bucket, clock, WireLink.instant(), ObjectBodies.inMemory());
  }

  /**
   * A bucket whose every request passes this link (latency per request, bandwidth per stream), the
   * objects' bytes kept as files of {@code folder}.
   */
  public FakeGcsServer(String bucket, Supplier<Instant> clock, WireLink link, Path folder)
      throws IOException {
    this(bucket, clock, link, ObjectBodies.inFolder(folder));
  }

  private FakeGcsServer(String bucket, Supplier<Instant> clock, WireLink link, ObjectBodies bodies)
      throws IOException {
    this.bucket = bucket;
    this.clock = clock;
    this.link = link;
    this.bodies = bodies;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  /** The link every request passes: its counts of requests and bytes. */
  public WireLink link() {
    return link;
  }

  private static ThreadFactory daemons() {
    return runnable -> {
      Thread thread = new Thread(runnable, "fake-gcs");
      thread.setDaemon(true);
      return thread;
    };
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * A client of this server that tries each request once: the client's own retries of a 429 would
   * wait on the wall clock, and what is under test is what our code does with the answer.
   */
  public Storage client() {
    return StorageOptions.newBuilder()
        .setHost(url())
        .setProjectId("bqx-test")
        .setCredentials(NoCredentials.getInstance())
        .setRetrySettings(RetrySettings.newBuilder().setMaxAttempts(1).build())
        .build()
        .getService();
  }

  /** Puts an object in place as if written long ago. */
  public synchronized void put(String name, byte[] content) throws IOException {
    replace(
        name,
        new Stored(
            bodies.of(content),
            generations.incrementAndGet(),
            clock.get().minus(Duration.ofHours(1))));
  }

  public synchronized byte[] content(String name) throws IOException {
    ObjectBodies.Body body = objects.get(name).body();
    return body.read(0, (int) body.size());
  }

  private void replace(String name, Stored stored) {
    Stored old = objects.put(name, stored);
    if (old != null) {
      bodies.release(old.body());
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    requests.add(method + " " + path + "?" + exchange.getRequestURI().getRawQuery());
    // An upload's chunk streams into its object's bytes before the lock is taken: chunks of one
    // upload come one after another, and other requests need not wait for a chunk's bytes.
    Session chunkOf =
        method.equals("PUT") && path.startsWith("/session/")
            ? sessions.get(path.substring("/session/".length()))
            : null;
    long received = 0;
    if (chunkOf != null) {
      synchronized (chunkOf) {
        received = chunkOf.received().append(exchange.getRequestBody());
      }
    }
    byte[] body = chunkOf != null ? new byte[0] : body(exchange);
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      // The client gzips some JSON bodies (a compose's): Content-Encoding as RFC 9110 has it.
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
        body = in.readAllBytes();
      }
    }
    try {
      synchronized (this) {
        route(exchange, method, path, query, body);
      }
      Reply reply = REPLY.get();
      REPLY.remove();
      link.request(received + body.length + reply.length());
      exchange.sendResponseHeaders(reply.status(), reply.length() == 0 ? -1 : reply.length());
      if (reply.length() > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          reply.content().writeTo(out);
        }
      }
    } finally {
      exchange.close();
    }
  }

  /** The request's body, read straight into an array of its Content-Length when it has one. */
  private static byte[] body(HttpExchange exchange) throws IOException {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length == null) {
      return exchange.getRequestBody().readAllBytes();
    }
    byte[] body = new byte[Integer.parseInt(length)];
    int read = exchange.getRequestBody().readNBytes(body, 0, body.length);
    return read == body.length ? body : Arrays.copyOf(body, read);
  }

  private void route(
      HttpExchange exchange, String method, String path, Map<String, String> query, byte[] body)
      throws IOException {
    String objectPrefix = "/storage/v1/b/" + bucket + "/o";
    String rewrite = "/rewriteTo/b/" + bucket + "/o/";
    if (method.equals("POST") && path.equals("/upload" + objectPrefix)) {
      initiate(exchange, query, body);
    } else if (method.equals("PUT") && path.startsWith("/session/")) {
      putChunk(exchange, path.substring("/session/".length()));
    } else if (method.equals("GET") && path.equals(objectPrefix)) {
      list(exchange, query);
    } else if (method.equals("POST")
        && path.startsWith(objectPrefix + "/")
        && path.endsWith("/compose")) {
      compose(
          exchange,
          decode(path.substring(objectPrefix.length() + 1, path.length() - "/compose".length())),
          query,
          body);
    } else if (method.equals("POST")
        && path.startsWith(objectPrefix + "/")
        && path.contains(rewrite)) {
      String names = path.substring(objectPrefix.length() + 1);
      int cut = names.indexOf(rewrite);
      rewrite(
          exchange,
          decode(names.substring(0, cut)),
          decode(names.substring(cut + rewrite.length())),
          query);
    } else if (method.equals("DELETE") && path.startsWith(objectPrefix + "/")) {
      delete(exchange, decode(path.substring(objectPrefix.length() + 1)));
    } else if (method.equals("GET") && path.startsWith(objectPrefix + "/")) {
      get(exchange, decode(path.substring(objectPrefix.length() + 1)), query, null);
    } else if (method.equals("GET") && path.startsWith("/download" + objectPrefix + "/")) {
      get(
          exchange,
          decode(path.substring(("/download" + objectPrefix).length() + 1)),
          query,
          exchange.getRequestHeaders().getFirst("Range"));
    } else {
      error(exchange, 501, "notImplemented", method + " " + path + " is not faked");
    }
  }

  private void initiate(HttpExchange exchange, Map<String, String> query, byte[] body)
      throws IOException {
    JsonNode metadata = Json.MAPPER.readTree(body);
    String name = query.getOrDefault("name", metadata.path("name").asText());
    if (!preconditionHolds(name, query)) {
      error(exchange, 412, "conditionNotMet", "At least one of the pre-conditions did not hold.");
      return;
    }
    String id = Integer.toString(sessionIds.incrementAndGet());
    sessions.put(id, new Session(name, Json.MAPPER.valueToTree(query), bodies.receive()));
    exchange.getResponseHeaders().add("Location", url() + "/session/" + id);
    reply(exchange, 200, new byte[0]);
  }

  /**
   * One chunk of an upload: {@code bytes FIRST-LAST/*} keeps the session open (308), {@code
   * .../TOTAL} or {@code bytes * /TOTAL} finalizes it once TOTAL bytes are in; a PUT without the
   * header carries the whole object.
   */
  private void putChunk(HttpExchange exchange, String id) throws IOException {
    Session session = sessions.get(id);
    if (session == null) {
      error(exchange, 404, "notFound", "no upload session " + id);
      return;
    }
    String range = exchange.getRequestHeaders().getFirst("Content-Range");
    String total = range == null ? "" : range.substring(range.indexOf('/') + 1);
    long received = session.received().size();
    if (total.equals("*") || (!total.isEmpty() && Long.parseLong(total) > received)) {
      if (received > 0) {
        exchange.getResponseHeaders().add("Range", "bytes=0-" + (received - 1));
      }
      reply(exchange, 308, new byte[0]);
      return;
    }
    sessions.remove(id);
    finalizeUpload(exchange, session, session.received().finish());
  }

  @SuppressWarnings("unchecked")
  private void finalizeUpload(HttpExchange exchange, Session session, ObjectBodies.Body content)
      throws IOException {
    Map<String, String> query = Json.MAPPER.convertValue(session.query(), Map.class);
    Stored stored = store(exchange, session.name(), content, query);
    if (stored != null) {
      json(exchange, 200, resource(session.name(), stored));
    }
  }

  /** Writes an object under the one-write-a-second rule and the preconditions; null if refused. */
  private Stored store(
      HttpExchange exchange, String name, ObjectBodies.Body content, Map<String, String> query)
      throws IOException {
    Stored current = objects.get(name);
    Instant now = clock.get();
    if (current != null && current.writtenAt().plus(WRITE_INTERVAL).isAfter(now)) {
      rateLimited.incrementAndGet();
      error(
          exchange,
          429,
          "rateLimitExceeded",
          "The object "
              + bucket
              + "/"
              + name
              + " exceeded the rate limit for object"
              + " mutation operations (create, update, and delete).");
      bodies.release(content);
      return null;
    }
    if (!preconditionHolds(name, query)) {
      error(exchange, 412, "conditionNotMet", "At least one of the pre-conditions did not hold.");
      bodies.release(content);
      return null;
    }
    Stored stored = new Stored(content, generations.incrementAndGet(), now);
    replace(name, stored);
    return stored;
  }

  private void rewrite(
      HttpExchange exchange, String source, String target, Map<String, String> query)
      throws IOException {
    Stored from = objects.get(source);
    String generation = query.get("sourceGeneration");
    if (from == null || (generation != null && Long.parseLong(generation) != from.generation())) {
      error(exchange, 404, "notFound", "No such object: " + bucket + "/" + source);
      return;
    }
    Stored stored = store(exchange, target, bodies.copy(from.body()), query);
    if (stored != null) {
      String size = Long.toString(stored.body().size());
      ObjectNode answer =
          Json.MAPPER
              .createObjectNode()
              .put("kind", "storage#rewriteResponse")
              .put("totalBytesRewritten", size)
              .put("objectSize", size)
              .put("done", true);
      answer.set("resource", resource(target, stored));
      json(exchange, 200, answer);
    }
  }

  /**
   * The JSON API's compose (cloud.google.com/storage/docs/json_api/v1/objects/compose): {@code POST
   * .../o/DESTINATION/compose} with a body naming {@code sourceObjects} (each a {@code name}, an
   * optional {@code generation}), 1 to 32 of them ("You can use between 1 and 32 source objects",
   * cloud.google.com/storage/docs/composite-objects), else 400; a missing source (or generation)
   * answers 404. The new object is the concatenation, its CRC32C that of the concatenation and its
   * {@code componentCount} the sum of the sources' ("Each composite object has a component count
   * metadata field, which counts the number of non-composite objects contained within the composite
   * object", ibid.); the destination's preconditions and write rate apply as to any write.
   */
  private void compose(HttpExchange exchange, String target, Map<String, String> query, byte[] body)
      throws IOException {
    JsonNode sources = Json.MAPPER.readTree(body).path("sourceObjects");
    if (!sources.isArray() || sources.isEmpty() || sources.size() > 32) {
      error(
          exchange,
          400,
          "invalid",
          "The number of source components provided (" + sources.size() + ") is not 1 to 32.");
      return;
    }
    List<ObjectBodies.Body> parts = new ArrayList<>();
    for (JsonNode source : sources) {
      String name = source.path("name").asText();
      Stored stored = objects.get(name);
      JsonNode generation = source.path("generation");
      if (stored == null
          || (!generation.isMissingNode()
              && !generation.isNull()
              && Long.parseLong(generation.asText()) != stored.generation())) {
        error(exchange, 404, "notFound", "No such object: " + bucket + "/" + name);
        return;
      }
      parts.add(stored.body());
    }
    Stored stored = store(exchange, target, bodies.concat(parts), query);
    if (stored != null) {
      json(exchange, 200, resource(target, stored));
    }
  }

  private void delete(HttpExchange exchange, String name) throws IOException {
    Stored removed = objects.remove(name);
    if (removed == null) {
      error(exchange, 404, "notFound", "No such object: " + bucket + "/" + name);
      return;
    }
    bodies.release(removed.body());
    reply(exchange, 204, new byte[0]);
  }

  private void get(HttpExchange exchange, String name, Map<String, String> query, String range)
      throws IOException {
    Stored stored = objects.get(name);
    String generation = query.get("generation");
    if (stored == null
        || (generation != null && Long.parseLong(generation) != stored.generation())) {
      error(exchange, 404, "notFound", "No such object: " + bucket + "/" + name);
      return;
    }
    if ("media".equals(query.get("alt")) && range != null && range.startsWith("bytes=")) {
      media(exchange, stored, range.substring("bytes=".length()));
    } else if ("media".equals(query.get("alt"))) {
      slice(exchange, 200, stored.body(), 0, stored.body().size());
    } else {
      json(exchange, 200, resource(name, stored));
    }
  }

  /** A slice: FIRST-LAST (inclusive) or FIRST- (to the end). */
  private static void media(HttpExchange exchange, Stored stored, String range) throws IOException {
    long length = stored.body().size();
    int dash = range.indexOf('-');
    long first = Long.parseLong(range.substring(0, dash));
    String lastText = range.substring(dash + 1);
    long last = lastText.isEmpty() ? length - 1L : Long.parseLong(lastText);
    if (first >= length) {
      exchange.getResponseHeaders().add("Content-Range", "bytes */" + length);
      error(
          exchange,
          416,
          "requestedRangeNotSatisfiable",
          "The requested range cannot be satisfied.");
      return;
    }
    long end = Math.min(last + 1, length);
    exchange
        .getResponseHeaders()
        .add("Content-Range", "bytes " + first + "-" + (end - 1) + "/" + length);
    exchange.getResponseHeaders().add("x-goog-generation", Long.toString(stored.generation()));
    slice(exchange, 206, stored.body(), first, end - first);
  }

  private static void slice(
      HttpExchange exchange, int status, ObjectBodies.Body body, long from, long length) {
    REPLY.set(new Reply(status, length, out -> body.writeTo(out, from, length)));
  }

  private void list(HttpExchange exchange, Map<String, String> query) throws IOException {
    String prefix = query.getOrDefault("prefix", "");
    ObjectGlob glob = query.containsKey("matchGlob") ? ObjectGlob.of(query.get("matchGlob")) : null;
    ObjectNode answer = Json.MAPPER.createObjectNode().put("kind", "storage#objects");
    ArrayNode items = answer.putArray("items");
    objects.forEach(
        (name, stored) -> {
          if (name.startsWith(prefix) && (glob == null || glob.matches(name))) {
            items.add(resource(name, stored));
          }
        });
    objectsListed.addAndGet(items.size());
    json(exchange, 200, answer);
  }

  private boolean preconditionHolds(String name, Map<String, String> query) {
    String wanted = query.get("ifGenerationMatch");
    if (wanted == null) {
      return true;
    }
    Stored current = objects.get(name);
    long actual = current == null ? 0 : current.generation();
    return actual == Long.parseLong(wanted);
  }

  private ObjectNode resource(String name, Stored stored) {
    ObjectNode resource = Json.MAPPER.createObjectNode();
    if (stored.body().components() > 1) {
      resource.put("componentCount", stored.body().components());
    }
    return resource
        .put("kind", "storage#object")
        .put("bucket", bucket)
        .put("name", name)
        .put("generation", Long.toString(stored.generation()))
        .put("metageneration", "1")
        .put("size", Long.toString(stored.body().size()))
        .put("crc32c", stored.body().crc32c());
  }

  private static void error(HttpExchange exchange, int code, String reason, String message)
      throws IOException {
    ObjectNode error = Json.MAPPER.createObjectNode();
    ObjectNode inner = error.putObject("error").put("code", code).put("message", message);
    inner.putArray("errors").addObject().put("reason", reason).put("message", message);
    json(exchange, code, error);
  }

  private static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
    reply(exchange, status, Json.MAPPER.writeValueAsBytes(body));
  }

  private static void reply(HttpExchange exchange, int status, byte[] bytes) {
    REPLY.set(new Reply(status, bytes.length, out -> out.write(bytes)));
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          query.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
      }
    }
    return query;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, UTF_8);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
