output "state_bucket_name" {
  description = "Pass to terraform init -backend-config=\"bucket=…\" and as var state_bucket_name."
  value       = aws_s3_bucket.state.id
}
