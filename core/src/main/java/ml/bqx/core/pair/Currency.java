package ml.bqx.core.pair;

/** The eight currencies of the pair universe, in market order: a pair's base comes first. */
public enum Currency {
  EUR,
  GBP,
  AUD,
  NZD,
  USD,
  CAD,
  CHF,
  JPY;

  /** Lower-case ISO code, as it appears in pair names. */
  String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
