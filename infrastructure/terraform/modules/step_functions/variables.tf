variable "name" {
  description = "Prefix of every resource name (project and environment)."
  type        = string
}

variable "function_arns" {
  description = "ARN of every pipeline function by stage name; each fills the ASL placeholder $${<name>_function_arn}."
  type        = map(string)
}

variable "log_level" {
  description = "Step Functions execution log level: ALL, ERROR, FATAL or OFF."
  type        = string
  default     = "ERROR"
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the execution logs."
  type        = number
  default     = 30
}

variable "function_timeout_seconds" {
  description = "Timeout (s) of every pipeline function by stage name: each Task state's TimeoutSeconds must exceed it."
  type        = map(number)
}

variable "finalize_function_arn" {
  description = "ARN of the finalize function, which EventBridge invokes for executions that ended without a manifest."
  type        = string
}

variable "finalize_function_name" {
  description = "Name of the finalize function (for its invoke permission)."
  type        = string
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary every role of the module carries (module iam); the apply role may create roles only with it."
  type        = string
}
