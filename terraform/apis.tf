# The Google APIs the deployment and its code call. Left enabled on destroy: other things may use them.
locals {
  apis = toset([
    "artifactregistry.googleapis.com",  # the job image
    "bigquery.googleapis.com",          # INFORMATION_SCHEMA discovery
    "bigquerystorage.googleapis.com",   # Storage Read API (Arrow)
    "cloudbuild.googleapis.com",        # gen2 functions are built by Cloud Build
    "cloudfunctions.googleapis.com",    # the three functions
    "cloudscheduler.googleapis.com",    # the reconcile tick
    "eventarc.googleapis.com",          # Pub/Sub triggers of gen2 functions
    "iam.googleapis.com",               # service accounts
    "logging.googleapis.com",           # log-based metric
    "monitoring.googleapis.com",        # alert policy
    "pubsub.googleapis.com",            # topics
    "run.googleapis.com",               # the job, and the functions' services
    "storage.googleapis.com",           # buckets
  ])
}

resource "google_project_service" "apis" {
  for_each = local.apis

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}
