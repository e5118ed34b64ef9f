package ml.bqx.local.warehouse;

import java.nio.file.Path;

/** What a seeding produced: the file, its tables (targets included) and the time it took. */
public record SeedReport(Path file, int pairs, int tables, long rowsPerPair, long durationMs) {}
