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
import ml.bqx.core.port.ObjectUpload;
import ml.bqx.core.port.TableSnapshot;
import ml.bqx.core.port.Warehouse;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.core.port.WarehouseTable;
import ml.bqx.job.stage.JobFailure;
import ml.bqx.trainingfile.io.UploadOutputFile;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Stage 1: takes each table's snapshot, reuses the pair's cached checkpoint made from that very
 * snapshot (after verifying it), and otherwise reads the table, with as many tables in flight as
 * {@link ExtractConcurrency} chooses once the spine's rows are known, aligns it to the spine (the
 * targets' keys) and writes it as a checkpoint in the cache, followed by its marker. A retried
 * attempt and the next run alike read again only what changed; a changed spine changes every
 * feature table's entry. It returns, even when a table fails, only once every table in flight has
 * let its Arrow memory go.
 */
public final class Extractor {
  private static final Logger LOG = Logger.getLogger(Extractor.class.getName());

  /** How long a failed stage waits for the tables in flight to let go of their memory. */
  private static final long STOP_WAIT_MINUTES = 10;

  private final Warehouse warehouse;
  private final CheckpointCache cache;
  private final ExtractConcurrency sizing;
  private volatile int concurrency;
  private final BufferAllocator allocator;

  public Extractor(
      Warehouse warehouse,
      CheckpointCache cache,
      ExtractConcurrency sizing,
      BufferAllocator allocator) {
    this.warehouse = warehouse;
    this.cache = cache;
    this.sizing = sizing;
    this.concurrency = sizing.upperBound();
    this.allocator = allocator;
  }

  /** How many tables it reads at once (before the spine is known: at most). */
  public int concurrency() {
    return concurrency;
  }

  public ExtractResult extract(ExtractPlan plan, ExtractProgress progress) throws IOException {
    int total = plan.features().size() + 1;
    AtomicInteger done = new AtomicInteger();
    AtomicLong sourceRows = new AtomicLong();
    WarehouseTable targets = plan.targets();
    TableSnapshot targetsSnapshot = snapshot(targets);
    String targetsEntry =
        cache.entry(
            targets.name(), targetsSnapshot, WarehouseLayout.HORIZONS, CheckpointCache.OWN_SPINE);
    Optional<CheckpointMarker> cachedTargets = cache.reusable(targets.name(), targetsEntry);
    SpineSupply spine;
    Checkpoint targetsCheckpoint;
    if (cachedTargets.isPresent()) {
      CheckpointMarker marker = cachedTargets.get();
      spine =
          SpineSupply.cached(
              targets.name(),
              marker.spineFingerprint(),
              Math.toIntExact(marker.rows()),
              () -> readSpine(targets));
      targetsCheckpoint = reused(marker, targetsEntry, true);
    } else {
      Spine read = readSpine(targets);
      spine = SpineSupply.of(targets.name(), read);
      targetsCheckpoint =
          extractOne(
              targets,
              targetsSnapshot,
              targetsEntry,
              WarehouseLayout.HORIZONS,
              WarehouseLayout.HORIZONS,
              spine,
              true,
              sourceRows);
    }
    progress.tableDone(targets.name(), targetsCheckpoint.reused(), done.incrementAndGet(), total);

    int widest = plan.features().stream().mapToInt(t -> t.sourceColumns().size()).max().orElse(1);
    ExtractConcurrency.Choice choice = sizing.choose(spine.rows(), widest, cache.rowGroupRows());
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
            + spine.rows()
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
                  Checkpoint checkpoint = feature(table, spine, sourceRows);
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
          plan, spine.rows(), spine.fingerprint(), checkpoints, sourceRows.get());
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

  /** A feature table's cached checkpoint for its snapshot and this spine, or a new one. */
  private Checkpoint feature(ExtractPlan.PlannedTable planned, SpineSupply spine, AtomicLong rows)
      throws IOException {
    WarehouseTable table = planned.table();
    TableSnapshot snapshot = snapshot(table);
    String entry =
        cache.entry(table.name(), snapshot, planned.outputColumns(), spine.fingerprint());
    Optional<CheckpointMarker> cached = cache.reusable(table.name(), entry);
    if (cached.isPresent()) {
      return reused(cached.get(), entry, false);
    }
    return extractOne(
        table,
        snapshot,
        entry,
        planned.sourceColumns(),
        planned.outputColumns(),
        spine,
        false,
        rows);
  }

  private TableSnapshot snapshot(WarehouseTable table) throws IOException {
    try {
      return warehouse.snapshot(table);
    } catch (IOException e) {
      throw new JobFailure("cannot read table " + table.name() + ": " + e.getMessage(), true, e);
    }
  }

  private Spine readSpine(WarehouseTable targets) throws IOException {
    long[] keys;
    try (BufferAllocator child = allocator.newChildAllocator("keys", 0, Long.MAX_VALUE);
        ArrowReader reader = warehouse.read(targets, child)) {
      keys = TableAligner.readKeys(targets.name(), reader);
    }
    Spine spine = Spine.of(targets.name(), keys);
    if (spine.size() == 0) {
      throw JobFailure.badInput("targets table " + targets.name() + " has no rows");
    }
    return spine;
  }

  private Checkpoint reused(CheckpointMarker marker, String entry, boolean withKey) {
    LOG.fine("reusing the checkpoint of " + marker.table());
    int columns = marker.columns().size() + (withKey ? 1 : 0);
    return new Checkpoint(
        marker.table(), cache.checkpoint(marker.table(), entry), columns, marker.size(), true);
  }

  private Checkpoint extractOne(
      WarehouseTable table,
      TableSnapshot snapshot,
      String entry,
      List<String> sourceColumns,
      List<String> outputColumns,
      SpineSupply spineSupply,
      boolean withKey,
      AtomicLong sourceRows)
      throws IOException {
    URI uri = cache.checkpoint(table.name(), entry);
    Spine spine = spineSupply.keys();
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
    try (ObjectUpload upload = cache.upload(uri)) {
      groups =
          CheckpointWriter.write(
              new UploadOutputFile(upload, uri.toString()),
              aligned,
              withKey ? spine : null,
              cache.rowGroupRows());
      written = upload.finish();
    }
    cache.record(table.name(), entry, snapshot, aligned, spine.fingerprint(), groups, written);
    LOG.fine("checkpointed " + table.name() + " (" + written.size() + " bytes)");
    return new Checkpoint(
        table.name(), uri, outputColumns.size() + (withKey ? 1 : 0), written.size(), false);
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
