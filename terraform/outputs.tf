output "pairs_topic" {
  description = "Topic of pair messages: publish here to build a pair."
  value       = google_pubsub_topic.pairs.name
}

output "events_topic" {
  description = "Topic of stage events and run summaries."
  value       = google_pubsub_topic.events.name
}

output "reconcile_topic" {
  description = "Topic of the reconcile tick."
  value       = google_pubsub_topic.reconcile.name
}

output "dead_letter_topic" {
  description = "Topic of undeliverable messages; read them through dead_letter_subscription."
  value       = google_pubsub_topic.dead_letter.name
}

output "dead_letter_subscription" {
  description = "Subscription to read the dead-letter topic."
  value       = google_pubsub_subscription.dead_letter.name
}

output "job_name" {
  description = "The Cloud Run job."
  value       = google_cloud_run_v2_job.pipeline.name
}

output "job_image" {
  description = "Image the job runs now."
  value       = var.job_image
}

output "image_repository" {
  description = "Docker repository to push the job image to."
  value       = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}"
}

output "output_bucket" {
  description = "Bucket of the training files."
  value       = google_storage_bucket.output.name
}

output "staging_bucket" {
  description = "Bucket of ledgers, checkpoints and staging objects."
  value       = google_storage_bucket.staging.name
}

output "publish_one_pair" {
  description = "The command that builds one pair (eurusd; any of the 28 pairs works)."
  value       = "gcloud pubsub topics publish ${google_pubsub_topic.pairs.name} --project=${var.project_id} --message='{\"pair\":\"eurusd\"}'"
}
