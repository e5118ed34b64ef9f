package ml.bqx.cli.command;

import java.util.List;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.pair.PairUniverse;
import picocli.CommandLine.Option;

/** Which pairs a run builds: a list, all 28, or the 26 production pairs (the default). */
public final class PairSelection {
  @Option(
      names = "--pairs",
      paramLabel = "LIST",
      description = "Comma-separated pairs, e.g. eurusd,gbpjpy.")
  String pairs;

  @Option(names = "--all", description = "All 28 pairs.")
  boolean all;

  @Option(
      names = "--production",
      description = "The 26 production pairs (all but eurusd and gbpusd); the default.")
  boolean production;

  /** The pairs chosen; refuses two choices at once or a bad pair with a one-line reason. */
  public List<Pair> pairs() {
    int chosen = (pairs != null ? 1 : 0) + (all ? 1 : 0) + (production ? 1 : 0);
    if (chosen > 1) {
      throw new IllegalArgumentException("choose one of --pairs, --all and --production");
    }
    if (pairs != null) {
      return PairUniverse.parseList(pairs);
    }
    return all ? PairUniverse.ALL : PairUniverse.PRODUCTION;
  }
}
