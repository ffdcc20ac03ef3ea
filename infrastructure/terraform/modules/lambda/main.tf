# One Lambda per pipeline stage, each with its own log group and its own role that may touch only the bucket
# keys its stage reads and writes.
resource "aws_cloudwatch_log_group" "function" {
  for_each          = var.functions
  name              = "/aws/lambda/${var.name}-${each.key}"
  retention_in_days = var.log_retention_days
}

data "aws_iam_policy_document" "function" {
  for_each = var.functions

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function[each.key].arn}:*"]
  }

  statement {
    sid       = "ReadStageInputs"
    actions   = ["s3:GetObject"]
    resources = [for pattern in each.value.read_prefixes : "${var.bucket_arn}/${pattern}"]
  }

  # Without ListBucket a missing key answers 403 instead of 404; the condition keeps listing to the same keys.
  statement {
    sid       = "ListStageInputs"
    actions   = ["s3:ListBucket"]
    resources = [var.bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = each.value.read_prefixes
    }
  }

  statement {
    sid       = "WriteStageOutputs"
    actions   = ["s3:PutObject", "s3:AbortMultipartUpload"]
    resources = [for pattern in each.value.write_prefixes : "${var.bucket_arn}/${pattern}"]
  }

  # Only where the map names keys to delete (finalize: the backtest shards' intermediates after the merge).
  dynamic "statement" {
    for_each = length(each.value.delete_prefixes) > 0 ? [each.value.delete_prefixes] : []
    content {
      sid       = "DeleteIntermediates"
      actions   = ["s3:DeleteObject"]
      resources = [for pattern in statement.value : "${var.bucket_arn}/${pattern}"]
    }
  }
}

module "role" {
  source                   = "../service_role"
  for_each                 = var.functions
  name                     = "${var.name}-${each.key}"
  service                  = "lambda.amazonaws.com"
  policy_name              = "stage-access"
  policy                   = data.aws_iam_policy_document.function[each.key].json
  permissions_boundary_arn = var.permissions_boundary_arn
}

resource "aws_lambda_function" "stage" {
  for_each         = var.functions
  function_name    = "${var.name}-${each.key}"
  role             = module.role[each.key].arn
  filename         = "${var.artifacts_dir}/${each.key}.zip"
  source_code_hash = filebase64sha256("${var.artifacts_dir}/${each.key}.zip")
  handler          = "index.handler"
  runtime          = var.runtime
  architectures    = ["x86_64"]
  memory_size      = each.value.memory_size
  timeout          = each.value.timeout

  environment {
    variables = {
      USE_S3                       = "true"
      S3_BUCKET                    = var.bucket_name
      POWERTOOLS_SERVICE_NAME      = "overfitting-lab"
      POWERTOOLS_METRICS_NAMESPACE = "OverfittingLab"
      POWERTOOLS_LOG_LEVEL         = var.log_level
      NODE_OPTIONS                 = "--enable-source-maps" # the zips carry index.js.map: TypeScript positions in stack traces
    }
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.function[each.key].name
  }

  depends_on = [module.role]
}
