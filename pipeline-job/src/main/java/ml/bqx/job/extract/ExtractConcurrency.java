package ml.bqx.job.extract;

import java.lang.management.ManagementFactory;
import java.util.OptionalInt;

/**
 * How many tables the extractor has in flight: {@code BQX_EXTRACT_CONCURRENCY} when it is set, else
 * what this machine fits. A table in flight is mostly waiting on its read (the Storage Read API,
 * GCS), so CPUs allow several each; its memory is its aligned values, the row group its writer
 * encodes and the upload's buffer, all known once the spine's rows and the widest table are: the
 * heap bounds how many fit, whatever the CPUs allow. The lesson of the guide's job, which ran out
 * of memory with workers sized to the CPUs alone.
 */
public final class ExtractConcurrency {
  /** Tables in flight per CPU: most of a table's time is spent waiting on its read. */
  static final int PER_CPU = 4;

  /** Most tables in flight on any machine (Storage Read sessions and streams are quota'd). */
  static final int MOST = 32;

  /** Heap the rest of the job needs beside the tables in flight: footers, Arrow, the clients. */
  static final long RESERVE = 40L << 20;

  /**
   * Bytes the upload of one checkpoint buffers: a GCS resumable upload sends 16 MiB chunks
   * (java-storage's default write chunk); the folder store needs less, but one code path.
   */
  static final long UPLOAD_BUFFER = 16L << 20;

  /** Off-heap per table: one Arrow batch (65,536 rows at most) of doubles with validity. */
  static final long BATCH_ROWS = 65_536;

  /** The machine as the JVM sees it (in a container: the container's CPUs and memory). */
  public record Machine(int cpus, long maxHeap, long memory) {
    public static Machine current() {
      long memory = Runtime.getRuntime().maxMemory();
      if (ManagementFactory.getOperatingSystemMXBean()
          instanceof com.sun.management.OperatingSystemMXBean os) {
        memory = os.getTotalMemorySize(); // the container's limit where there is one
      }
      return new Machine(
          Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory(), memory);
    }
  }

  /** The choice and why, for the log and the events. */
  public record Choice(int tables, String reason) {}

  private final OptionalInt override;
  private final Machine machine;

  public ExtractConcurrency(OptionalInt override, Machine machine) {
    this.override = override;
    this.machine = machine;
  }

  /** Before the tables are known: the override, else what the CPUs allow. */
  public int upperBound() {
    return override.orElse(byCpus());
  }

  /** Bytes of heap one table of {@code columns} columns aligned to {@code rows} rows holds. */
  static long heapPerTable(long rows, int columns, int rowGroupRows) {
    long values = rows * columns * 8L + rows * columns / 8; // doubles + null bits
    long rowGroup = Math.min(rows, rowGroupRows) * columns * 16L; // plain pages + compressed
    return values + rowGroup + UPLOAD_BUFFER;
  }

  /**
   * @param rows the spine's rows
   * @param widestColumns the widest feature table's columns
   */
  public Choice choose(long rows, int widestColumns, int rowGroupRows) {
    long perTable = heapPerTable(rows, widestColumns, rowGroupRows);
    long spine = rows * 8L * 2; // the keys and their index
    int byHeap = (int) Math.max(1, (machine.maxHeap() - RESERVE - spine) / perTable);
    long offHeapPerTable = Math.min(rows, BATCH_ROWS) * (widestColumns + 1) * 9L;
    long offHeap = machine.memory() - machine.maxHeap();
    int byMemory = (int) Math.max(1, Math.min(Integer.MAX_VALUE, offHeap / offHeapPerTable));
    int fits = Math.min(byCpus(), Math.min(byHeap, byMemory));
    String machineText =
        machine.cpus()
            + " CPUs allow "
            + byCpus()
            + ", a heap of "
            + mib(machine.maxHeap())
            + " MiB allows "
            + byHeap
            + " tables of ~"
            + mib(perTable)
            + " MiB ("
            + rows
            + " rows x "
            + widestColumns
            + " columns), "
            + mib(machine.memory())
            + " MiB of memory allows "
            + byMemory;
    if (override.isPresent()) {
      return new Choice(
          override.getAsInt(),
          "BQX_EXTRACT_CONCURRENCY="
              + override.getAsInt()
              + " (fitted to the machine it would be "
              + fits
              + ": "
              + machineText
              + ")");
    }
    return new Choice(fits, "fitted to the machine: " + machineText);
  }

  private int byCpus() {
    return Math.max(1, Math.min(MOST, machine.cpus() * PER_CPU));
  }

  private static long mib(long bytes) {
    return bytes >> 20;
  }
}
