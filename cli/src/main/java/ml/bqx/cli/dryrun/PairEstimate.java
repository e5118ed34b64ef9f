package ml.bqx.cli.dryrun;

/**
 * What one pair's job would read, take and cost.
 *
 * @param rows rows of the targets table: the training file's rows
 * @param bytes logical bytes of every table read (what the Storage Read API bills)
 * @param seconds expected slot time of the job, from the run's read rate
 * @param problem why the job would fail at discovery, or null
 */
public record PairEstimate(
    String pair,
    int tables,
    long rows,
    long bytes,
    double seconds,
    double vcpuSeconds,
    double gibSeconds,
    double cloudRunUsd,
    double storageReadUsd,
    String note,
    String problem) {}
