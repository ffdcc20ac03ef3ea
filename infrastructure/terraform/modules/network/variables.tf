variable "region" {
  description = "AWS region of the resources (the root's aws_region; passed in because the aws_region data source's attribute differs between provider 5 and 6)."
  type        = string
}

variable "name" {
  description = "Prefix of every resource name (project and environment)."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC; each subnet is a /24 inside it."
  type        = string
  default     = "10.0.0.0/16"
}

variable "availability_zone_count" {
  description = "Number of availability zones to spread the subnets over (the ALB needs at least two)."
  type        = number
  default     = 2
}

variable "enable_nat_gateway" {
  description = "Create one NAT gateway so tasks can run in the private subnets without public IPs (about $33/month more)."
  type        = bool
  default     = false
}
