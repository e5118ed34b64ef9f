package ml.bqx.core.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The job as a whole and its five stages, in the order they run. */
public enum Stage {
  JOB,
  EXTRACT,
  MERGE,
  VALIDATE,
  UPLOAD,
  CLEANUP;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Stage fromWire(String text) {
    for (Stage stage : values()) {
      if (stage.wireName().equals(text)) {
        return stage;
      }
    }
    throw new MessageRejectedException("unknown stage '" + text + "'");
  }
}
