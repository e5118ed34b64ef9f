# Service accounts, one per component, and exactly the roles each one's code needs: the methods each
# component calls are recorded end to end over Google's wire fakes (deployment/iam/recorded-calls.json)
# and a contract test proves every one is granted here on the resource it was called on, and no role
# without a recorded use (deployment/iam/permissions.json: the roles' permissions, and the grants the
# platform needs rather than the code, each with its reason).
# Every grant is on the narrowest resource: a dataset, a bucket, a topic, the one job. No keys.

data "google_project" "this" {
  project_id = var.project_id
}

locals {
  pubsub_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

resource "google_service_account" "job" {
  project      = var.project_id
  account_id   = "bqx-job"
  display_name = "bqx pipeline job"
}

# The account each function runs as (local.functions, functions.tf).
resource "google_service_account" "function" {
  for_each = local.functions

  project      = var.project_id
  account_id   = "bqx-${each.key}"
  display_name = "bqx ${each.value.class}"
}

resource "google_service_account" "scheduler" {
  project      = var.project_id
  account_id   = "bqx-scheduler"
  display_name = "bqx reconcile tick (Cloud Scheduler)"
}

# Gen2 function builds run as this account, not as the Compute Engine default account (which new
# projects leave without roles): https://cloud.google.com/functions/docs/securing/build-custom-sa
resource "google_service_account" "build" {
  project      = var.project_id
  account_id   = "bqx-build"
  display_name = "bqx builds of the functions (Cloud Build)"
}

# The identities Pub/Sub pushes with: each may invoke its own function and nothing else.
resource "google_service_account" "trigger" {
  for_each = local.functions

  project      = var.project_id
  account_id   = "bqx-${each.key}-trigger"
  display_name = "bqx trigger of ${each.value.class}"
}

# Pub/Sub signs the push requests of each trigger with a token of that trigger's account.
resource "google_service_account_iam_member" "pubsub_signs_trigger" {
  for_each = local.functions

  service_account_id = google_service_account.trigger[each.key].name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_agent

  depends_on = [google_project_service.apis]
}

# Pub/Sub forwards undeliverable messages to the dead-letter topic under its own agent.
resource "google_pubsub_topic_iam_member" "pubsub_forwards_dead_letters" {
  project = var.project_id
  topic   = google_pubsub_topic.dead_letter.name
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_agent

  depends_on = [google_project_service.apis]
}

# INFORMATION_SCHEMA discovery and table reads of the pair's tables.
resource "google_bigquery_dataset_iam_member" "job_features_read" {
  project    = var.project_id
  dataset_id = var.features_dataset
  role       = "roles/bigquery.dataViewer"
  member     = "serviceAccount:${google_service_account.job.email}"
}

# The discovery query runs as a BigQuery job (project-level: jobs belong to the project).
resource "google_project_iam_member" "job_bigquery_jobs" {
  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = "serviceAccount:${google_service_account.job.email}"
}

# Storage Read API sessions (project-level: sessions belong to the project).
resource "google_project_iam_member" "job_read_sessions" {
  project = var.project_id
  role    = "roles/bigquery.readSessionUser"
  member  = "serviceAccount:${google_service_account.job.email}"
}

# Checkpoints and the staging object: write, ranged read, list, delete.
resource "google_storage_bucket_iam_member" "job_staging_objects" {
  bucket = google_storage_bucket.staging.name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.job.email}"
}

# Publishes training_<pair>.parquet by server-side copy with a generation precondition.
resource "google_storage_bucket_iam_member" "job_output_objects" {
  bucket = google_storage_bucket.output.name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.job.email}"
}

# Stage events.
resource "google_pubsub_topic_iam_member" "job_publish_events" {
  project = var.project_id
  topic   = google_pubsub_topic.events.name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${google_service_account.job.email}"
}

# The grants of every function (local.functions, functions.tf), then the few of one function only.
# Run ledger compare-and-swap, and the completion's run report.
resource "google_storage_bucket_iam_member" "function_staging_objects" {
  for_each = local.functions

  bucket = google_storage_bucket.staging.name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.function[each.key].email}"
}

# Pair messages: dispatch puts a pair back after a refused launch; all three promote queued pairs
# into free slots; completion retries.
resource "google_pubsub_topic_iam_member" "function_publish_pairs" {
  for_each = local.functions

  project = var.project_id
  topic   = google_pubsub_topic.pairs.name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${google_service_account.function[each.key].email}"
}

# Stage events: dispatch's error event of a rejected pair message; the run summary of the other two.
resource "google_pubsub_topic_iam_member" "function_publish_events" {
  for_each = local.functions

  project = var.project_id
  topic   = google_pubsub_topic.events.name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${google_service_account.function[each.key].email}"
}

