package ml.bqx.job.extract;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.ObjectUpload;
import ml.bqx.core.port.StoredObject;
import ml.bqx.core.port.Warehouse;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.core.port.WarehouseTable;
import ml.bqx.core.port.WritePrecondition;
import ml.bqx.job.stage.JobFailure;
import ml.bqx.job.stage.JobPaths;
import ml.bqx.trainingfile.io.UploadOutputFile;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Stage 1: reads the targets (the spine), then every feature table with as many tables in flight as
 * {@link ExtractConcurrency} chooses once the spine's rows are known, aligns each to the spine and
 * writes it as a checkpoint in the staging store, followed by its marker. A table whose checkpoint
 * and marker from an earlier attempt still agree is not read again. It returns, even when a table
 * fails, only once every table in flight has let its Arrow memory go.
 */
public final class Extractor {
  private static final Logger LOG = Logger.getLogger(Extractor.class.getName());

  /** How long a failed stage waits for the tables in flight to let go of their memory. */
  private static final long STOP_WAIT_MINUTES = 10;

  private final Warehouse warehouse;
  private final ObjectStore staging;
  private final JobPaths paths;
  private final ExtractConcurrency sizing;
  private volatile int concurrency;
  private final int rowGroupRows;
  private final BufferAllocator allocator;

  public Extractor(
      Warehouse warehouse,
      ObjectStore staging,
      JobPaths paths,
      ExtractConcurrency sizing,
      int rowGroupRows,
      BufferAllocator allocator) {
    this.warehouse = warehouse;
    this.staging = staging;
    this.paths = paths;
    this.sizing = sizing;
    this.concurrency = sizing.upperBound();
    this.rowGroupRows = rowGroupRows;
    this.allocator = allocator;
  }

  /** How many tables it reads at once (before the spine is known: at most). */
  public int concurrency() {
    return concurrency;
  }

  public ExtractResult extract(ExtractPlan plan, ExtractProgress progress) throws IOException {
    WarehouseTable targets = plan.targets();
    long[] keys;
    try (BufferAllocator child = allocator.newChildAllocator("keys", 0, Long.MAX_VALUE);
        ArrowReader reader = warehouse.read(targets, child)) {
      keys = TableAligner.readKeys(targets.name(), reader);
    }
    Spine spine = Spine.of(targets.name(), keys);
    if (spine.size() == 0) {
      throw JobFailure.badInput("targets table " + targets.name() + " has no rows");
    }
    int total = plan.features().size() + 1;
    AtomicInteger done = new AtomicInteger();
    AtomicLong sourceRows = new AtomicLong();
    Checkpoint targetsCheckpoint =
        extractOne(
            targets, WarehouseLayout.HORIZONS, WarehouseLayout.HORIZONS, spine, true, sourceRows);
    progress.tableDone(targets.name(), targetsCheckpoint.reused(), done.incrementAndGet(), total);

    int widest = plan.features().stream().mapToInt(t -> t.sourceColumns().size()).max().orElse(1);
    ExtractConcurrency.Choice choice = sizing.choose(spine.size(), widest, rowGroupRows);
    concurrency = choice.tables();
    LOG.info("extract concurrency " + concurrency + ": " + choice.reason());
    LOG.info(
        "extracting "
            + plan.features().size()
            + " feature tables of "
            + plan.pair()
            + " with concurrency "
            + concurrency
            + " onto a spine of "
            + spine.size()
            + " rows");
    ExecutorService pool =
        Executors.newFixedThreadPool(
            concurrency,
            runnable -> {
              Thread thread = new Thread(runnable, "extract");
              thread.setDaemon(true);
              return thread;
            });
    List<Future<Checkpoint>> futures = new ArrayList<>();
    try {
      for (ExtractPlan.PlannedTable table : plan.features()) {
        futures.add(
            pool.submit(
                () -> {
                  Checkpoint checkpoint =
                      extractOne(
                          table.table(),
                          table.sourceColumns(),
                          table.outputColumns(),
                          spine,
                          false,
                          sourceRows);
                  synchronized (done) { // progress is told in order: done counts never go back
                    progress.tableDone(
                        table.table().name(), checkpoint.reused(), done.incrementAndGet(), total);
                  }
                  return checkpoint;
                }));
      }
      List<Checkpoint> checkpoints = new ArrayList<>();
      checkpoints.add(targetsCheckpoint);
      for (Future<Checkpoint> future : futures) {
        checkpoints.add(await(future));
      }
      return new ExtractResult(
          plan, spine.size(), spine.fingerprint(), checkpoints, sourceRows.get());
    } finally {
      stop(pool);
    }
  }

