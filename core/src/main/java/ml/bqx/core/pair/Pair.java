package ml.bqx.core.pair;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Objects;

/**
 * A validated currency pair such as {@code eurusd}. The only way to build one is {@link #parse} or
 * {@link #of}, so a {@code Pair} is always safe to put into SQL, a path or an object name.
 */
public final class Pair implements Comparable<Pair> {
  private final Currency base;
  private final Currency quote;

  private Pair(Currency base, Currency quote) {
    this.base = base;
    this.quote = quote;
  }

  /** The pair of two currencies; the base must come before the quote in market order. */
  public static Pair of(Currency base, Currency quote) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(quote, "quote");
    if (base.ordinal() >= quote.ordinal()) {
      throw new InvalidPairException(
          "'"
              + base.code()
              + quote.code()
              + "' is not a pair in market order (EUR GBP AUD NZD USD CAD CHF JPY)");
    }
    return new Pair(base, quote);
  }

  /** Parses a pair name: six lower-case letters naming two of the eight currencies. */
  @JsonCreator
  public static Pair parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidPairException("pair is missing");
    }
    if (!text.matches("[a-z]{6}")) {
      throw new InvalidPairException(
          "'" + printable(text) + "' is not a pair: expected six lower-case letters, e.g. eurusd");
    }
    Currency base = currency(text, text.substring(0, 3));
    Currency quote = currency(text, text.substring(3));
    if (base == quote) {
      throw new InvalidPairException("'" + text + "' is not a pair: both sides are " + base);
    }
    return of(base, quote);
  }

  private static Currency currency(String pair, String code) {
    try {
      return Currency.valueOf(code.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidPairException(
          "'"
              + pair
              + "' is not a pair: '"
              + code
              + "' is not one of EUR GBP AUD NZD USD CAD CHF JPY");
    }
  }

  /** Keeps control characters and very long inputs out of error messages and logs. */
  private static String printable(String text) {
    String cut = text.length() > 40 ? text.substring(0, 40) + "..." : text;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  public Currency base() {
    return base;
  }

  public Currency quote() {
    return quote;
  }

  /** The pair's name, e.g. {@code eurusd}. */
  @JsonValue
  public String name() {
    return base.code() + quote.code();
  }

  @Override
  public int compareTo(Pair other) {
    int byBase = Integer.compare(base.ordinal(), other.base.ordinal());
    return byBase != 0 ? byBase : Integer.compare(quote.ordinal(), other.quote.ordinal());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pair p && p.base == base && p.quote == quote;
  }

  @Override
  public int hashCode() {
    return Objects.hash(base, quote);
  }

  @Override
  public String toString() {
    return name();
  }
}
