# Topics: pair messages, stage events, the reconcile tick, and a dead-letter topic with a subscription
# to read what landed there; and the functions' push subscriptions, owned here with their dead-letter
# and retry policies (Eventarc's subscriptions cannot hold a dead-letter policy in terraform, and a
# replaced trigger lost it). A replaced function keeps its URL, and its subscription keeps its policy.

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

# Each function's push subscription (local.functions, functions.tf), named after the function.
resource "google_pubsub_subscription" "push" {
  for_each = local.functions

  project = var.project_id
  name    = "${each.value.name}-push"
  topic   = each.value.topic

  # Longer than the function's 540 s timeout: a slow delivery is not sent twice at once.
  ack_deadline_seconds = 600

  push_config {
    push_endpoint = google_cloudfunctions2_function.function[each.key].service_config[0].uri
    oidc_token {
      service_account_email = google_service_account.trigger[each.key].email
      audience              = google_cloudfunctions2_function.function[each.key].service_config[0].uri
    }
  }

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter.id
    max_delivery_attempts = var.max_delivery_attempts
  }

  expiration_policy {
    ttl = ""
  }

  # Pushes start only once they can be signed and accepted (depends_on names whole resources, so
  # each subscription waits for the grants of all three).
  depends_on = [
    google_service_account_iam_member.pubsub_signs_trigger,
    google_cloud_run_service_iam_member.invoker,
  ]
}
