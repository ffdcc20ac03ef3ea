variable "name" {
  description = "Prefix of every resource name (project and environment)."
  type        = string
}

variable "functions" {
  description = "The pipeline functions by name: memory (MB), timeout (s), and the bucket key patterns each may read and write."
  type = map(object({
    memory_size    = number
    timeout        = number
    read_prefixes  = list(string)
    write_prefixes = list(string)
    # Bucket key patterns the function may delete; empty for most.
    delete_prefixes = list(string)
  }))
}

variable "artifacts_dir" {
  description = "Folder holding <name>.zip for every function (dist/lambda, built by npm run build at the repository root)."
  type        = string
}

variable "runtime" {
  description = "Lambda runtime; nodejs20.x is past AWS end of support (2026-04-30)."
  type        = string
  default     = "nodejs22.x"

  validation {
    condition     = contains(["nodejs22.x", "nodejs24.x"], var.runtime)
    error_message = "The runtime must be nodejs22.x or nodejs24.x."
  }
}

variable "bucket_name" {
  description = "Artifact bucket the functions read and write (S3_BUCKET)."
  type        = string
}

variable "bucket_arn" {
  description = "ARN of the artifact bucket."
  type        = string
}

variable "log_level" {
  description = "POWERTOOLS_LOG_LEVEL of the Powertools logger (Powertools treats LOG_LEVEL as legacy)."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARN or ERROR."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the functions' logs."
  type        = number
  default     = 30
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary every role of the module carries (module iam); the apply role may create roles only with it."
  type        = string
}
