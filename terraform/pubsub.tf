# Topics: pair messages, stage events, the reconcile tick, and a dead-letter topic with a subscription
# to read what landed there.

resource "google_pubsub_topic" "pairs" {
  project = var.project_id
  name    = "bqx-pairs"

  depends_on = [google_project_service.apis]
}

resource "google_pubsub_topic" "events" {
  project = var.project_id
  name    = "bqx-stage-events"

  depends_on = [google_project_service.apis]
}

resource "google_pubsub_topic" "reconcile" {
  project = var.project_id
  name    = "bqx-reconcile"

  # A tick older than a few schedules is worthless.
  message_retention_duration = "3600s"

  depends_on = [google_project_service.apis]
}

resource "google_pubsub_topic" "dead_letter" {
  project = var.project_id
  name    = "bqx-dead-letter"

  depends_on = [google_project_service.apis]
}

resource "google_pubsub_subscription" "dead_letter" {
  project = var.project_id
  name    = "bqx-dead-letter-read"
  topic   = google_pubsub_topic.dead_letter.id

  ack_deadline_seconds       = 60
  message_retention_duration = "604800s"
  retain_acked_messages      = false

  expiration_policy {
    ttl = ""
  }
}
