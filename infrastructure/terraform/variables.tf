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
  description = "ACM certificate (same region) for your domain: the load balancer serves HTTPS with it and redirects HTTP. Required unless allow_plain_http is true."
  type        = string
  default     = ""

  validation {
    condition     = var.certificate_arn != "" || var.allow_plain_http
    error_message = "HTTPS needs certificate_arn (an ACM certificate for your domain). To serve plain HTTP instead, set allow_plain_http = true: the run-trigger token then crosses the internet in clear text."
  }

  validation {
    condition     = var.certificate_arn == "" || can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)."
  }
}

variable "dashboard_domain_name" {
  description = "The domain of the certificate (e.g. dashboard.example.com), pointed at the load balancer by a DNS record you create; empty uses the load balancer's own name."
  type        = string
  default     = ""
}

variable "allow_plain_http" {
  description = "Serve the dashboard over plain HTTP when no certificate is given. Everything, the run-trigger token included, then travels unencrypted; for a throw-away demo only."
  type        = bool
  default     = false
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

variable "lambda_log_level" {
  description = "POWERTOOLS_LOG_LEVEL of every pipeline function: DEBUG, INFO, WARN or ERROR."
  type        = string
  default     = "INFO" # checked by modules/lambda's log_level
}
