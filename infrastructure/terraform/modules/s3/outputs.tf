output "bucket_name" {
  description = "Name of the artifact bucket (S3_BUCKET of the Lambdas and the dashboard)."
  value       = aws_s3_bucket.artifacts.id
}

output "bucket_arn" {
  description = "ARN of the artifact bucket, for IAM policies."
  value       = aws_s3_bucket.artifacts.arn
}
