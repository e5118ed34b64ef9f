package ml.bqx.core.layout;

import java.net.URI;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.ObjectGlob;
import ml.bqx.core.port.StoreUris;

/**
 * Where bqx keeps every object in its staging and output stores: the one place that spells the
 * layout, so the functions, the job, the CLI and the bench cannot disagree about it.
 *
 * <pre>
 * staging/slots.json                                      the project's job slots
 * staging/runs/RUN/ledger.json                            the run's ledger
 * staging/runs/RUN/report.json                            the run's report, when it ends
 * staging/runs/RUN/progress/PAIR.json                     the live progress its job writes
 * staging/runs/RUN/pairs/PAIR/staging/training_PAIR.attempt-N.parquet   an attempt's merge
 * staging/cache/pairs/PAIR/TABLE/ENTRY.parquet            one extraction of a table: a checkpoint
 * staging/cache/pairs/PAIR/TABLE/ENTRY.done.json          its marker, written after it
 * output/training_PAIR.parquet                            the published training file
 * </pre>
 *
 * <p>Checkpoints live in the pair's checkpoint cache, outside every run: a retried attempt and the
 * next run alike reuse those whose table has not changed. ENTRY names what a checkpoint was made
 * from (the table's snapshot, the spine, the columns, the row groups), so two runs of a pair never
 * write different content under one name.
 */
public final class StoreLayout {
  private static final String LEDGER = "ledger.json";

  private StoreLayout() {}

  /** The folder of every run's objects. */
  public static URI runs(URI staging) {
    return StoreUris.resolve(staging, "runs/");
  }

  /** Matches each run's ledger, relative to {@link #runs}, and nothing deeper. */
  public static ObjectGlob ledgers() {
    return ObjectGlob.of("*/" + LEDGER);
  }

  /** The run whose ledger this is (an object {@link #ledgers} matched). */
  public static RunId runOfLedger(URI ledger) {
    String[] parts = ledger.getPath().split("/");
    return RunId.of(parts[parts.length - 2]);
  }

  /** The folder of one run's objects. */
  public static URI run(URI staging, RunId run) {
    return StoreUris.resolve(staging, "runs/" + run.value() + "/");
  }

  public static URI ledger(URI staging, RunId run) {
    return StoreUris.resolve(run(staging, run), LEDGER);
  }

  public static URI report(URI staging, RunId run) {
    return StoreUris.resolve(run(staging, run), "report.json");
  }

  /**
   * The small object a pair's running job writes its progress to, at most every 10 s (GCS takes
   * about one write per second per object): what {@code bqx status} shows between the ledger's
   * transitions, which are never written for progress.
   */
  public static URI progress(URI staging, RunId run, Pair pair) {
    return StoreUris.resolve(run(staging, run), "progress/" + pair.name() + ".json");
  }

  public static URI slots(URI staging) {
    return StoreUris.resolve(staging, "slots.json");
  }

  /** The prefix of the checkpoint cache, relative to the staging root (its lifecycle rule's). */
  public static final String CHECKPOINT_CACHE = "cache/";

  /** The suffix of a checkpoint's marker. */
  public static final String MARKER_SUFFIX = ".done.json";

  /** The checkpoint cache of one pair: every cached extraction of each of its tables. */
  public static URI pairCache(URI staging, Pair pair) {
    return StoreUris.resolve(staging, CHECKPOINT_CACHE + "pairs/" + pair + "/");
  }

  /** One cached checkpoint of a table, named by what it was made from. */
  public static URI cachedCheckpoint(URI staging, Pair pair, String table, String entry) {
    return StoreUris.resolve(pairCache(staging, pair), table + "/" + entry + ".parquet");
  }

  /** The marker saying that checkpoint is complete, and what it was made from. */
  public static URI cachedMarker(URI staging, Pair pair, String table, String entry) {
    return StoreUris.resolve(pairCache(staging, pair), table + "/" + entry + MARKER_SUFFIX);
  }

  /** The marker of a cached checkpoint. */
  public static URI markerOf(URI cachedCheckpoint) {
    String uri = cachedCheckpoint.toString();
    if (!uri.endsWith(".parquet")) {
      throw new IllegalArgumentException(uri + " is not a cached checkpoint");
    }
    return URI.create(uri.substring(0, uri.length() - ".parquet".length()) + MARKER_SUFFIX);
  }

  /** One attempt's merged file, before it is validated and published. */
  public static URI stagingFile(URI staging, RunId run, Pair pair, int attempt) {
    return StoreUris.resolve(
        pairFolder(staging, run, pair),
        "staging/training_" + pair + ".attempt-" + attempt + ".parquet");
  }

  /** The published training file. */
  public static URI trainingFile(URI output, Pair pair) {
    return StoreUris.resolve(output, trainingFileName(pair));
  }

  public static String trainingFileName(Pair pair) {
    return "training_" + pair + ".parquet";
  }

  /** The folder of everything one pair stages in a run, deleted once its file is published. */
  public static URI pairFolder(URI staging, RunId run, Pair pair) {
    return StoreUris.resolve(run(staging, run), "pairs/" + pair + "/");
  }
}
