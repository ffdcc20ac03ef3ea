output "arn" {
  description = "ARN of the role."
  value       = aws_iam_role.this.arn
}

output "permissions_boundary" {
  description = "The boundary the role carries."
  value       = aws_iam_role.this.permissions_boundary
}
