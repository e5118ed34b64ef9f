# The three gen2 functions, each the HTTP endpoint of a push subscription terraform owns (pubsub.tf:
# dead letters, retry backoff), reachable only from inside Google (internal ingress: Pub/Sub push in
# the same project is internal, https://cloud.google.com/run/docs/securing/ingress) and invokable
# only by its push identity. Built by the build service account, from the zip terraform uploads.

locals {
  # The three functions, by the component each one is (core's Deployment.FUNCTIONS): every resource
  # of a function is made from its entry here with for_each: its account and push identity
  # (iam.tf), the function and its invoker grant (below), its push subscription (pubsub.tf).
  functions = {
    dispatch = {
      name          = "bqx-dispatch"
      class         = "DispatchFunction"
      entry_point   = "ml.bqx.functions.DispatchPush"
      description   = "Starts a pair's job when a slot is free, else queues it."
      topic         = google_pubsub_topic.pairs.id
      max_instances = var.function_max_instances
    }
    completion = {
      name          = "bqx-completion"
      class         = "CompletionFunction"
      entry_point   = "ml.bqx.functions.CompletionPush"
      description   = "Validates a finished pair's output, settles the ledger, promotes queued pairs."
      topic         = google_pubsub_topic.events.id
      max_instances = var.function_max_instances
    }
    reconcile = {
      name          = "bqx-reconcile"
      class         = "ReconcileFunction"
      entry_point   = "ml.bqx.functions.ReconcilePush"
      description   = "Recovers pairs whose execution ended or went silent without a terminal event."
      topic         = google_pubsub_topic.reconcile.id
      max_instances = 1
    }
  }

  launcher = "cloudrun://projects/${var.project_id}/locations/${var.region}/jobs/${google_cloud_run_v2_job.pipeline.name}"

  # The functions' source: one zip of the deployable jar, named by its content so that a new build
  # redeploys the functions and an unchanged one does not.
  functions_source_object = "functions-${filemd5(var.functions_source_zip)}.zip"

  # Every variable the functions read (EnvKey readers FUNCTIONS).
  function_env = {
    BQX_PROJECT                = var.project_id
    BQX_REGION                 = var.region
    BQX_STAGING                = "gs://${google_storage_bucket.staging.name}"
    BQX_OUTPUT                 = "gs://${google_storage_bucket.output.name}"
    BQX_LAUNCHER               = local.launcher
    BQX_PAIRS_TOPIC            = google_pubsub_topic.pairs.name
    BQX_EVENTS_TOPIC           = google_pubsub_topic.events.name
    BQX_EVENT_BUS              = "pubsub://${var.project_id}"
    BQX_MIN_ROWS               = tostring(var.min_rows)
    BQX_MIN_COLUMNS            = tostring(var.min_columns)
    BQX_PROJECT_MAX_CONCURRENT = tostring(var.project_max_concurrent)
    BQX_MAX_CONCURRENT         = tostring(var.run_max_concurrent)
    BQX_MAX_ATTEMPTS           = tostring(var.max_attempts)
    BQX_LAUNCH_GRACE_SECONDS   = tostring(var.launch_grace_seconds)
    BQX_LOG_FORMAT             = "json"
    BQX_JOB_CPU                = tostring(var.job_cpu)
    BQX_JOB_MEMORY_GIB         = tostring(var.job_memory_gib)
    BQX_PRICE_VCPU_SECOND      = tostring(var.price_vcpu_second)
    BQX_PRICE_GIB_SECOND       = tostring(var.price_gib_second)
  }
}

resource "google_cloudfunctions2_function" "function" {
  for_each = local.functions

  project     = var.project_id
  name        = each.value.name
  location    = var.region
  description = each.value.description

  build_config {
    runtime         = "java17"
    service_account = google_service_account.build.id
    entry_point     = each.value.entry_point
    source {
      storage_source {
        bucket = google_storage_bucket_object.functions_source.bucket
        object = google_storage_bucket_object.functions_source.name
      }
    }
  }

  service_config {
    available_memory               = "1Gi"
    timeout_seconds                = 540
    max_instance_count             = each.value.max_instances
    ingress_settings               = "ALLOW_INTERNAL_ONLY"
    all_traffic_on_latest_revision = true
    service_account_email          = google_service_account.function[each.key].email
    environment_variables          = local.function_env
  }

  # A build may start only once its account may write its logs, image and read its source.
  depends_on = [
    google_project_service.apis,
    google_project_iam_member.build_logs,
    google_project_iam_member.build_images,
    google_storage_bucket_iam_member.build_reads_source,
  ]
}

# Only each push identity may invoke its function's service.
resource "google_cloud_run_service_iam_member" "invoker" {
  for_each = local.functions

  project  = var.project_id
  location = google_cloudfunctions2_function.function[each.key].location
  service  = google_cloudfunctions2_function.function[each.key].name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.trigger[each.key].email}"
}

# The functions' source, uploaded by terraform: the bucket exists before the upload, the upload before
# the functions (their storage_source refers to it).
resource "google_storage_bucket_object" "functions_source" {
  bucket       = google_storage_bucket.functions_source.name
  name         = local.functions_source_object
  source       = var.functions_source_zip
  content_type = "application/zip"
}
