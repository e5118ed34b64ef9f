# The reconcile tick: every few minutes, one message on bqx-reconcile, published through the Pub/Sub
# API under the scheduler's own account (which may publish to that topic and nothing else).

resource "google_cloud_scheduler_job" "reconcile" {
  project          = var.project_id
  region           = var.region
  name             = "bqx-reconcile-tick"
  description      = "Fires ReconcileFunction."
  schedule         = var.reconcile_schedule
  time_zone        = "Etc/UTC"
  attempt_deadline = "60s"

  retry_config {
    retry_count = 0
  }

  http_target {
    http_method = "POST"
    uri         = "https://pubsub.googleapis.com/v1/${google_pubsub_topic.reconcile.id}:publish"
    headers = {
      "Content-Type" = "application/json"
    }
    body = base64encode(jsonencode({
      messages = [{
        data       = base64encode(jsonencode({ source = "cloud-scheduler" }))
        attributes = { source = "cloud-scheduler" }
      }]
    }))

    oauth_token {
      service_account_email = google_service_account.scheduler.email
      scope                 = "https://www.googleapis.com/auth/pubsub"
    }
  }

  depends_on = [google_project_service.apis, google_pubsub_topic_iam_member.scheduler_publish_reconcile]
}
