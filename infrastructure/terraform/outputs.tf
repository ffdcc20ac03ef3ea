output "dashboard_url" {
  description = "URL of the dashboard: your domain when dashboard_domain_name is set, else the load balancer's name."
  value       = var.dashboard_domain_name != "" && var.certificate_arn != "" ? "https://${var.dashboard_domain_name}" : module.alb.url
}

output "load_balancer_dns_name" {
  description = "Where the DNS record (CNAME or alias) of dashboard_domain_name must point."
  value       = module.alb.dns_name
}

output "s3_bucket_name" {
  description = "Artifact bucket: upload price data under data/, runs appear under runs/."
  value       = module.s3.bucket_name
}

output "state_machine_arn" {
  description = "Pipeline state machine (overfit cloud start --state-machine-arn, GitHub variable STATE_MACHINE_ARN)."
  value       = module.step_functions.state_machine_arn
}

output "ecr_repository_url" {
  description = "Where deploy-app.yml pushes the dashboard image."
  value       = module.ecr.repository_url
}

output "ecr_repository_name" {
  description = "ECR repository name (GitHub variable ECR_REPOSITORY)."
  value       = module.ecr.repository_name
}

output "ecs_cluster_name" {
  description = "ECS cluster (GitHub variable ECS_CLUSTER)."
  value       = module.ecs.cluster_name
}

output "ecs_service_name" {
  description = "ECS service (GitHub variable ECS_SERVICE)."
  value       = module.ecs.service_name
}

output "ecs_task_definition_family" {
  description = "Task definition family (GitHub variable ECS_TASK_FAMILY)."
  value       = module.ecs.task_definition_family
}

output "run_trigger_token_parameter" {
  description = "Name of the SSM SecureString holding RUN_TRIGGER_TOKEN, which the operator creates (docs/DEPLOYMENT.md)."
  value       = module.ecs.run_trigger_token_parameter
}

output "lambda_function_names" {
  description = "Function name of every pipeline stage."
  value       = module.lambda.function_names
}

output "github_role_arns" {
  description = "GitHub variables AWS_PLAN_ROLE_ARN (plan), AWS_APPLY_ROLE_ARN (apply), AWS_APP_DEPLOY_ROLE_ARN (app_deploy), AWS_RUN_ROLE_ARN (run)."
  value       = module.iam.role_arns
}

output "alarm_topic_arn" {
  description = "SNS topic of every alarm."
  value       = module.monitoring.alarm_topic_arn
}

output "cloudwatch_dashboard_name" {
  description = "CloudWatch dashboard with the pipeline and dashboard metrics."
  value       = module.monitoring.dashboard_name
}
