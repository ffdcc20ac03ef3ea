variable "name" {
  description = "Prefix of every resource name (project and environment)."
  type        = string
}

variable "force_destroy" {
  description = "Allow terraform destroy to delete the bucket with its objects and versions (tear-down)."
  type        = bool
  default     = false
}

variable "runs_to_glacier_after_days" {
  description = "Age in days after which objects under runs/ move to S3 Glacier Instant Retrieval (still readable by the dashboard)."
  type        = number
  default     = 90
}

variable "noncurrent_version_expiration_days" {
  description = "Days a replaced or deleted object version is kept before it expires."
  type        = number
  default     = 30
}
