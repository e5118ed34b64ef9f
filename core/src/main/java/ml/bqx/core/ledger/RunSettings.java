package ml.bqx.core.ledger;

/**
 * How a run behaves, fixed when it is created.
 *
 * @param maxConcurrent the run's cap: pairs holding a slot at once
 * @param maxAttempts attempts per pair before it fails
 * @param toleratedFailurePercent the run still counts as succeeded with up to this share failed
 */
public record RunSettings(int maxConcurrent, int maxAttempts, int toleratedFailurePercent) {
  public RunSettings {
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("max concurrent must be 1 or more, not " + maxConcurrent);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max attempts must be 1 or more, not " + maxAttempts);
    }
    if (toleratedFailurePercent < 0 || toleratedFailurePercent > 100) {
      throw new IllegalArgumentException(
          "tolerated failure percent must be 0-100, not " + toleratedFailurePercent);
    }
  }
}
