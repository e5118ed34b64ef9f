package ml.bqx.core.control;

/** The answer of an {@link OutputVerifier}: valid, or rejected with a one-line reason. */
public record Verdict(boolean valid, String reason) {
  public static Verdict ok() {
    return new Verdict(true, "");
  }

  public static Verdict rejected(String reason) {
    return new Verdict(false, reason);
  }
}
