# The Cloud Run job: one execution builds one pair. The dispatcher starts it with TARGET_PAIR, RUN_ID
# and ATTEMPT as per-execution overrides; everything else it reads is set here (EnvKey readers JOB).

locals {
  # Memory Cloud Run accepts per vCPU count, in GiB [least, most]
  # (https://cloud.google.com/run/docs/configuring/jobs/cpu, "vCPU and memory table").
  job_memory_gib_by_cpu = {
    "1" = [0.5, 4]
    "2" = [0.5, 8]
    "4" = [2, 16]
    "6" = [4, 24]
    "8" = [4, 32]
  }

  job_env = {
    BQX_PROJECT             = var.project_id
    BQX_WAREHOUSE           = "bigquery://${var.project_id}/${var.features_dataset}"
    BQX_STAGING             = "gs://${google_storage_bucket.staging.name}"
    BQX_OUTPUT              = "gs://${google_storage_bucket.output.name}"
    BQX_EVENTS_TOPIC        = google_pubsub_topic.events.name
    BQX_EVENT_BUS           = "pubsub://${var.project_id}"
    BQX_EXTRACT_CONCURRENCY = var.extract_concurrency
    BQX_ROW_GROUP_ROWS      = tostring(var.row_group_rows)
    BQX_CHECKPOINT_DAYS     = tostring(var.checkpoint_cache_days)
    BQX_MIN_ROWS            = tostring(var.min_rows)
    BQX_MIN_COLUMNS         = tostring(var.min_columns)
    BQX_LOG_FORMAT          = "json"
  }
}

resource "google_cloud_run_v2_job" "pipeline" {
  project             = var.project_id
  name                = "bqx-pipeline"
  location            = var.region
  launch_stage        = "GA"
  deletion_protection = false

  template {
    task_count  = 1
    parallelism = 1

    template {
      service_account = google_service_account.job.email
      timeout         = "${var.job_timeout_seconds}s"
      # Retries belong to the run ledger (attempts, resume from checkpoints), never to Cloud Run.
      max_retries = 0

      containers {
        image = var.job_image

        resources {
          limits = {
            cpu    = tostring(var.job_cpu)
            memory = "${var.job_memory_gib}Gi"
          }
        }

        dynamic "env" {
          for_each = local.job_env
          content {
            name  = env.key
            value = env.value
          }
        }
      }
    }
  }

  lifecycle {
    precondition {
      condition = (
        var.job_memory_gib >= local.job_memory_gib_by_cpu[tostring(var.job_cpu)][0]
        && var.job_memory_gib <= local.job_memory_gib_by_cpu[tostring(var.job_cpu)][1]
      )
      error_message = "Cloud Run refuses job_memory_gib = ${var.job_memory_gib} with job_cpu = ${var.job_cpu}: ${var.job_cpu} vCPU take ${local.job_memory_gib_by_cpu[tostring(var.job_cpu)][0]} to ${local.job_memory_gib_by_cpu[tostring(var.job_cpu)][1]} GiB."
    }
  }

  depends_on = [google_project_service.apis]
}
