package ml.bqx.core.port;

/**
 * When a write may happen. {@link #generationMatches} is compare-and-swap: the write happens only
 * if nobody wrote the object since it was read.
 */
public sealed interface WritePrecondition {
  /** Always write, replacing what is there. */
  static WritePrecondition none() {
    return None.INSTANCE;
  }

  /** Write only if there is no such object yet. */
  static WritePrecondition doesNotExist() {
    return DoesNotExist.INSTANCE;
  }

  /** Write only if the object is still at this generation. */
  static WritePrecondition generationMatches(long generation) {
    return new GenerationMatches(generation);
  }

  /** No condition. */
  enum None implements WritePrecondition {
    INSTANCE
  }

  /** The object must not exist. */
  enum DoesNotExist implements WritePrecondition {
    INSTANCE
  }

  /** The object must be at exactly this generation. */
  record GenerationMatches(long generation) implements WritePrecondition {}
}
