package ml.bqx.core.config;

import java.util.List;
import java.util.Set;

/**
 * The names the deployed system is built from (job, functions, topics, datasets) and the IAM roles
 * each component's code needs; terraform/ must match them, and a contract test checks it does.
 */
public final class Deployment {
  /** The Cloud Run job every pair runs in. */
  public static final String JOB_NAME = "bqx-pipeline";

  /** The job's main class, started by the container's entrypoint. */
  public static final String JOB_MAIN_CLASS = "ml.bqx.job.PipelineJobMain";

  /** Topic of pair messages (the dispatcher's trigger). */
  public static final String PAIRS_TOPIC = EnvKey.BQX_PAIRS_TOPIC.defaultValue();

  /** Topic of stage events and run summaries (the completion function's trigger). */
  public static final String EVENTS_TOPIC = EnvKey.BQX_EVENTS_TOPIC.defaultValue();

  /** Topic Cloud Scheduler publishes to every few minutes (the reconciler's trigger). */
  public static final String RECONCILE_TOPIC = "bqx-reconcile";

  /** Topic where messages that cannot be delivered end up, read through its own subscription. */
  public static final String DEAD_LETTER_TOPIC = "bqx-dead-letter";

  /** BigQuery dataset of the feature and target tables the job reads. */
  public static final String FEATURES_DATASET = "bqx_ml_v3_features_v2";

  /** BigQuery dataset of the raw prices (read access as in the guide). */
  public static final String RAW_DATASET = "bqx_bq_uscen1_v2";

  /**
   * Variables the cloud must NOT set: PUBSUB_EMULATOR_HOST points the clients at a local endpoint.
   * (TARGET_PAIR, RUN_ID and ATTEMPT are set per execution, see LaunchRequest.)
   */
  public static final Set<EnvKey> LOCAL_ONLY = Set.of(EnvKey.PUBSUB_EMULATOR_HOST);

  /** One deployed Cloud Function (gen2): its name, entry point class and trigger topic. */
  public record Function(Component component, String name, String entryPoint, String topic) {}

  /** The three functions. */
  public static final List<Function> FUNCTIONS =
      List.of(
          new Function(
              Component.DISPATCH, "bqx-dispatch", "ml.bqx.functions.DispatchFunction", PAIRS_TOPIC),
          new Function(
              Component.COMPLETION,
              "bqx-completion",
              "ml.bqx.functions.CompletionFunction",
              EVENTS_TOPIC),
          new Function(
              Component.RECONCILE,
              "bqx-reconcile",
              "ml.bqx.functions.ReconcileFunction",
              RECONCILE_TOPIC));

  /** A part of the system that calls Google APIs under its own identity. */
  public enum Component {
    /** The pipeline job. */
    JOB,
    /** DispatchFunction. */
    DISPATCH,
    /** CompletionFunction. */
    COMPLETION,
    /** ReconcileFunction. */
    RECONCILE,
    /** The Cloud Scheduler job that fires reconcile. */
    SCHEDULER,
    /** People running the bqx command against the cloud. */
    CLI
  }

  /** What a role is granted on: never wider than the resource the call touches. */
  public enum Scope {
    PROJECT,
    FEATURES_DATASET,
    RAW_DATASET,
    OUTPUT_BUCKET,
    STAGING_BUCKET,
    PAIRS_TOPIC,
    EVENTS_TOPIC,
    RECONCILE_TOPIC,
    JOB
  }

  /** One role a component needs on one resource, and the call that needs it. */
  public record Grant(Component component, String role, Scope scope, String call) {}

  private static final String OBJECT_USER = "roles/storage.objectUser";
  private static final String OBJECT_VIEWER = "roles/storage.objectViewer";
  private static final String PUBLISHER = "roles/pubsub.publisher";
  private static final String RUN_VIEWER = "roles/run.viewer";

