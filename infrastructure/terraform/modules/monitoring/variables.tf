variable "region" {
  description = "AWS region of the resources (the root's aws_region; passed in because the aws_region data source's attribute differs between provider 5 and 6)."
  type        = string
}

variable "name" {
  description = "Prefix of every resource name (project and environment)."
  type        = string
}

variable "function_names" {
  description = "Lambda function name by stage name; each gets an error alarm."
  type        = map(string)
}

variable "state_machine_arn" {
  description = "Pipeline state machine whose failed executions raise an alarm."
  type        = string
}

variable "alb_arn_suffix" {
  description = "ARN suffix of the load balancer (metric dimension)."
  type        = string
}

variable "target_group_arn_suffix" {
  description = "ARN suffix of the dashboard target group (metric dimension)."
  type        = string
}

variable "cluster_name" {
  description = "ECS cluster of the dashboard."
  type        = string
}

variable "service_name" {
  description = "ECS service of the dashboard."
  type        = string
}

variable "desired_task_count" {
  description = "Tasks the service should run; fewer raise an alarm (no alarm when 0: the dashboard is stopped on purpose)."
  type        = number
}

variable "alarm_email" {
  description = "Address that receives alarm notifications (confirm the subscription e-mail); empty: no subscription."
  type        = string
  default     = ""
}
