package ml.bqx.core.config;

import java.util.EnumSet;
import java.util.Set;

/**
 * Every environment variable bqx reads: the one table that README, terraform and the code share. A
 * contract test fails when terraform and this list disagree.
 */
public enum EnvKey {
  BQX_PROJECT("", "Google Cloud project id.", Reader.JOB, Reader.FUNCTIONS, Reader.CLI),
  BQX_REGION("us-central1", "Region of the job and the functions.", Reader.FUNCTIONS, Reader.CLI),
  BQX_WAREHOUSE(
      "",
      "Feature warehouse: bigquery://PROJECT/DATASET or duckdb:///path/warehouse.duckdb.",
      Reader.JOB,
      Reader.CLI),
  BQX_STAGING(
      "",
      "Staging store for ledgers, checkpoints and staging files: gs://BUCKET[/prefix] or"
          + " file:///dir.",
      Reader.JOB,
      Reader.FUNCTIONS,
      Reader.CLI),
  BQX_OUTPUT(
      "",
      "Output store for training_<pair>.parquet: gs://BUCKET[/prefix] or file:///dir.",
      Reader.JOB,
      Reader.FUNCTIONS,
      Reader.CLI),
  BQX_LAUNCHER(
      "",
      "Job launcher: cloudrun://projects/P/locations/R/jobs/JOB or process:///workdir.",
      Reader.FUNCTIONS,
      Reader.CLI),
  BQX_PAIRS_TOPIC("bqx-pairs", "Topic of pair messages.", Reader.FUNCTIONS, Reader.CLI),
  BQX_EVENTS_TOPIC(
      "bqx-stage-events", "Topic of stage events and run summaries.", Reader.JOB, Reader.FUNCTIONS),
  BQX_EVENT_BUS(
      "",
      "Event bus the job publishes to: pubsub://PROJECT (default: pubsub://BQX_PROJECT).",
      Reader.JOB,
      Reader.FUNCTIONS),
  PUBSUB_EMULATOR_HOST(
      "",
      "host:port of a Pub/Sub endpoint to use instead of Google's (the local endpoint).",
      Reader.JOB,
      Reader.FUNCTIONS,
      Reader.CLI),
  BQX_DOCTOR_GRPC_ENDPOINT(
      "",
      "host:port of a stand-in for the gRPC APIs bqx doctor reads (plain text, no credentials;"
          + " with BQX_DOCTOR_HTTP_ENDPOINT), instead of Google's.",
      Reader.CLI),
  BQX_DOCTOR_HTTP_ENDPOINT(
      "",
      "Base URL (http://host:port) of a stand-in for the HTTP/JSON APIs bqx doctor reads (Cloud"
          + " Storage, BigQuery), instead of Google's.",
      Reader.CLI),
  TARGET_PAIR("", "The pair a job execution builds (set per execution).", Reader.JOB),
  RUN_ID("", "The run a job execution belongs to (set per execution).", Reader.JOB),
  ATTEMPT("1", "The attempt number of a job execution (set per execution).", Reader.JOB),
  BQX_EXTRACT_CONCURRENCY(
      "auto",
      "Tables extracted at once; auto: fitted at start to the CPUs, the heap and the memory a"
          + " table in flight takes (the choice and its reason are logged).",
      Reader.JOB),
  BQX_ROW_GROUP_ROWS(
      "100000",
      "Rows per row group of checkpoints and training files (every checkpoint shares them).",
      Reader.JOB),
  BQX_CHECKPOINT_DAYS(
      "30",
      "Days a cached checkpoint is reused after its extraction; the staging bucket deletes the"
          + " cache a day later.",
      Reader.JOB),
  BQX_MIN_ROWS("100000", "Fewest rows a valid training file has.", Reader.JOB, Reader.FUNCTIONS),
  BQX_MIN_COLUMNS(
      "10000", "Fewest columns a valid training file has.", Reader.JOB, Reader.FUNCTIONS),
  BQX_MAX_CONCURRENT(
      "4", "Default cap of pairs running at once in a run.", Reader.FUNCTIONS, Reader.CLI),
  BQX_PROJECT_MAX_CONCURRENT(
      "8",
      "Cap of job executions at once across all runs (every local runner of a workdir too).",
      Reader.FUNCTIONS,
      Reader.CLI),
  BQX_LAUNCH_GRACE_SECONDS(
      "600",
      "Seconds a pair may hold a slot without becoming an execution before reconcile frees it;"
          + " above the functions' 540 s timeout in the cloud.",
      Reader.FUNCTIONS,
      Reader.CLI),
  BQX_MAX_ATTEMPTS("3", "Default attempts per pair before it fails.", Reader.FUNCTIONS, Reader.CLI),
  BQX_LOG_FORMAT("text", "Log lines: json (Cloud Logging) or text.", Reader.JOB, Reader.FUNCTIONS),
  BQX_JOB_CPU("4", "vCPUs of one job execution (for cost estimates).", Reader.FUNCTIONS),
  BQX_JOB_MEMORY_GIB("12", "GiB of one job execution (for cost estimates).", Reader.FUNCTIONS),
  BQX_PRICE_VCPU_SECOND(
      "0.000018", "USD per vCPU-second of Cloud Run Jobs (for cost estimates).", Reader.FUNCTIONS),
  BQX_PRICE_GIB_SECOND(
      "0.000002", "USD per GiB-second of Cloud Run Jobs (for cost estimates).", Reader.FUNCTIONS),
  // Google's list price (cloud.google.com/bigquery/pricing, "Data extraction pricing": Storage
  // Read API, on-demand, 1.1 USD per TiB read, the first 300 TiB a month free per billing account;
  // the free tier is not subtracted, so the estimate is an upper bound). The copies of that page
  // the search tool holds predate the section; the figure agrees with a third-party fetch of the
  // live page (2026-09-02: "$1.10 / TiB, 300 TiB / month"). Check it there before relying on it.
  BQX_PRICE_READ_TIB(
      "1.1",
      "USD per TiB read with BigQuery's Storage Read API (for dry-run estimates).",
      Reader.CLI);

  private final String defaultValue;
  private final String description;
  private final Set<Reader> readers;

  EnvKey(String defaultValue, String description, Reader first, Reader... more) {
    this.defaultValue = defaultValue;
    this.description = description;
    this.readers = EnumSet.of(first, more);
  }

  public String defaultValue() {
    return defaultValue;
  }

  String description() {
    return description;
  }

  public Set<Reader> readers() {
    return Set.copyOf(readers);
  }
}
