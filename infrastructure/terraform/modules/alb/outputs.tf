output "security_group_id" {
  description = "Security group of the load balancer: the only source the tasks admit."
  value       = aws_security_group.alb.id
}

output "target_group_arn" {
  description = "Target group the ECS service registers its tasks in."
  value       = aws_lb_target_group.app.arn
}

output "dns_name" {
  description = "Public DNS name of the load balancer."
  value       = aws_lb.this.dns_name
}

output "url" {
  description = "URL of the dashboard."
  value       = "${local.https ? "https" : "http"}://${aws_lb.this.dns_name}"
}

output "arn_suffix" {
  description = "ARN suffix of the load balancer, the CloudWatch metric dimension."
  value       = aws_lb.this.arn_suffix
}

output "target_group_arn_suffix" {
  description = "ARN suffix of the target group, the CloudWatch metric dimension."
  value       = aws_lb_target_group.app.arn_suffix
}

output "listener_arn" {
  description = "Listener that forwards to the tasks (HTTPS when a certificate is given); the service waits for it."
  value       = local.https ? aws_lb_listener.https[0].arn : aws_lb_listener.http.arn
}

output "http_default_action" {
  description = "What port 80 does: redirect (to HTTPS, when a certificate is given) or forward (plain HTTP)."
  value       = aws_lb_listener.http.default_action[0].type
}
