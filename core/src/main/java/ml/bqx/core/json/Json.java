package ml.bqx.core.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;

/** The one JSON mapper of bqx: ISO-8601 times, no nulls written, unknown fields tolerated. */
public final class Json {
  /** Thread-safe once configured; shared by every message, event and ledger. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          .defaultPropertyInclusion(
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
          .build();

  private Json() {}

  public static byte[] toBytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON of " + value.getClass().getName(), e);
    }
  }

  public static String toString(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON of " + value.getClass().getName(), e);
    }
  }

  public static String toPrettyString(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON of " + value.getClass().getName(), e);
    }
  }

  /** Reads a value; an I/O failure here is a bug in the caller (bytes are already in memory). */
  public static <T> T fromBytes(byte[] data, Class<T> type) {
    try {
      return MAPPER.readValue(data, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not a valid " + type.getSimpleName() + ": " + reason(data, type, e), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Jackson's reason, except for a record its constructor refused for want of fields (a {@code {}}
   * gives a NullPointerException there): which of its fields the JSON lacks.
   */
  private static String reason(byte[] data, Class<?> type, JsonProcessingException e) {
    if (e instanceof ValueInstantiationException
        && e.getCause() instanceof NullPointerException
        && type.isRecord()) {
      try {
        JsonNode tree = MAPPER.readTree(data);
        List<String> absent =
            Arrays.stream(type.getRecordComponents())
                .map(RecordComponent::getName)
                .filter(name -> tree.isObject() && !tree.hasNonNull(name))
                .toList();
        if (!absent.isEmpty()) {
          return "it has no " + String.join(", ", absent);
        }
      } catch (IOException unreadable) {
        // It was read once already; Jackson's reason stands.
      }
    }
    return e.getOriginalMessage();
  }
}
