variable "project_id" {
  type        = string
  description = "Google Cloud project that holds everything bqx deploys."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a Google Cloud project id: 6-30 lower-case letters, digits or hyphens."
  }
}

variable "region" {
  type        = string
  description = "Region of the job, the functions, the buckets and the image repository."
  default     = "us-central1"

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "region must be a Google Cloud region such as us-central1."
  }
}

variable "output_bucket" {
  type        = string
  description = "Name of the bucket that receives training_<pair>.parquet (versioned)."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$", var.output_bucket))
    error_message = "output_bucket must be a valid bucket name (3-63 lower-case letters, digits, dots, hyphens, underscores)."
  }
}

variable "staging_bucket" {
  type        = string
  description = "Name of the bucket for run ledgers, checkpoints and staging objects."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$", var.staging_bucket))
    error_message = "staging_bucket must be a valid bucket name (3-63 lower-case letters, digits, dots, hyphens, underscores)."
  }
}

variable "functions_source_bucket" {
  type        = string
  description = "Name of the bucket that holds the functions' source archive."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$", var.functions_source_bucket))
    error_message = "functions_source_bucket must be a valid bucket name."
  }
}

variable "functions_source_zip" {
  type        = string
  description = "Local path of the zip of the functions' deployable jar (deploy.sh builds it); terraform uploads it, named by its content, so a new build redeploys the functions."

  validation {
    condition     = can(regex("\\.zip$", var.functions_source_zip))
    error_message = "functions_source_zip must name a .zip file."
  }
}

variable "max_delivery_attempts" {
  type        = number
  description = "Deliveries of a message to a function before Pub/Sub moves it to the dead-letter topic."
  default     = 10

  validation {
    condition     = var.max_delivery_attempts >= 5 && var.max_delivery_attempts <= 100
    error_message = "max_delivery_attempts must be from 5 to 100 (Pub/Sub's limits)."
  }
}

variable "job_image" {
  type        = string
  description = "Container image of the pipeline job, with a tag or digest. Set it to a previous tag to roll back."

  validation {
    condition     = can(regex("^[a-z0-9.-]+(:[0-9]+)?/[^ ]+(:[A-Za-z0-9_.-]+|@sha256:[0-9a-f]{64})$", var.job_image))
    error_message = "job_image must be a full image reference with an explicit tag or digest (REGION-docker.pkg.dev/PROJECT/bqx/pipeline-job:TAG)."
  }

  validation {
    condition     = !can(regex(":latest$", var.job_image))
    error_message = "job_image must not use :latest: a tag that moves cannot be rolled back to."
  }
}

variable "job_cpu" {
  type        = number
  description = "vCPUs of one job execution."
  default     = 4

  validation {
    condition     = contains([1, 2, 4, 6, 8], var.job_cpu)
    error_message = "job_cpu must be 1, 2, 4, 6 or 8."
  }
}

variable "job_memory_gib" {
  type        = number
  description = "Memory of one job execution in GiB (also the in-memory disk on Cloud Run); the range allowed depends on job_cpu (job.tf)."
  default     = 12

  validation {
    condition     = var.job_memory_gib >= 1 && var.job_memory_gib <= 32 && floor(var.job_memory_gib) == var.job_memory_gib
    error_message = "job_memory_gib must be a whole number from 1 to 32."
  }
}

variable "job_timeout_seconds" {
  type        = number
  description = "Task timeout of one job execution, in seconds."
  default     = 7200

  validation {
    condition     = var.job_timeout_seconds >= 600 && var.job_timeout_seconds <= 86400
    error_message = "job_timeout_seconds must be from 600 (10 min) to 86400 (24 h)."
  }
}

variable "project_max_concurrent" {
  type        = number
  description = "Cap of job executions at once across all runs (BQX_PROJECT_MAX_CONCURRENT)."
  default     = 8

  validation {
    condition     = var.project_max_concurrent >= 1 && var.project_max_concurrent <= 100
    error_message = "project_max_concurrent must be from 1 to 100."
  }
}

variable "run_max_concurrent" {
  type        = number
  description = "Cap of the day's ad-hoc run, joined by pair messages without a run (BQX_MAX_CONCURRENT)."
  default     = 4

  validation {
    condition     = var.run_max_concurrent >= 1 && var.run_max_concurrent <= 100
    error_message = "run_max_concurrent must be from 1 to 100."
  }
}

variable "max_attempts" {
  type        = number
  description = "Attempts per pair of the ad-hoc run before it fails (BQX_MAX_ATTEMPTS)."
  default     = 3

  validation {
    condition     = var.max_attempts >= 1 && var.max_attempts <= 10
    error_message = "max_attempts must be from 1 to 10."
  }
}

variable "launch_grace_seconds" {
  type        = number
  description = "Seconds a pair may hold a slot without becoming an execution before reconcile frees it (BQX_LAUNCH_GRACE_SECONDS)."
  default     = 600

  validation {
    condition     = var.launch_grace_seconds > 540
    error_message = "launch_grace_seconds must exceed the functions' 540 s timeout, or a slow launch is taken for a lost one."
  }
}

