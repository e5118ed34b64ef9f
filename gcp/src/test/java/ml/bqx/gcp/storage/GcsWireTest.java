package ml.bqx.gcp.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.StorageOptions;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import ml.bqx.core.port.Crc32c;
import ml.bqx.core.port.ObjectUpload;
import ml.bqx.core.port.PreconditionFailedException;
import ml.bqx.core.port.WritePrecondition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * GCS answers LocalStorageHelper cannot give (a 412, a CRC32C of its own), from a loopback fake of
 * the JSON API's resumable upload.
 */
class GcsWireTest {
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private HttpServer server;

  private GcsObjectStore storeAnswering(int initiateStatus, String storedCrc32c)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    server.createContext(
        "/",
        exchange -> {
          requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
          exchange.getRequestBody().readAllBytes();
          if (exchange.getRequestMethod().equals("POST")) {
            if (initiateStatus != 200) {
              reply(exchange, initiateStatus, "{\"error\":{\"code\":412,\"message\":\"cond\"}}");
              return;
            }
            exchange.getResponseHeaders().add("Location", base + "/session/1");
            reply(exchange, 200, "");
            return;
          }
          reply(
              exchange,
              200,
              "{\"bucket\":\"bucket\",\"name\":\"out.parquet\",\"generation\":\"42\","
                  + "\"size\":\"5\",\"crc32c\":\""
                  + storedCrc32c
                  + "\"}");
        });
    server.start();
    return new GcsObjectStore(
        StorageOptions.newBuilder()
            .setHost(base)
            .setProjectId("p")
            .setCredentials(NoCredentials.getInstance())
            .build()
            .getService());
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void write_doesNotExist_sendsGenerationZero_andMaps412ToPreconditionFailed() throws Exception {
    GcsObjectStore store = storeAnswering(412, "");

    PreconditionFailedException e =
        assertThrows(
            PreconditionFailedException.class,
            () ->
                store.write(
                    URI.create("gs://bucket/ledger.json"),
                    new byte[] {1},
                    WritePrecondition.doesNotExist()));

    assertThat(e.getMessage()).contains("gs://bucket/ledger.json");
    assertThat(requests.get(0)).startsWith("POST ").contains("ifGenerationMatch=0");
  }

  @Test
  void finish_whenGcsStoredAnotherCrc32c_failsNamingBoth() throws Exception {
    GcsObjectStore store = storeAnswering(200, "AAAAAA==");
    ObjectUpload upload = store.upload(URI.create("gs://bucket/out.parquet"));
    upload.write("hello".getBytes(UTF_8));

    IOException e = assertThrows(IOException.class, upload::finish);

    assertThat(e.getMessage())
        .isEqualTo(
            "CRC32C mismatch on gs://bucket/out.parquet: sent "
                + Crc32c.of("hello".getBytes(UTF_8))
                + " but GCS stored AAAAAA== (generation 42)");
  }

  @Test
  void finish_whenGcsStoredTheSameCrc32c_reportsTheObject() throws Exception {
    String crc = Crc32c.of("hello".getBytes(UTF_8));
    GcsObjectStore store = storeAnswering(200, crc);
    ObjectUpload upload = store.upload(URI.create("gs://bucket/out.parquet"));
    upload.write("hello".getBytes(UTF_8));

    var info = upload.finish();

    assertThat(info.generation()).isEqualTo(42);
    assertThat(info.crc32c()).isEqualTo(crc);
    assertThat(requests).anyMatch(r -> r.startsWith("POST ") && r.contains("uploadType=resumable"));
    assertThat(requests).anyMatch(r -> r.startsWith("PUT /session/1"));
  }
}
