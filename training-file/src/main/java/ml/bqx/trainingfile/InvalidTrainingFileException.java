package ml.bqx.trainingfile;

import java.util.List;

/** A training file failed validation; the message lists every failed check with its numbers. */
public final class InvalidTrainingFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final List<String> failures;

  public InvalidTrainingFileException(String file, List<String> failures) {
    super(file + " is invalid: " + String.join("; ", failures));
    this.failures = List.copyOf(failures);
  }

  public List<String> failures() {
    return failures;
  }
}
