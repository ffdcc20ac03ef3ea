output "role_arns" {
  description = "ARN of each GitHub role: plan, apply, app_deploy, run (GitHub variables AWS_PLAN_ROLE_ARN, AWS_APPLY_ROLE_ARN, AWS_APP_DEPLOY_ROLE_ARN, AWS_RUN_ROLE_ARN)."
  value       = { for key, role in aws_iam_role.github : key => role.arn }
}

output "permissions_boundary_arn" {
  description = "Permissions boundary every role of the project carries."
  value       = aws_iam_policy.boundary.arn
}
