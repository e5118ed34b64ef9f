# Failed pairs: a log-based metric on the job's error lines (JSON logs with severity, labelled by pair)
# and an alert when any appear.

resource "google_logging_metric" "failed_pairs" {
  project     = var.project_id
  name        = "bqx_failed_pairs"
  description = "Error lines of the bqx pipeline job: a stage or the job of a pair failed."
  filter      = "resource.type=\"cloud_run_job\" AND resource.labels.job_name=\"${google_cloud_run_v2_job.pipeline.name}\" AND severity>=ERROR"

  metric_descriptor {
    metric_kind  = "DELTA"
    value_type   = "INT64"
    unit         = "1"
    display_name = "bqx failed pairs"

    labels {
      key         = "pair"
      value_type  = "STRING"
      description = "The pair that failed."
    }
  }

  label_extractors = {
    pair = "EXTRACT(jsonPayload.pair)"
  }

  depends_on = [google_project_service.apis]
}

resource "google_monitoring_alert_policy" "failed_pairs" {
  project      = var.project_id
  display_name = "bqx: a pair failed"
  combiner     = "OR"

  conditions {
    display_name = "bqx_failed_pairs above 0"

    condition_threshold {
      filter          = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.failed_pairs.name}\" AND resource.type=\"cloud_run_job\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"

      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_SUM"
      }

      trigger {
        count = 1
      }
    }
  }

  notification_channels = var.alert_notification_channels

  documentation {
    content   = "A bqx pair failed. `bqx status` shows the run; the job's logs name the stage and the reason."
    mime_type = "text/markdown"
  }
}
