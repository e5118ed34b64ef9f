package ml.bqx.bench.cloud;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.Warehouse;
import ml.bqx.job.extract.AlignedTable;
import ml.bqx.job.extract.CheckpointWriter;
import ml.bqx.job.extract.ExtractPlan;
import ml.bqx.job.extract.Spine;
import ml.bqx.job.extract.TableAligner;
import ml.bqx.trainingfile.io.UploadOutputFile;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * The checkpoint encoding rate apart from the warehouse's CPU: tables are read and aligned first
 * (untimed: DuckDB's and the alignment's work), then only {@link CheckpointWriter} is timed, on
 * this one thread, writing into a sink that counts bytes. MB/s of the aligned doubles it encodes,
 * per core: by the wall clock, and by this thread's CPU time (what a machine shared with other work
 * does not change).
 */
final class EncodingRate {
  private EncodingRate() {}

  static Map<String, Double> measure(
      Warehouse warehouse, Pair pair, int tables, int rowGroupRows, BufferAllocator allocator)
      throws IOException {
    ExtractPlan plan = ExtractPlan.of(pair, warehouse.discover(pair));
    Spine spine;
    try (ArrowReader reader = warehouse.read(plan.targets(), allocator)) {
      spine = Spine.of(plan.targets().name(), TableAligner.readKeys(plan.targets().name(), reader));
    }
    List<AlignedTable> aligned = new ArrayList<>();
    for (ExtractPlan.PlannedTable planned : plan.features().subList(0, tables)) {
      try (ArrowReader reader = warehouse.read(planned.table(), allocator)) {
        aligned.add(
            TableAligner.align(
                planned.table().name(),
                planned.sourceColumns(),
                planned.outputColumns(),
                spine,
                reader));
      }
    }
    long inputBytes = 0;
    long outputBytes = 0;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuStarted = threads.getCurrentThreadCpuTime();
    long started = System.nanoTime();
    for (AlignedTable table : aligned) {
      CountingUpload sink = new CountingUpload();
      CheckpointWriter.write(new UploadOutputFile(sink, table.name()), table, null, rowGroupRows);
      inputBytes += (long) table.columns().size() * table.rows() * Double.BYTES;
      outputBytes += sink.count;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStarted) / 1e9;
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("seconds", seconds);
    figures.put("cpuSeconds", cpuSeconds);
    figures.put("mbPerCpuSecond", inputBytes / 1e6 / cpuSeconds);
    figures.put("tables", (double) tables);
    figures.put("inputBytes", (double) inputBytes);
    figures.put("outputBytes", (double) outputBytes);
    figures.put("mbPerSecPerCore", inputBytes / 1e6 / seconds);
    return figures;
  }

  /** An upload that keeps nothing: only the encoder's time is wanted. */
  private static final class CountingUpload extends ml.bqx.core.port.ObjectUpload {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      count += length;
    }

    @Override
    public String crc32cSoFar() {
      return "";
    }

    @Override
    public ObjectInfo finish() {
      return new ObjectInfo(URI.create("memory://encode"), count, 0, "");
    }

    @Override
    public void close() {}
  }
}
