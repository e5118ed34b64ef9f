package ml.bqx.cli.command;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.pair.PairUniverse;
import picocli.CommandLine.Option;

/**
 * How a new run treats failures and which pairs go first: the tolerated failure percentage, the
 * pairs' priority, the backoff of retries. Shared by {@code bqx run} and {@code bqx local run}.
 */
public final class RunPolicyOptions {
  @Option(
      names = "--tolerate-failures",
      paramLabel = "PCT",
      description =
          "The run still succeeds (\"succeeded with failures\", exit code 3 for a local run) with"
              + " up to PCT percent of its pairs failed (0-100, default 0).")
  Integer tolerateFailures;

  @Option(
      names = "--priority",
      paramLabel = "LIST",
      description =
          "Pairs to start first, in this order; the others follow in their order (without it the"
              + " order of --pairs is the order pairs start in).")
  String priority;

  @Option(
      names = "--retry-backoff",
      paramLabel = "SECONDS",
      description =
          "Wait before a pair's next attempt after a retryable failure, doubled for each attempt,"
              + " with jitter (default: 30, 5 for a local run; 0 retries at once).")
  Integer retryBackoff;

  @Option(
      names = "--retry-backoff-max",
      paramLabel = "SECONDS",
      description = "Longest wait between attempts (default: 600).")
  Integer retryBackoffMax;

  /** The settings with this policy; {@code defaultBackoff} when no backoff is asked for. */
  public RunSettings apply(RunSettings base, int defaultBackoff) {
    int percent = tolerateFailures == null ? 0 : tolerateFailures;
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException(
          "--tolerate-failures must be a percentage from 0 to 100, not " + percent);
    }
    int backoff = retryBackoff == null ? defaultBackoff : retryBackoff;
    int max = retryBackoffMax == null ? RunSettings.DEFAULT_BACKOFF_MAX_SECONDS : retryBackoffMax;
    if (backoff < 0 || max < 0) {
      throw new IllegalArgumentException(
          "--retry-backoff and --retry-backoff-max must be 0 or more seconds");
    }
    return base.withTolerance(percent).withBackoff(backoff, Math.max(backoff, max));
  }

  /** The pairs in the order they start: those of --priority first, then the rest in order. */
  public List<Pair> ordered(List<Pair> pairs) {
    if (priority == null) {
      return pairs;
    }
    Set<Pair> first = new LinkedHashSet<>(PairUniverse.parseList(priority));
    for (Pair pair : first) {
      if (!pairs.contains(pair)) {
        throw new IllegalArgumentException(
            "--priority names " + pair + ", which is not one of the run's pairs");
      }
    }
    List<Pair> ordered = new ArrayList<>(first);
    pairs.stream().filter(p -> !first.contains(p)).forEach(ordered::add);
    return ordered;
  }
}
