package ml.bqx.trainingfile;

/** Key-value metadata keys of a training file's footer. */
public final class TrainingFileMetadata {
  public static final String RUN = "bqx.run";
  public static final String PAIR = "bqx.pair";
  public static final String ATTEMPT = "bqx.attempt";
  public static final String TABLES = "bqx.tables";

  /** The tables whose checkpoint came from the pair's cache, comma-separated, in column order. */
  public static final String TABLES_REUSED = "bqx.tables_reused";

  /** The tables read from the warehouse for this file, comma-separated, in column order. */
  public static final String TABLES_EXTRACTED = "bqx.tables_extracted";

  public static final String SCHEMA_HASH = "bqx.schema_hash";
  public static final String SOURCE_SNAPSHOT = "bqx.source_snapshot";

  private TrainingFileMetadata() {}
}
