# Failed pairs: a log-based metric on the one line the functions log when a pair ends FAILED for good
# (core's PairFailedLog: a JSON line with "event":"pair_failed" and the pair's name in "pair"), and an
# alert per pair. ERROR lines of an attempt that will be retried are not counted: a retry is not a
# failure the user has to act on. Gen2 functions log as Cloud Run services (resource cloud_run_revision).

resource "google_logging_metric" "failed_pairs" {
  project     = var.project_id
  name        = "bqx_failed_pairs"
  description = "Pairs of a bqx run that ended FAILED, after their last attempt."
  filter      = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=(${join(" OR ", [for f in google_cloudfunctions2_function.function : "\"${f.name}\""])}) AND jsonPayload.event=\"pair_failed\""

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
    display_name = "bqx_failed_pairs above 0, per pair"

    condition_threshold {
      filter                  = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.failed_pairs.name}\" AND resource.type=\"cloud_run_revision\""
      comparison              = "COMPARISON_GT"
      threshold_value         = 0
      duration                = "0s"
      evaluation_missing_data = "EVALUATION_MISSING_DATA_INACTIVE"

      # One series per pair, whichever function instance logged the line: one incident per pair.
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["metric.label.pair"]
      }

      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "1800s"
  }

  notification_channels = var.alert_notification_channels

  documentation {
    content   = "A bqx pair failed after its last attempt. `bqx status` shows the run; the ledger and the job's logs name the stage and the reason."
    mime_type = "text/markdown"
  }
}
