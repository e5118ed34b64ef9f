package ml.bqx.core.port;

/** A small object read whole, with the generation it was read at. */
public record StoredObject(byte[] content, ObjectInfo info) {
  public StoredObject {
    content = content.clone();
  }

  @Override
  public byte[] content() {
    return content.clone();
  }
}
