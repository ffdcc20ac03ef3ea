variable "name" {
  description = "Name of the role."
  type        = string
}

variable "service" {
  description = "Service principal that may assume the role, e.g. lambda.amazonaws.com."
  type        = string
}

variable "only_this_account" {
  description = "Trust the service only when it acts for this account (aws:SourceAccount), where the service sets it."
  type        = bool
  default     = false
}

variable "policy_name" {
  description = "Name of the role's inline policy."
  type        = string
}

variable "policy" {
  description = "The inline policy: the JSON of an aws_iam_policy_document of the caller."
  type        = string
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary of the role (module iam); the apply role may create roles only with it."
  type        = string
}
