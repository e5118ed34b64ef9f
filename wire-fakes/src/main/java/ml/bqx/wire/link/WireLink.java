package ml.bqx.wire.link;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated path to a Google service: each request waits its first-byte latency, and its bytes
 * pass at the stream's bandwidth; counts requests and bytes either way. Each request is its own
 * stream (its own thread on the fake), so concurrent requests do not share the bandwidth, as
 * Google's per-stream figures assume.
 */
public final class WireLink {
  private final Duration latency;
  private final double bytesPerSecond;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  /**
   * @param latency waited once per request, before its first byte
   * @param bytesPerSecond bandwidth of one stream; 0 for no limit
   */
  public WireLink(Duration latency, double bytesPerSecond) {
    if (latency.isNegative() || bytesPerSecond < 0) {
      throw new IllegalArgumentException("a link needs latency >= 0 and bandwidth >= 0");
    }
    this.latency = latency;
    this.bytesPerSecond = bytesPerSecond;
  }

  /** A link that only counts: no latency, no bandwidth limit (the fakes' default in tests). */
  public static WireLink instant() {
    return new WireLink(Duration.ZERO, 0);
  }

  /** A link of {@code latencyMs} per request and {@code megabytesPerSecond} per stream. */
  public static WireLink of(double latencyMs, double megabytesPerSecond) {
    return new WireLink(Duration.ofNanos((long) (latencyMs * 1e6)), megabytesPerSecond * 1e6);
  }

  /** One request carrying {@code size} bytes (sent or answered): counts it, waits its time. */
  public void request(long size) {
    requests.incrementAndGet();
    pass(size, latency.toNanos());
  }

  /** More bytes of a request already counted (the next message of a stream): waits their time. */
  public void more(long size) {
    pass(size, 0);
  }

  private void pass(long size, long waitNanos) {
    bytes.addAndGet(size);
    long nanos = waitNanos + (bytesPerSecond == 0 ? 0 : (long) (size * 1e9 / bytesPerSecond));
    if (nanos > 0) {
      try {
        Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public long requests() {
    return requests.get();
  }

  public long bytes() {
    return bytes.get();
  }
}
