package ml.bqx.core.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a stage event says happened. */
public enum EventStatus {
  STARTED,
  PROGRESS,
  SUCCEEDED,
  FAILED;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static EventStatus fromWire(String text) {
    for (EventStatus status : values()) {
      if (status.wireName().equals(text)) {
        return status;
      }
    }
    throw new MessageRejectedException("unknown status '" + text + "'");
  }

  boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED;
  }
}
