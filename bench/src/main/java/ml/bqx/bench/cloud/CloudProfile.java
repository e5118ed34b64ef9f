package ml.bqx.bench.cloud;

/**
 * The simulated Google Cloud a {@code bqx bench --cloud} runs against: latency and bandwidth of
 * each service. The defaults and where each comes from are in the README ("bqx bench --cloud").
 *
 * @param gcsLatencyMs GCS first-byte latency of every request
 * @param gcsMbpsPerStream GCS throughput of one upload or download stream, MB/s
 * @param readSessionMs the time a Storage Read CreateReadSession takes
 * @param readMbpsPerStream Storage Read throughput of one ReadRows stream, MB/s
 * @param publishLatencyMs Pub/Sub publish latency (request to acknowledgement)
 */
public record CloudProfile(
    double gcsLatencyMs,
    double gcsMbpsPerStream,
    double readSessionMs,
    double readMbpsPerStream,
    double publishLatencyMs) {
  public static final double GCS_LATENCY_MS = 30;
  public static final double GCS_MBPS_PER_STREAM = 60;
  public static final double READ_SESSION_MS = 1000;
  public static final double READ_MBPS_PER_STREAM = 10;
  public static final double PUBLISH_LATENCY_MS = 100;

  public static CloudProfile defaults() {
    return new CloudProfile(
        GCS_LATENCY_MS,
        GCS_MBPS_PER_STREAM,
        READ_SESSION_MS,
        READ_MBPS_PER_STREAM,
        PUBLISH_LATENCY_MS);
  }

  /** The line that is wrong with these figures, or null. */
  public String problem() {
    if (gcsLatencyMs < 0 || readSessionMs < 0 || publishLatencyMs < 0) {
      return "--gcs-latency-ms, --read-session-ms and --publish-latency-ms must be 0 or more";
    }
    if (gcsMbpsPerStream <= 0 || readMbpsPerStream <= 0) {
      return "--gcs-mbps-per-stream and --read-mbps-per-stream must be more than 0";
    }
    return null;
  }
}