variable "row_group_rows" {
  type        = number
  description = "Rows per row group of checkpoints and training files (BQX_ROW_GROUP_ROWS)."
  default     = 100000

  validation {
    condition     = var.row_group_rows >= 1000 && var.row_group_rows <= 10000000
    error_message = "row_group_rows must be from 1000 to 10000000."
  }
}

variable "extract_concurrency" {
  type        = string
  description = "Tables one job extracts at once (BQX_EXTRACT_CONCURRENCY): auto fits them to the job's CPUs and memory at start, or a number from 1 to 64."
  default     = "auto"

  validation {
    condition     = var.extract_concurrency == "auto" || can(regex("^([1-9]|[1-5][0-9]|6[0-4])$", var.extract_concurrency))
    error_message = "extract_concurrency must be auto or a number from 1 to 64."
  }
}

variable "min_rows" {
  type        = number
  description = "Fewest rows a valid training file has (BQX_MIN_ROWS)."
  default     = 100000

  validation {
    condition     = var.min_rows >= 1
    error_message = "min_rows must be 1 or more."
  }
}

variable "min_columns" {
  type        = number
  description = "Fewest columns a valid training file has (BQX_MIN_COLUMNS)."
  default     = 10000

  validation {
    condition     = var.min_columns >= 1
    error_message = "min_columns must be 1 or more."
  }
}

variable "price_vcpu_second" {
  type        = number
  description = "USD per vCPU-second of Cloud Run Jobs, for the run report's cost estimate."
  default     = 0.000018

  validation {
    condition     = var.price_vcpu_second >= 0
    error_message = "price_vcpu_second must not be negative."
  }
}

variable "price_gib_second" {
  type        = number
  description = "USD per GiB-second of Cloud Run Jobs, for the run report's cost estimate."
  default     = 0.000002

  validation {
    condition     = var.price_gib_second >= 0
    error_message = "price_gib_second must not be negative."
  }
}

variable "features_dataset" {
  type        = string
  description = "BigQuery dataset of the feature and target tables (read by the job)."
  default     = "bqx_ml_v3_features_v2"

  validation {
    condition     = can(regex("^[A-Za-z0-9_]{1,1024}$", var.features_dataset))
    error_message = "features_dataset must be a BigQuery dataset id."
  }
}

variable "staging_retention_days" {
  type        = number
  description = "Days staging objects, run ledgers and the project's slots are kept in the staging bucket (the checkpoint cache has checkpoint_cache_days)."
  default     = 30

  validation {
    condition     = var.staging_retention_days >= 1 && var.staging_retention_days <= 3650
    error_message = "staging_retention_days must be from 1 to 3650."
  }
}

variable "checkpoint_cache_days" {
  type        = number
  description = "Days a cached checkpoint is reused after its extraction (BQX_CHECKPOINT_DAYS); the staging bucket deletes the checkpoint cache a day later."
  default     = 30

  validation {
    condition     = var.checkpoint_cache_days >= 1 && var.checkpoint_cache_days <= 3650
    error_message = "checkpoint_cache_days must be from 1 to 3650."
  }
}

variable "output_noncurrent_days" {
  type        = number
  description = "Days a replaced (noncurrent) version of a training file is kept in the output bucket."
  default     = 30

  validation {
    condition     = var.output_noncurrent_days >= 1
    error_message = "output_noncurrent_days must be 1 or more."
  }
}

variable "function_max_instances" {
  type        = number
  description = "Most instances of each function at once."
  default     = 10

  validation {
    condition     = var.function_max_instances >= 1 && var.function_max_instances <= 100
    error_message = "function_max_instances must be from 1 to 100."
  }
}

variable "reconcile_schedule" {
  type        = string
  description = "Cron schedule (UTC) of the reconcile tick."
  default     = "*/5 * * * *"

  validation {
    condition     = length(split(" ", var.reconcile_schedule)) == 5
    error_message = "reconcile_schedule must be a five-field cron expression."
  }
}

variable "operators" {
  type        = list(string)
  description = "IAM members allowed to run, watch and cancel production runs with the bqx command (user:, group: or serviceAccount:)."
  default     = []

  validation {
    condition     = alltrue([for m in var.operators : can(regex("^(user|group|serviceAccount):[^@ ]+@[^@ ]+$", m))])
    error_message = "operators must be user:, group: or serviceAccount: members; public members are refused."
  }
}

variable "alert_notification_channels" {
  type        = list(string)
  description = "Monitoring notification channel ids (projects/P/notificationChannels/N) told about failed pairs."
  default     = []

  validation {
    condition     = alltrue([for c in var.alert_notification_channels : can(regex("^projects/[^/]+/notificationChannels/[^/]+$", c))])
    error_message = "alert_notification_channels must be notification channel ids: projects/P/notificationChannels/N."
  }
}
