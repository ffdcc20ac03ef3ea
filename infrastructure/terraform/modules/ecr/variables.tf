variable "name" {
  description = "Name of the repository."
  type        = string
}

variable "keep_images" {
  description = "Number of tagged images to keep; older ones expire."
  type        = number
  default     = 20
}

variable "force_delete" {
  description = "Allow terraform destroy to delete the repository with its images (tear-down)."
  type        = bool
  default     = false
}

variable "protected_tags" {
  description = "Tag prefixes the lifecycle policy never expires (the image tag of the task definition Terraform registers)."
  type        = list(string)
}
