package ml.bqx.bench.cloud;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Requests and bytes the wire fakes counted, by service: GCS (every JSON API request), Storage Read
 * (sessions and ReadRows streams; bytes of the responses), BigQuery REST, Pub/Sub publishes.
 */
public record WireCounts(
    long gcsRequests,
    long gcsBytes,
    long readSessions,
    long readStreams,
    long readBytes,
    long restRequests,
    long publishes) {
  public WireCounts minus(WireCounts earlier) {
    return new WireCounts(
        gcsRequests - earlier.gcsRequests,
        gcsBytes - earlier.gcsBytes,
        readSessions - earlier.readSessions,
        readStreams - earlier.readStreams,
        readBytes - earlier.readBytes,
        restRequests - earlier.restRequests,
        publishes - earlier.publishes);
  }

  public long requests() {
    return gcsRequests + readSessions + readStreams + restRequests + publishes;
  }

  public long bytes() {
    return gcsBytes + readBytes;
  }

  /** The counts as figures named {@code prefix.requests}, {@code prefix.gcsRequests}, ... */
  public Map<String, Double> figures(String prefix) {
    Map<String, Double> f = new LinkedHashMap<>();
    f.put(prefix + ".requests", (double) requests());
    f.put(prefix + ".bytes", (double) bytes());
    f.put(prefix + ".gcsRequests", (double) gcsRequests);
    f.put(prefix + ".gcsBytes", (double) gcsBytes);
    f.put(prefix + ".readSessions", (double) readSessions);
    f.put(prefix + ".readStreams", (double) readStreams);
    f.put(prefix + ".readBytes", (double) readBytes);
    f.put(prefix + ".restRequests", (double) restRequests);
    f.put(prefix + ".publishes", (double) publishes);
    return f;
  }
}
