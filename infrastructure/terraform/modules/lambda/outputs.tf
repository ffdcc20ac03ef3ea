output "function_arns" {
  description = "ARN of every function by stage name."
  value       = { for name, function in aws_lambda_function.stage : name => function.arn }
}

output "function_names" {
  description = "Name of every function by stage name (the CloudWatch metric dimension)."
  value       = { for name, function in aws_lambda_function.stage : name => function.function_name }
}

output "function_timeouts" {
  description = "Timeout (s) of every function by stage name; the state machine's task timeouts must exceed them."
  value       = { for name, function in aws_lambda_function.stage : name => function.timeout }
}
