package ml.bqx.job.extract;

import java.net.URI;

/**
 * A table's complete checkpoint, ready for the merge; {@code reused} if it came from the pair's
 * checkpoint cache (an earlier attempt or run made it from the same snapshot).
 */
public record Checkpoint(String table, URI uri, int columns, long size, boolean reused) {}
