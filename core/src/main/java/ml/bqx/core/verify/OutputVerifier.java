package ml.bqx.core.verify;

import java.io.IOException;

/**
 * Checks a published training file before its pair counts as succeeded: from the store's facts and
 * the Parquet footer read by ranged reads, never a full download.
 */
public interface OutputVerifier {
  /**
   * Checks the object against what it must be.
   *
   * @return valid, or rejected with a one-line reason (the reason lands in the ledger and report)
   * @throws IOException when the store could not be asked (transient: the caller retries)
   */
  Verdict verify(OutputExpectation expected) throws IOException;

  /** This check, then {@code next} if this one passed. */
  default OutputVerifier andThen(OutputVerifier next) {
    return expected -> {
      Verdict first = verify(expected);
      if (!first.valid()) {
        return first;
      }
      Verdict second = next.verify(expected);
      // Keep what was read of the file, whichever check read it (the later one reads more).
      return second.valid() && second.facts() == null ? first : second;
    };
  }
}
