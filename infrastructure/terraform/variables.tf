variable "aws_region" {
  description = "Region of every resource."
  type        = string
  default     = "us-east-1"
}

variable "environment" {
  description = "Environment name, part of every resource name."
  type        = string
  default     = "production"
}

variable "github_repository" {
  description = "GitHub repository (owner/name) whose workflows may deploy through OIDC."
  type        = string
}

variable "state_bucket_name" {
  description = "Terraform state bucket created by bootstrap/ (the deploy roles read and lock the state in it)."
  type        = string
}

variable "dashboard_image_tag" {
  description = "Dashboard image tag for the first task definition (deploy-app.yml rolls out later images)."
  type        = string
  default     = "initial"
}

variable "dashboard_desired_count" {
  description = "Dashboard tasks to run; 0 stops the dashboard and its Fargate cost."
  type        = number
  default     = 1
}

variable "dashboard_cpu" {
  description = "Fargate CPU units of the dashboard task (512 = 0.5 vCPU)."
  type        = number
  default     = 512
}

variable "dashboard_memory" {
  description = "Fargate memory (MiB) of the dashboard task."
  type        = number
  default     = 1024
}

variable "certificate_arn" {
  description = "ACM certificate ARN for HTTPS on the load balancer; empty serves HTTP only."
  type        = string
  default     = ""
}

variable "enable_nat_gateway" {
  description = "Run the dashboard in private subnets behind a NAT gateway instead of public subnets with public IPs."
  type        = bool
  default     = false
}

variable "lambda_memory_mb" {
  description = "Memory (MB) per function where the default in main.tf does not fit."
  type        = map(number)
  default     = {}
}

variable "lambda_timeout_seconds" {
  description = "Timeout (s) per function where the default in main.tf does not fit."
  type        = map(number)
  default     = {}
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps every log group."
  type        = number
  default     = 30
}

variable "alarm_email" {
  description = "E-mail address for alarm notifications; empty for none."
  type        = string
  default     = ""
}

variable "allow_destroy" {
  description = "Let terraform destroy delete the non-empty bucket and image repository (set true only to tear down)."
  type        = bool
  default     = false
}
