output "deploy_role_arn" {
  description = "Role the deploy workflows assume (GitHub variable AWS_DEPLOY_ROLE_ARN)."
  value       = aws_iam_role.deploy.arn
}

output "plan_role_arn" {
  description = "Role pull-request plans assume (GitHub variable AWS_PLAN_ROLE_ARN)."
  value       = aws_iam_role.plan.arn
}
