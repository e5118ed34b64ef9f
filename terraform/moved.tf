# Where the functions' resources were before they came from one map (local.functions): a project
# deployed before keeps its accounts, functions and subscriptions, which terraform moves in its state
# instead of replacing (https://developer.hashicorp.com/terraform/language/modules/develop/refactoring,
# "Create multiple instances"). A contract test checks that every target is declared and no source
# is. Removing a moved block breaks a state that has not applied it yet: keep them.

moved {
  from = google_service_account.dispatch
  to   = google_service_account.function["dispatch"]
}

moved {
  from = google_service_account.completion
  to   = google_service_account.function["completion"]
}

moved {
  from = google_service_account.reconcile
  to   = google_service_account.function["reconcile"]
}

moved {
  from = google_service_account.dispatch_trigger
  to   = google_service_account.trigger["dispatch"]
}

moved {
  from = google_service_account.completion_trigger
  to   = google_service_account.trigger["completion"]
}

moved {
  from = google_service_account.reconcile_trigger
  to   = google_service_account.trigger["reconcile"]
}

moved {
  from = google_service_account_iam_member.pubsub_signs_dispatch_trigger
  to   = google_service_account_iam_member.pubsub_signs_trigger["dispatch"]
}

moved {
  from = google_service_account_iam_member.pubsub_signs_completion_trigger
  to   = google_service_account_iam_member.pubsub_signs_trigger["completion"]
}

moved {
  from = google_service_account_iam_member.pubsub_signs_reconcile_trigger
  to   = google_service_account_iam_member.pubsub_signs_trigger["reconcile"]
}

moved {
  from = google_cloudfunctions2_function.dispatch
  to   = google_cloudfunctions2_function.function["dispatch"]
}

moved {
  from = google_cloudfunctions2_function.completion
  to   = google_cloudfunctions2_function.function["completion"]
}

moved {
  from = google_cloudfunctions2_function.reconcile
  to   = google_cloudfunctions2_function.function["reconcile"]
}

moved {
  from = google_cloud_run_service_iam_member.dispatch_invoker
  to   = google_cloud_run_service_iam_member.invoker["dispatch"]
}

moved {
  from = google_cloud_run_service_iam_member.completion_invoker
  to   = google_cloud_run_service_iam_member.invoker["completion"]
}

moved {
  from = google_cloud_run_service_iam_member.reconcile_invoker
  to   = google_cloud_run_service_iam_member.invoker["reconcile"]
}

moved {
  from = google_pubsub_subscription.dispatch_push
  to   = google_pubsub_subscription.push["dispatch"]
}

moved {
  from = google_pubsub_subscription.completion_push
  to   = google_pubsub_subscription.push["completion"]
}

moved {
  from = google_pubsub_subscription.reconcile_push
  to   = google_pubsub_subscription.push["reconcile"]
}

moved {
  from = google_pubsub_subscription_iam_member.pubsub_acks_dispatch_dead_letters
  to   = google_pubsub_subscription_iam_member.pubsub_acks_dead_letters["dispatch"]
}

moved {
  from = google_pubsub_subscription_iam_member.pubsub_acks_completion_dead_letters
  to   = google_pubsub_subscription_iam_member.pubsub_acks_dead_letters["completion"]
}

moved {
  from = google_pubsub_subscription_iam_member.pubsub_acks_reconcile_dead_letters
  to   = google_pubsub_subscription_iam_member.pubsub_acks_dead_letters["reconcile"]
}

moved {
  from = google_storage_bucket_iam_member.dispatch_staging_objects
  to   = google_storage_bucket_iam_member.function_staging_objects["dispatch"]
}

moved {
  from = google_storage_bucket_iam_member.completion_staging_objects
  to   = google_storage_bucket_iam_member.function_staging_objects["completion"]
}

moved {
  from = google_storage_bucket_iam_member.reconcile_staging_objects
  to   = google_storage_bucket_iam_member.function_staging_objects["reconcile"]
}

moved {
  from = google_pubsub_topic_iam_member.dispatch_publish_pairs
  to   = google_pubsub_topic_iam_member.function_publish_pairs["dispatch"]
}

moved {
  from = google_pubsub_topic_iam_member.completion_publish_pairs
  to   = google_pubsub_topic_iam_member.function_publish_pairs["completion"]
}

moved {
  from = google_pubsub_topic_iam_member.reconcile_publish_pairs
  to   = google_pubsub_topic_iam_member.function_publish_pairs["reconcile"]
}

moved {
  from = google_pubsub_topic_iam_member.dispatch_publish_events
  to   = google_pubsub_topic_iam_member.function_publish_events["dispatch"]
}

moved {
  from = google_pubsub_topic_iam_member.completion_publish_events
  to   = google_pubsub_topic_iam_member.function_publish_events["completion"]
}

moved {
  from = google_pubsub_topic_iam_member.reconcile_publish_events
  to   = google_pubsub_topic_iam_member.function_publish_events["reconcile"]
}
