package ml.bqx.core.message;

/**
 * The one spelling of every metric name that travels from the job's events to the ledger, the run
 * report and the status: the job writes them, everything after it reads them by these names.
 */
public final class Metric {
  /** A stage's (or, on the job's terminal event, the whole job's) duration in milliseconds. */
  public static final String DURATION_MS = "durationMs";

  /** Tables of the pair extracted or reused so far (the spine's included). */
  public static final String TABLES = "tables";

  /** Tables the pair has in all (progress events of the extract). */
  public static final String TABLES_TOTAL = "tablesTotal";

  /** Tables per minute of the extract. */
  public static final String TABLES_PER_MIN = "tablesPerMin";

  public static final String ROWS = "rows";
  public static final String COLUMNS = "columns";
  public static final String BYTES = "bytes";

  private Metric() {}

  /**
   * The duration of one stage as the job's terminal event carries it: {@code extract.durationMs}.
   */
  public static String durationOf(Stage stage) {
    return stage.wireName() + "." + DURATION_MS;
  }
}
