variable "region" {
  description = "AWS region of the resources (the root's aws_region; passed in because the aws_region data source's attribute differs between provider 5 and 6)."
  type        = string
}

variable "name" {
  description = "Prefix of every resource name (project and environment); the apply role may manage only resources named with it."
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

variable "github_environments" {
  description = "GitHub environments whose jobs may assume the roles: infrastructure (terraform apply), dashboard (app deploy), pipeline (runs)."
  type = object({
    infrastructure = string
    dashboard      = string
    pipeline       = string
  })
  default = { infrastructure = "infrastructure", dashboard = "dashboard", pipeline = "pipeline" }
}

variable "state_bucket_name" {
  description = "S3 bucket holding the Terraform state (created by the bootstrap configuration)."
  type        = string
}
