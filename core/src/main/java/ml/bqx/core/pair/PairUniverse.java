package ml.bqx.core.pair;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The 28 pairs of the eight currencies, the two pilot pairs, and the 26-pair production set. */
public final class PairUniverse {
  /** All 28 pairs, in market order. */
  public static final List<Pair> ALL = all();

  /** The pairs run first by hand; a production run leaves them out unless told otherwise. */
  public static final List<Pair> PILOT = List.of(Pair.parse("eurusd"), Pair.parse("gbpusd"));

  /** The 26 pairs of a production run: all but the pilots. */
  public static final List<Pair> PRODUCTION = ALL.stream().filter(p -> !PILOT.contains(p)).toList();

  private PairUniverse() {}

  private static List<Pair> all() {
    List<Pair> pairs = new ArrayList<>();
    Currency[] currencies = Currency.values();
    for (int i = 0; i < currencies.length; i++) {
      for (int j = i + 1; j < currencies.length; j++) {
        pairs.add(Pair.of(currencies[i], currencies[j]));
      }
    }
    return List.copyOf(pairs);
  }

  /**
   * Parses a comma- or space-separated list of pairs, keeping its order and dropping repeats.
   * Refuses the whole list, naming the first bad value, if any value is not a pair.
   */
  public static List<Pair> parseList(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidPairException("pair list is empty");
    }
    Set<Pair> pairs = new LinkedHashSet<>();
    for (String item : text.trim().split("[,\\s]+")) {
      pairs.add(Pair.parse(item));
    }
    return List.copyOf(pairs);
  }
}
