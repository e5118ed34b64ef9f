# The Google APIs the deployment and its code call. Left enabled on destroy: other things may use them.
locals {
  apis = toset([
    "artifactregistry.googleapis.com",  # the job image
    "bigquery.googleapis.com",          # INFORMATION_SCHEMA discovery
    "bigquerystorage.googleapis.com",   # Storage Read API (Arrow)
    "cloudbuild.googleapis.com",        # gen2 functions are built by Cloud Build
    "cloudfunctions.googleapis.com",    # the three functions
    "cloudresourcemanager.googleapis.com", # the project's number (the Pub/Sub agent's name)
    "cloudscheduler.googleapis.com",    # the reconcile tick
    "compute.googleapis.com",           # gen2 functions' builds and networking expect it enabled
    "iam.googleapis.com",               # service accounts
    "iamcredentials.googleapis.com",    # OIDC tokens of the push identities, the scheduler's token
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
