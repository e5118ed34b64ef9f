package ml.bqx.core.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The name of a run, safe in an object name: 1 to 63 characters of lower-case letters, digits and
 * dashes, starting with a letter or digit.
 */
public record RunId(String value) {
  public RunId {
    if (value == null || !value.matches("[a-z0-9][a-z0-9-]{0,62}")) {
      throw new MessageRejectedException(
          "'"
              + value
              + "' is not a run id: use 1-63 lower-case letters, digits or dashes, e.g."
              + " prod-20261128");
    }
  }

  @JsonCreator
  public static RunId of(String value) {
    return new RunId(value);
  }

  /** The run a pair message without a run id joins: one ad-hoc run per UTC day. */
  public static RunId adHoc(java.time.Instant now) {
    return new RunId("adhoc-" + LocalDate.ofInstant(now, ZoneOffset.UTC).toString());
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return value;
  }
}
