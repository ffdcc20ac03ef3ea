variable "bucket" {
  description = "Name of the bucket to harden (created by the caller, which decides how it may be destroyed)."
  type        = string
}

variable "bucket_arn" {
  description = "ARN of the same bucket, for the TLS-only policy."
  type        = string
}
