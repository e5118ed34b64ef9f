package ml.bqx.bench.cloud;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.NoCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.storage.v1.BigQueryReadClient;
import com.google.cloud.bigquery.storage.v1.BigQueryReadSettings;
import com.google.cloud.storage.StorageOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.Warehouse;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.gcp.bigquery.BigQueryWarehouse;
import ml.bqx.gcp.pubsub.PubSubEventPublisher;
import ml.bqx.gcp.storage.GcsObjectStore;
import ml.bqx.wire.bigquery.FakeBigQueryReadTables;
import ml.bqx.wire.bigquery.FakeBigQueryRest;
import ml.bqx.wire.gcs.FakeGcsServer;
import ml.bqx.wire.link.WireLink;
import ml.bqx.wire.pubsub.FakePublisherService;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Google Cloud on loopback for one bench: the GCS JSON API over HTTP, Storage Read and Pub/Sub over
 * gRPC (Netty, so every message is really serialized), BigQuery REST over HTTP, each behind the
 * profile's latency and bandwidth; and the real adapters pointed at them, built as in the cloud but
 * for their endpoints and credentials.
 */
public final class GoogleOnLoopback implements AutoCloseable {
  static final String PROJECT = "bqx-bench";
  static final String BUCKET = "bqx-bench";

  private final FakeGcsServer gcs;
  private final FakeBigQueryRest rest;
  private final FakeBigQueryReadTables read;
  private final FakePublisherService pubsub = new FakePublisherService();
  private final Server grpc;
  private final ManagedChannel pubsubChannel;
  private final Path objects;

  /** The fakes, GCS keeping its objects as files of {@code objects} (removed on close). */
  public GoogleOnLoopback(
      CloudProfile profile, Warehouse seeded, Pair pair, BufferAllocator allocator, Path objects)
      throws IOException {
    this.objects = objects;
    gcs =
        new FakeGcsServer(
            BUCKET,
            Instant::now,
            WireLink.of(profile.gcsLatencyMs(), profile.gcsMbpsPerStream()),
            objects);
    WarehouseOnWire tables = new WarehouseOnWire(seeded, pair, allocator);
    rest = tables.rest();
    read =
        new FakeBigQueryReadTables(
            tables,
            WireLink.of(profile.readSessionMs(), 0),
            WireLink.of(0, profile.readMbpsPerStream()));
    pubsub.link = WireLink.of(profile.publishLatencyMs(), 0);
    grpc =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(read)
            .addService(pubsub)
            .build()
            .start();
    pubsubChannel =
        ManagedChannelBuilder.forAddress("127.0.0.1", grpc.getPort()).usePlaintext().build();
  }

  /** gs://bqx-bench/PATH */
  public static java.net.URI uri(String path) {
    return java.net.URI.create("gs://" + BUCKET + "/" + path);
  }

  /** The GCS adapter over Google's client, with the client's own retries (429s are retried). */
  public ObjectStore objectStore() {
    return objectStore(gcs.url());
  }

  /** The GCS adapter over Google's client, pointed at a fake GCS at this URL. */
  static ObjectStore objectStore(String url) {
    return new GcsObjectStore(
        StorageOptions.newBuilder()
            .setHost(url)
            .setProjectId(PROJECT)
            .setCredentials(NoCredentials.getInstance())
            .build()
            .getService());
  }

  /** Puts an object in place as if written long ago (no link time: setup, not measurement). */
  public void put(String path, byte[] content) throws IOException {
    gcs.put(path, content);
  }

  /** The BigQuery adapter: REST for discovery and tables.get, Storage Read over gRPC. */
  public Warehouse warehouse() throws IOException {
    BigQuery bigQuery =
        BigQueryOptions.newBuilder()
            .setProjectId(PROJECT)
            .setHost(rest.url())
            .setCredentials(NoCredentials.getInstance())
            .build()
            .getService();
    BigQueryReadSettings settings =
        BigQueryReadSettings.newBuilder()
            .setTransportChannelProvider(
                BigQueryReadSettings.defaultGrpcTransportProviderBuilder()
                    .setEndpoint("127.0.0.1:" + grpc.getPort())
                    .setChannelConfigurator(GoogleOnLoopback::plaintext)
                    .build())
            .setCredentialsProvider(NoCredentialsProvider.create())
            .build();
    return new BigQueryWarehouse(
        PROJECT, WarehouseLayout.DATASET, bigQuery, BigQueryReadClient.create(settings));
  }

  @SuppressWarnings("rawtypes") // gax's configurator is typed with the raw builder
  private static ManagedChannelBuilder plaintext(ManagedChannelBuilder builder) {
    return builder.usePlaintext();
  }

  /** The Pub/Sub adapter publishing to the fake. */
  public PubSubEventPublisher publisher() {
    return new PubSubEventPublisher(
        PROJECT,
        FixedTransportChannelProvider.create(GrpcTransportChannel.create(pubsubChannel)),
        NoCredentialsProvider.create(),
        Duration.ofSeconds(60));
  }

  /** What the fakes counted so far. */
  public WireCounts counts() {
    return new WireCounts(
        gcs.link().requests(),
        gcs.link().bytes(),
        read.sessionLink().requests(),
        read.rowsLink().requests(),
        read.rowsLink().bytes(),
        rest.paths.size(),
        pubsub.link.requests());
  }

  @Override
  public void close() {
    pubsubChannel.shutdownNow();
    grpc.shutdownNow();
    rest.close();
    gcs.close();
    deleteTree(objects);
  }

  /** Removes the fake's objects: a bench leaves no gigabytes behind. */
  static void deleteTree(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
