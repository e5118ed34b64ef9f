package ml.bqx.core.config;

import java.util.List;
import java.util.Set;

/**
 * The names the deployed system is built from (job, functions, topics, subscriptions, datasets):
 * terraform/ must match them, and a contract test checks it does; the local run builds its stand-in
 * of the cloud from the same table. The IAM roles come from the calls the code makes
 * (deployment/iam/recorded-calls.json), not from a list here.
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

  /** The pull subscription that reads the dead-letter topic. */
  public static final String DEAD_LETTER_SUBSCRIPTION = "bqx-dead-letter-read";

  /** Every topic of the deployment. */
  public static final List<String> TOPICS =
      List.of(PAIRS_TOPIC, EVENTS_TOPIC, RECONCILE_TOPIC, DEAD_LETTER_TOPIC);

  /**
   * The Google APIs the deployment and its code call, enabled by terraform/apis.tf (a contract test
   * holds the two equal) and checked by {@code bqx doctor}.
   */
  public static final List<String> APIS =
      List.of(
          "artifactregistry.googleapis.com",
          "bigquery.googleapis.com",
          "bigquerystorage.googleapis.com",
          "cloudbuild.googleapis.com",
          "cloudfunctions.googleapis.com",
          "cloudresourcemanager.googleapis.com",
          "cloudscheduler.googleapis.com",
          "compute.googleapis.com",
          "iam.googleapis.com",
          "iamcredentials.googleapis.com",
          "logging.googleapis.com",
          "monitoring.googleapis.com",
          "pubsub.googleapis.com",
          "run.googleapis.com",
          "storage.googleapis.com");

  /** BigQuery dataset of the feature and target tables the job reads. */
  public static final String FEATURES_DATASET = "bqx_ml_v3_features_v2";

  /**
   * Variables the cloud must NOT set: PUBSUB_EMULATOR_HOST points the clients at a local endpoint.
   * (TARGET_PAIR, RUN_ID and ATTEMPT are set per execution, see LaunchRequest.)
   */
  public static final Set<EnvKey> LOCAL_ONLY = Set.of(EnvKey.PUBSUB_EMULATOR_HOST);

  /**
   * One deployed Cloud Function (gen2): its name, its entry point (the HTTP endpoint of its push
   * subscription) and the topic it is pushed from.
   */
  public record Function(Component component, String name, String entryPoint, String topic) {
    /**
     * The push subscription of its topic that delivers to it (with a dead-letter policy to {@link
     * #DEAD_LETTER_TOPIC}), named after the function.
     */
    public String subscription() {
      return name + "-push";
    }
  }

  /** The three functions. */
  public static final List<Function> FUNCTIONS =
      List.of(
          new Function(
              Component.DISPATCH, "bqx-dispatch", "ml.bqx.functions.DispatchPush", PAIRS_TOPIC),
          new Function(
              Component.COMPLETION,
              "bqx-completion",
              "ml.bqx.functions.CompletionPush",
              EVENTS_TOPIC),
          new Function(
              Component.RECONCILE,
              "bqx-reconcile",
              "ml.bqx.functions.ReconcilePush",
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

  private Deployment() {}
}