  /**
   * Stops the tables still in flight and waits until they have closed their allocators: the root
   * allocator is closed next, and one closed under a running table reports a leak that hides the
   * failure that stopped the stage.
   */
  private static void stop(ExecutorService pool) {
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(STOP_WAIT_MINUTES, TimeUnit.MINUTES)) {
        LOG.warning("tables still in flight after " + STOP_WAIT_MINUTES + " minutes");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Checkpoint extractOne(
      WarehouseTable table,
      List<String> sourceColumns,
      List<String> outputColumns,
      Spine spine,
      boolean withKey,
      AtomicLong sourceRows)
      throws IOException {
    URI uri = paths.checkpoint(table.name());
    Optional<ObjectInfo> reusable = reusable(table.name(), outputColumns, spine);
    if (reusable.isPresent()) {
      LOG.fine("reusing the checkpoint of " + table.name());
      int columns = outputColumns.size() + (withKey ? 1 : 0);
      return new Checkpoint(table.name(), uri, columns, reusable.get().size(), true);
    }
    AlignedTable aligned;
    try (BufferAllocator child = allocator.newChildAllocator(table.name(), 0, Long.MAX_VALUE);
        ArrowReader reader = warehouse.read(table, child)) {
      aligned = TableAligner.align(table.name(), sourceColumns, outputColumns, spine, reader);
    } catch (IOException e) {
      throw new JobFailure("cannot read table " + table.name() + ": " + e.getMessage(), true, e);
    }
    sourceRows.addAndGet(aligned.sourceRows());
    ObjectInfo written;
    int groups;
    try (ObjectUpload upload = staging.upload(uri)) {
      groups =
          CheckpointWriter.write(
              new UploadOutputFile(upload, uri.toString()),
              aligned,
              withKey ? spine : null,
              rowGroupRows);
      written = upload.finish();
    }
    CheckpointMarker marker =
        new CheckpointMarker(
            table.name(),
            outputColumns,
            spine.fingerprint(),
            aligned.rows(),
            groups,
            aligned.sourceRows(),
            written.size(),
            written.generation(),
            written.crc32c(),
            paths.attempt());
    staging.write(paths.marker(table.name()), marker.toJson(), WritePrecondition.none());
    LOG.fine("checkpointed " + table.name() + " (" + written.size() + " bytes)");
    return new Checkpoint(
        table.name(), uri, outputColumns.size() + (withKey ? 1 : 0), written.size(), false);
  }

  /** The checkpoint an earlier attempt left, if its marker still describes it exactly. */
  private Optional<ObjectInfo> reusable(String table, List<String> columns, Spine spine)
      throws IOException {
    Optional<StoredObject> stored = staging.read(paths.marker(table));
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    CheckpointMarker marker;
    try {
      marker = CheckpointMarker.parse(stored.get().content());
    } catch (IOException e) {
      LOG.warning("ignoring the unreadable marker of " + table + ": " + e.getMessage());
      return Optional.empty();
    }
    Optional<ObjectInfo> checkpoint = staging.stat(paths.checkpoint(table));
    if (checkpoint.isPresent()
        && marker.describes(checkpoint.get())
        && marker.columns().equals(columns)
        && marker.spineFingerprint().equals(spine.fingerprint())) {
      return checkpoint;
    }
    return Optional.empty();
  }

  private Checkpoint await(Future<Checkpoint> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobFailure("extraction was interrupted", true, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof JobFailure failure) {
        throw failure;
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof OutOfMemoryError) {
        throw new JobFailure(
            "extraction ran out of heap with "
                + concurrency
                + " tables in flight (max heap "
                + (Runtime.getRuntime().maxMemory() >> 20)
                + " MiB): set BQX_EXTRACT_CONCURRENCY lower or give the job more memory",
            true,
            cause);
      }
      throw new IOException(cause);
    }
  }
}