  /** Every role each component's code needs, and nothing more. */
  public static final List<Grant> GRANTS =
      List.of(
          // The job: discovery, extraction, checkpoints, upload, events.
          new Grant(
              Component.JOB,
              "roles/bigquery.dataViewer",
              Scope.FEATURES_DATASET,
              "INFORMATION_SCHEMA.TABLES/COLUMNS and table reads of the pair's tables"),
          new Grant(
              Component.JOB,
              "roles/bigquery.dataViewer",
              Scope.RAW_DATASET,
              "reads of the raw price tables (the guide's second dataset)"),
          new Grant(
              Component.JOB,
              "roles/bigquery.jobUser",
              Scope.PROJECT,
              "the INFORMATION_SCHEMA discovery query runs as a query job"),
          new Grant(
              Component.JOB,
              "roles/bigquery.readSessionUser",
              Scope.PROJECT,
              "Storage Read API CreateReadSession / ReadRows in Arrow"),
          new Grant(
              Component.JOB,
              OBJECT_USER,
              Scope.STAGING_BUCKET,
              "checkpoints and the staging object: write, ranged read, list, delete in cleanup"),
          new Grant(
              Component.JOB,
              OBJECT_USER,
              Scope.OUTPUT_BUCKET,
              "publish training_<pair>.parquet by server-side copy with a generation precondition"),
          new Grant(Component.JOB, PUBLISHER, Scope.EVENTS_TOPIC, "stage events"),
          // Dispatch: ledger CAS, then RunJob with TARGET_PAIR / RUN_ID / ATTEMPT overrides.
          new Grant(
              Component.DISPATCH,
              OBJECT_USER,
              Scope.STAGING_BUCKET,
              "run ledger read and compare-and-swap write"),
          new Grant(
              Component.DISPATCH,
              "roles/run.jobsExecutorWithOverrides",
              Scope.JOB,
              "RunJob with container env overrides"),
          new Grant(
              Component.DISPATCH,
              RUN_VIEWER,
              Scope.JOB,
              "GetExecution of the execution it launched"),
          new Grant(
              Component.DISPATCH,
              PUBLISHER,
              Scope.EVENTS_TOPIC,
              "the error event of a rejected pair message"),
          // Completion: footer validation, ledger, promotion, run summary.
          new Grant(
              Component.COMPLETION,
              OBJECT_VIEWER,
              Scope.OUTPUT_BUCKET,
              "stat and ranged footer reads of training_<pair>.parquet"),
          new Grant(
              Component.COMPLETION,
              OBJECT_USER,
              Scope.STAGING_BUCKET,
              "run ledger compare-and-swap and the run report object"),
          new Grant(
              Component.COMPLETION,
              PUBLISHER,
              Scope.PAIRS_TOPIC,
              "promote queued pairs and retries by publishing their pair messages"),
          new Grant(Component.COMPLETION, PUBLISHER, Scope.EVENTS_TOPIC, "the run summary event"),
          // Reconcile: execution state, cancel, the same path as completion.
          new Grant(
              Component.RECONCILE,
              OBJECT_USER,
              Scope.STAGING_BUCKET,
              "run ledger compare-and-swap for pairs whose execution ended silently"),
          new Grant(
              Component.RECONCILE,
              RUN_VIEWER,
              Scope.JOB,
              "GetExecution of STARTING and RUNNING pairs"),
          new Grant(
              Component.RECONCILE,
              "roles/run.jobsExecutor",
              Scope.JOB,
              "CancelExecution of executions of cancelled runs"),
          new Grant(
              Component.RECONCILE,
              OBJECT_VIEWER,
              Scope.OUTPUT_BUCKET,
              "footer validation of an output whose terminal event was lost"),
          new Grant(
              Component.RECONCILE,
              PUBLISHER,
              Scope.PAIRS_TOPIC,
              "promote queued pairs into freed slots"),
          new Grant(Component.RECONCILE, PUBLISHER, Scope.EVENTS_TOPIC, "the run summary event"),
          // Scheduler: one publish every few minutes.
          new Grant(
              Component.SCHEDULER,
              PUBLISHER,
              Scope.RECONCILE_TOPIC,
              "Pub/Sub publish of the reconcile tick"),
          // People with the bqx command: run, status, cancel, retry, validate.
          new Grant(
              Component.CLI, PUBLISHER, Scope.PAIRS_TOPIC, "bqx run / retry publish pair messages"),
          new Grant(
              Component.CLI,
              OBJECT_USER,
              Scope.STAGING_BUCKET,
              "bqx run writes the run ledger; bqx cancel updates it"),
          new Grant(
              Component.CLI,
              OBJECT_VIEWER,
              Scope.OUTPUT_BUCKET,
              "bqx validate reads an output's footer"),
          new Grant(
              Component.CLI,
              "roles/run.jobsExecutorWithOverrides",
              Scope.JOB,
              "bqx cancel cancels executions; a single pair can be run by hand"),
          new Grant(Component.CLI, RUN_VIEWER, Scope.JOB, "bqx status reads executions"));

  private Deployment() {}
}
