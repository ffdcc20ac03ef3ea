output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "service_name" {
  description = "Name of the dashboard service."
  value       = aws_ecs_service.dashboard.name
}

output "task_definition_family" {
  description = "Task definition family deploy-app.yml registers new revisions in."
  value       = aws_ecs_task_definition.dashboard.family
}

output "security_group_id" {
  description = "Security group of the dashboard tasks."
  value       = aws_security_group.tasks.id
}

output "run_trigger_token_parameter" {
  description = "SSM parameter holding RUN_TRIGGER_TOKEN."
  value       = var.run_trigger_token_parameter
}

output "execution_role_arn" {
  description = "ARN of the task execution role (deploy-app.yml passes it when registering revisions)."
  value       = module.role["execution"].arn
}

output "task_role_arn" {
  description = "ARN of the task role."
  value       = module.role["task"].arn
}

output "desired_count" {
  description = "Dashboard tasks the service runs (0: paused)."
  value       = aws_ecs_service.dashboard.desired_count
}
