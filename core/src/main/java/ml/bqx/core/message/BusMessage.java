package ml.bqx.core.message;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A message as the event bus carries it: a body and string attributes (Pub/Sub's shape). The same
 * record is published on Google Cloud and locally.
 */
public record BusMessage(byte[] data, Map<String, String> attributes) {
  public BusMessage {
    data = data == null ? new byte[0] : data.clone();
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  public String dataAsString() {
    return new String(data, StandardCharsets.UTF_8);
  }

  public String attribute(String key) {
    return attributes.get(key);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BusMessage m
        && Arrays.equals(m.data, data)
        && Objects.equals(m.attributes, attributes);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(data) + attributes.hashCode();
  }

  @Override
  public String toString() {
    return "BusMessage[" + data.length + " bytes, attributes=" + attributes + "]";
  }
}
