# The pipeline's state machine. Its definition is the ASL file of @overfit/pipeline, the same one the local
# orchestrator and the tests run; Terraform only fills in the function ARNs. (The
# backtest Map's concurrency comes from the execution input, not from here.)
data "aws_caller_identity" "current" {}

resource "aws_cloudwatch_log_group" "executions" {
  # The /aws/vendedlogs/ prefix keeps CloudWatch's log resource policy small.
  name              = "/aws/vendedlogs/states/${var.name}-pipeline"
  retention_in_days = var.log_retention_days
}

data "aws_iam_policy_document" "assume_states" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["states.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "state_machine" {
  name               = "${var.name}-pipeline"
  assume_role_policy = data.aws_iam_policy_document.assume_states.json
}

data "aws_iam_policy_document" "state_machine" {
  statement {
    sid       = "InvokePipelineFunctions"
    actions   = ["lambda:InvokeFunction"]
    resources = concat(values(var.function_arns), [for arn in values(var.function_arns) : "${arn}:*"])
  }

  # CloudWatch Logs delivery for Step Functions accepts only resource "*" (AWS documents no narrower form);
  # listed in infrastructure/iam-wildcard-allowlist.json.
  statement {
    sid = "DeliverExecutionLogs"
    actions = [
      "logs:CreateLogDelivery",
      "logs:GetLogDelivery",
      "logs:UpdateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:DescribeResourcePolicies",
      "logs:DescribeLogGroups",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "state_machine" {
  name   = "invoke-and-log"
  role   = aws_iam_role.state_machine.id
  policy = data.aws_iam_policy_document.state_machine.json
}

resource "aws_sfn_state_machine" "pipeline" {
  name     = "${var.name}-pipeline"
  type     = "STANDARD"
  role_arn = aws_iam_role.state_machine.arn
  definition = templatefile(
    "${path.module}/../../../../packages/pipeline/src/state-machine.asl.json",
    { for name, arn in var.function_arns : "${name}_function_arn" => arn },
  )

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.executions.arn}:*"
    include_execution_data = false
    level                  = var.log_level
  }

  depends_on = [aws_iam_role_policy.state_machine]
}
