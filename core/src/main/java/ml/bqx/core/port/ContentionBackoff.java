package ml.bqx.core.port;

import java.time.Duration;

/**
 * How a compare-and-swap on one object backs off after a lost race, as its store can bear: doubling
 * from {@code first} up to {@code max}, each wait stretched by up to half at random, for at most
 * {@code maxTries} writes.
 */
public record ContentionBackoff(Duration first, Duration max, int maxTries) {
  /**
   * For a store that takes about one write a second per object and answers 429 beyond, as GCS
   * (cloud.google.com/storage/quotas): from a second, at most about 400 s in all (a function has
   * 540 s).
   */
  public static final ContentionBackoff ONE_WRITE_A_SECOND =
      new ContentionBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 40);

  public ContentionBackoff {
    if (first.isNegative() || first.compareTo(max) > 0 || maxTries < 1) {
      throw new IllegalArgumentException(
          "bad backoff: " + first + " to " + max + ", " + maxTries + " tries");
    }
  }

  /** The wait after the given lost race (1 for the first), before its jitter. */
  public Duration wait(int lostRaces) {
    Duration wait = first;
    for (int i = 1; i < lostRaces && wait.compareTo(max) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(max) > 0 ? max : wait;
  }
}
