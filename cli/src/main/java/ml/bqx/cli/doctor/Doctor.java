package ml.bqx.cli.doctor;

import java.util.List;
import ml.bqx.core.text.OneLine;

/** Runs checks so that one that throws is a failed line, not the end of the doctor. */
final class Doctor {
  private Doctor() {}

  static List<CheckResult> attempt(String name, Check check) {
    try {
      return check.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of(CheckResult.fail(name, "interrupted", "run bqx doctor again"));
    } catch (Exception e) {
      return List.of(
          CheckResult.fail(
              name,
              "could not check: " + OneLine.of(String.valueOf(e.getMessage())),
              "see the reason; bqx doctor checks again when it is fixed"));
    }
  }
}
