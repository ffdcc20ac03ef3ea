variable "aws_region" {
  description = "Region of the state bucket (the backend block of the main configuration names the same)."
  type        = string
  default     = "us-east-1"
}
