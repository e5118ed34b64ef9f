package ml.bqx.core.verify;

import ml.bqx.core.message.OutputFacts;

/**
 * The answer of an {@link OutputVerifier}: valid, or rejected with a one-line reason. A valid
 * verdict may say what the verifier read of the file (size, CRC32C, and rows and columns when it
 * read the footer): reconcile needs those when the job's own event was lost.
 *
 * @param facts what was read of a valid file, or null
 */
public record Verdict(boolean valid, String reason, OutputFacts facts) {
  /** Valid, with what the verifier read of the file. */
  public static Verdict ok(OutputFacts facts) {
    return new Verdict(true, "", facts);
  }

  public static Verdict rejected(String reason) {
    return new Verdict(false, reason, null);
  }
}
