variable "name" {
  description = "Prefix of every resource name (project and environment); the deploy role may manage only resources named with it."
  type        = string
}

variable "github_repository" {
  description = "GitHub repository allowed to assume the roles, as owner/name."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must look like owner/name."
  }
}

variable "github_environment" {
  description = "GitHub environment whose jobs may assume the deploy role (besides pushes to main)."
  type        = string
  default     = "production"
}

variable "state_bucket_name" {
  description = "S3 bucket holding the Terraform state (created by the bootstrap configuration)."
  type        = string
}
