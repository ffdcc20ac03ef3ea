variable "region" {
  description = "AWS region of the resources (the root's aws_region; passed in because the aws_region data source's attribute differs between provider 5 and 6)."
  type        = string
}

variable "name" {
  description = "Prefix of every resource name (project and environment)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the tasks."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets the tasks run in."
  type        = list(string)
}

variable "assign_public_ip" {
  description = "Give tasks a public IP (needed in public subnets without a NAT gateway to reach ECR, SSM and CloudWatch)."
  type        = bool
}

variable "alb_security_group_id" {
  description = "Security group of the load balancer: the only source allowed to reach the app port."
  type        = string
}

variable "target_group_arn" {
  description = "Load balancer target group the service registers its tasks in."
  type        = string
}

variable "repository_url" {
  description = "ECR repository of the dashboard image."
  type        = string
}

variable "repository_arn" {
  description = "ARN of the ECR repository (the execution role may pull only from it)."
  type        = string
}

variable "image_tag" {
  description = "Image tag of the first task definition; later deploys (deploy-app.yml) register new revisions themselves."
  type        = string
}

variable "app_port" {
  description = "Port the dashboard listens on (PORT)."
  type        = number
  default     = 3000
}

variable "cpu" {
  description = "Task CPU units (512 = 0.5 vCPU)."
  type        = number
  default     = 512
}

variable "memory" {
  description = "Task memory in MiB."
  type        = number
  default     = 1024
}

variable "desired_count" {
  description = "Number of dashboard tasks; 0 stops the dashboard (and its Fargate cost) without destroying anything."
  type        = number
  default     = 1
}

variable "bucket_name" {
  description = "Artifact bucket the dashboard reads (S3_BUCKET)."
  type        = string
}

variable "bucket_arn" {
  description = "ARN of the artifact bucket."
  type        = string
}

variable "state_machine_arn" {
  description = "Pipeline state machine the dashboard may start and describe (STATE_MACHINE_ARN)."
  type        = string
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the dashboard's logs."
  type        = number
  default     = 30
}

variable "run_trigger_token_parameter" {
  description = "Name of the SSM SecureString parameter (created by the operator, not by Terraform) holding RUN_TRIGGER_TOKEN."
  type        = string

  validation {
    condition     = startswith(var.run_trigger_token_parameter, "/")
    error_message = "The parameter name must start with \"/\" (e.g. /overfitting-lab-production/run-trigger-token)."
  }
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary every role of the module carries (module iam); the apply role may create roles only with it."
  type        = string
}
