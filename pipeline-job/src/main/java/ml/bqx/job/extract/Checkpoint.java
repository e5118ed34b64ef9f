package ml.bqx.job.extract;

import java.net.URI;

/**
 * A table's complete checkpoint, ready for the merge; {@code reused} if an earlier attempt wrote
 * it.
 */
public record Checkpoint(String table, URI uri, int columns, long size, boolean reused) {}
