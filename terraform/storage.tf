# Buckets: output (versioned), staging (ledgers, checkpoints; old objects expire), functions' source;
# and the Artifact Registry repository for the job image. All private: uniform access, no public ACLs.

resource "google_storage_bucket" "output" {
  project                     = var.project_id
  name                        = var.output_bucket
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  versioning {
    enabled = true
  }

  # A rebuilt training file replaces the previous one; keep the old version for a while, then drop it.
  lifecycle_rule {
    condition {
      days_since_noncurrent_time = var.output_noncurrent_days
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_storage_bucket" "staging" {
  project                     = var.project_id
  name                        = var.staging_bucket
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  # Staging objects a failed attempt left behind and old run ledgers expire (every prefix of
  # StoreLayout but the checkpoint cache: a deployment test holds the two lists together), and so
  # do the parts a killed job's parallel composite upload left (GcsCompositeUpload.PARTS_PREFIX).
  lifecycle_rule {
    condition {
      age            = var.staging_retention_days
      matches_prefix = ["runs/", "slots.json", "bqx-upload-parts/"]
    }
    action {
      type = "Delete"
    }
  }

  # The checkpoint cache outlives runs: the job reuses a checkpoint for checkpoint_cache_days
  # after its extraction, and this rule deletes it a day later, never under a run still using it.
  lifecycle_rule {
    condition {
      age            = var.checkpoint_cache_days + 1
      matches_prefix = ["cache/"]
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_storage_bucket" "functions_source" {
  project                     = var.project_id
  name                        = var.functions_source_bucket
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  versioning {
    enabled = true
  }

  depends_on = [google_project_service.apis]
}

resource "google_artifact_registry_repository" "images" {
  project       = var.project_id
  location      = var.region
  repository_id = "bqx"
  format        = "DOCKER"
  description   = "Images of the bqx pipeline job."

  depends_on = [google_project_service.apis]
}
