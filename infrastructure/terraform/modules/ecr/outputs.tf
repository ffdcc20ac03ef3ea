output "repository_url" {
  description = "URL to tag and push the dashboard image to."
  value       = aws_ecr_repository.dashboard.repository_url
}

output "repository_arn" {
  description = "ARN of the repository, for the deploy role's push permission."
  value       = aws_ecr_repository.dashboard.arn
}

output "repository_name" {
  description = "Name of the repository."
  value       = aws_ecr_repository.dashboard.name
}
