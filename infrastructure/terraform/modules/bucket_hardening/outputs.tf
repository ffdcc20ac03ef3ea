output "versioning_status" {
  description = "Versioning of the bucket: Enabled once applied (a lifecycle rule on old versions needs it first)."
  value       = aws_s3_bucket_versioning.this.versioning_configuration[0].status
}

output "public_access_blocked" {
  description = "Whether all four public access settings are on."
  value = alltrue([
    aws_s3_bucket_public_access_block.this.block_public_acls,
    aws_s3_bucket_public_access_block.this.block_public_policy,
    aws_s3_bucket_public_access_block.this.ignore_public_acls,
    aws_s3_bucket_public_access_block.this.restrict_public_buckets,
  ])
}
