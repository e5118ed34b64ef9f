package ml.bqx.cli.doctor;

/**
 * One line of {@code bqx doctor}: what was checked, what was found and, when it fails, the fix.
 *
 * @param fix what to do about a failure; null when the check passed
 */
public record CheckResult(String check, boolean ok, String found, String fix) {
  public static CheckResult ok(String check, String found) {
    return new CheckResult(check, true, found, null);
  }

  public static CheckResult fail(String check, String found, String fix) {
    return new CheckResult(check, false, found, fix);
  }

  /** {@code ok java: ...} or {@code FAIL disk: ... -> fix: ...}. */
  public String line() {
    return (ok ? "ok    " : "FAIL  ") + check + ": " + found + (ok ? "" : " -> fix: " + fix);
  }
}
