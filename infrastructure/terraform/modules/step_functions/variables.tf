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