# RunJob with TARGET_PAIR / RUN_ID / ATTEMPT overrides; CancelExecution of an execution it started
# for a run cancelled meanwhile.
resource "google_cloud_run_v2_job_iam_member" "dispatch_run_job" {
  project  = var.project_id
  location = google_cloud_run_v2_job.pipeline.location
  name     = google_cloud_run_v2_job.pipeline.name
  role     = "roles/run.jobsExecutorWithOverrides"
  member   = "serviceAccount:${google_service_account.function["dispatch"].email}"
}

# Footer validation with ranged reads.
resource "google_storage_bucket_iam_member" "completion_output_read" {
  bucket = google_storage_bucket.output.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.function["completion"].email}"
}

# Footer validation of an output whose terminal event was lost.
resource "google_storage_bucket_iam_member" "reconcile_output_read" {
  bucket = google_storage_bucket.output.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.function["reconcile"].email}"
}

# GetExecution of STARTING and RUNNING pairs.
resource "google_cloud_run_v2_job_iam_member" "reconcile_view_job" {
  project  = var.project_id
  location = google_cloud_run_v2_job.pipeline.location
  name     = google_cloud_run_v2_job.pipeline.name
  role     = "roles/run.viewer"
  member   = "serviceAccount:${google_service_account.function["reconcile"].email}"
}

# The reconcile tick.
resource "google_pubsub_topic_iam_member" "scheduler_publish_reconcile" {
  project = var.project_id
  topic   = google_pubsub_topic.reconcile.name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${google_service_account.scheduler.email}"
}

# bqx run / retry publish pair messages.
resource "google_pubsub_topic_iam_member" "operators_publish_pairs" {
  for_each = toset(var.operators)

  project = var.project_id
  topic   = google_pubsub_topic.pairs.name
  role    = "roles/pubsub.publisher"
  member  = each.value
}

# bqx run writes the ledger; bqx cancel updates it.
resource "google_storage_bucket_iam_member" "operators_staging_objects" {
  for_each = toset(var.operators)

  bucket = google_storage_bucket.staging.name
  role   = "roles/storage.objectUser"
  member = each.value
}

# bqx validate reads an output's footer.
resource "google_storage_bucket_iam_member" "operators_output_read" {
  for_each = toset(var.operators)

  bucket = google_storage_bucket.output.name
  role   = "roles/storage.objectViewer"
  member = each.value
}

# bqx cancel publishes the run's summary.
resource "google_pubsub_topic_iam_member" "operators_publish_events" {
  for_each = toset(var.operators)

  project = var.project_id
  topic   = google_pubsub_topic.events.name
  role    = "roles/pubsub.publisher"
  member  = each.value
}

# bqx cancel cancels the run's executions.
resource "google_cloud_run_v2_job_iam_member" "operators_cancel_executions" {
  for_each = toset(var.operators)

  project  = var.project_id
  location = google_cloud_run_v2_job.pipeline.location
  name     = google_cloud_run_v2_job.pipeline.name
  role     = "roles/run.jobsExecutor"
  member   = each.value
}

# The runbook's `gcloud run jobs executions list` (terraform/README.md, "Watch it").
resource "google_cloud_run_v2_job_iam_member" "operators_view_job" {
  for_each = toset(var.operators)

  project  = var.project_id
  location = google_cloud_run_v2_job.pipeline.location
  name     = google_cloud_run_v2_job.pipeline.name
  role     = "roles/run.viewer"
  member   = each.value
}

# The runbook's `gcloud pubsub subscriptions pull bqx-dead-letter-read` (terraform/README.md).
resource "google_pubsub_subscription_iam_member" "operators_read_dead_letters" {
  for_each = toset(var.operators)

  project      = var.project_id
  subscription = google_pubsub_subscription.dead_letter.name
  role         = "roles/pubsub.subscriber"
  member       = each.value
}

# What a gen2 build needs, and no more (https://cloud.google.com/functions/docs/securing/build-custom-sa):
# its logs, the function's image in Artifact Registry (the gcf-artifacts repository Cloud Functions
# creates, so project-level), and the source zip.
resource "google_project_iam_member" "build_logs" {
  project = var.project_id
  role    = "roles/logging.logWriter"
  member  = "serviceAccount:${google_service_account.build.email}"
}

resource "google_project_iam_member" "build_images" {
  project = var.project_id
  role    = "roles/artifactregistry.writer"
  member  = "serviceAccount:${google_service_account.build.email}"
}

resource "google_storage_bucket_iam_member" "build_reads_source" {
  bucket = google_storage_bucket.functions_source.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.build.email}"
}

# Pub/Sub moves a message that exhausted its delivery attempts to the dead-letter topic only if its
# agent may also acknowledge it on the source subscription
# (https://cloud.google.com/pubsub/docs/handling-failures#grant_forwarding_permissions).
resource "google_pubsub_subscription_iam_member" "pubsub_acks_dead_letters" {
  for_each = local.functions

  project      = var.project_id
  subscription = google_pubsub_subscription.push[each.key].name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
}
