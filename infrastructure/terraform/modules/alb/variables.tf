variable "name" {
  description = "Prefix of every resource name (project and environment)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the load balancer and its target group."
  type        = string
}

variable "subnet_ids" {
  description = "Public subnets of the load balancer, at least two availability zones."
  type        = list(string)
}

variable "app_port" {
  description = "Port the dashboard container listens on."
  type        = number
}

variable "certificate_arn" {
  description = "ACM certificate for HTTPS. Empty: serve plain HTTP on port 80; set: port 80 redirects to HTTPS on 443."
  type        = string
  default     = ""
}

variable "allowed_cidrs" {
  description = "IPv4 ranges allowed to reach the load balancer."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "deletion_protection" {
  description = "Protect the load balancer against deletion (turn off before tear-down)."
  type        = bool
  default     = false
}
