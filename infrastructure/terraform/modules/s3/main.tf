# The artifact store: input data under data/, one folder per run under runs/<runId>/, the latest.json pointer.
data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "artifacts" {
  # The account id keeps the globally unique bucket name stable and collision-free.
  bucket        = "${var.name}-artifacts-${data.aws_caller_identity.current.account_id}"
  force_destroy = var.force_destroy
}

resource "aws_s3_bucket_ownership_controls" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

module "hardening" {
  source     = "../bucket_hardening"
  bucket     = aws_s3_bucket.artifacts.id
  bucket_arn = aws_s3_bucket.artifacts.arn
}

resource "aws_s3_bucket_lifecycle_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  rule {
    id     = "old-runs-to-glacier"
    status = "Enabled"

    filter {
      prefix = "runs/"
    }

    # Glacier Instant Retrieval: a fraction of Standard's price and still millisecond reads, so old runs stay
    # viewable in the dashboard (Flexible Retrieval would need a restore first).
    transition {
      days          = var.runs_to_glacier_after_days
      storage_class = "GLACIER_IR"
    }
  }

  rule {
    id     = "expire-old-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [module.hardening] # the rule on noncurrent versions needs versioning on
}
