# The Terraform state bucket: versioned (every state is recoverable), encrypted, private, TLS-only, as every bucket
# of the project (modules/bucket_hardening).
# Locking uses S3 lock files (backend use_lockfile), so no DynamoDB table is needed.
data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "state" {
  bucket = "overfitting-lab-tfstate-${data.aws_caller_identity.current.account_id}"

  lifecycle {
    prevent_destroy = true
  }
}

module "hardening" {
  source     = "../modules/bucket_hardening"
  bucket     = aws_s3_bucket.state.id
  bucket_arn = aws_s3_bucket.state.arn
}
