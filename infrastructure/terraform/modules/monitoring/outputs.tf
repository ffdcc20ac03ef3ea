output "alarm_topic_arn" {
  description = "SNS topic every alarm notifies."
  value       = aws_sns_topic.alarms.arn
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.overview.dashboard_name
}

output "running_tasks_alarm_count" {
  description = "1 when the running-task alarm exists (the dashboard is meant to run), else 0."
  value       = length([for name in keys(aws_cloudwatch_metric_alarm.this) : name if name == "dashboard-tasks"])
}
