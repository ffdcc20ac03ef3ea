# A role an AWS service assumes to act for the project (the dashboard's tasks, the state machine, a pipeline
# function): trusted by that service only, under the project's permissions boundary, with one inline policy.
data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = [var.service]
    }

    # Where the service passes it: only on behalf of this account (the confused-deputy guard).
    dynamic "condition" {
      for_each = var.only_this_account ? [data.aws_caller_identity.current.account_id] : []
      content {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [condition.value]
      }
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = var.name
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  permissions_boundary = var.permissions_boundary_arn
}

resource "aws_iam_role_policy" "this" {
  name   = var.policy_name
  role   = aws_iam_role.this.id
  policy = var.policy
}
