# GitHub Actions authenticate with OpenID Connect: no long-lived AWS keys exist anywhere. Two roles:
#   deploy — main branch and the production environment only: terraform apply, Lambda and image deploys, runs;
#   plan   — pull requests of this repository: read-only, for terraform plan.
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  region  = data.aws_region.current.region
}

resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_policy_document" "trust_deploy" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values = [
        "repo:${var.github_repository}:ref:refs/heads/main",
        "repo:${var.github_repository}:environment:${var.github_environment}",
      ]
    }
  }
}

data "aws_iam_policy_document" "trust_plan" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:${var.github_repository}:pull_request"]
    }
  }
}

# What terraform apply and the deploy workflows need, scoped to this account, region and the name prefix.
# Actions that AWS authorises only on resource "*" are in infrastructure/iam-wildcard-allowlist.json.
data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "TerraformState"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::${var.state_bucket_name}", "arn:aws:s3:::${var.state_bucket_name}/*"]
  }

  statement {
    sid       = "ProjectBuckets"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::${var.name}-*"]
  }

  statement {
    sid       = "ProjectFunctions"
    actions   = ["lambda:*"]
    resources = ["arn:aws:lambda:${local.region}:${local.account}:function:${var.name}-*"]
  }

  statement {
    sid     = "ProjectStateMachine"
    actions = ["states:*"]
    resources = [
      "arn:aws:states:${local.region}:${local.account}:stateMachine:${var.name}-*",
      "arn:aws:states:${local.region}:${local.account}:execution:${var.name}-*:*",
    ]
  }

  statement {
    sid       = "ProjectLogs"
    actions   = ["logs:*"]
    resources = ["arn:aws:logs:${local.region}:${local.account}:log-group:*"]
  }

  statement {
    sid     = "ProjectRoles"
    actions = ["iam:*"]
    resources = [
      "arn:aws:iam::${local.account}:role/${var.name}-*",
      aws_iam_openid_connect_provider.github.arn,
    ]
  }

  statement {
    sid       = "ServiceLinkedRoles"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["arn:aws:iam::${local.account}:role/aws-service-role/*"]
  }

  statement {
    sid       = "Network"
    actions   = ["ec2:*"]
    resources = ["arn:aws:ec2:${local.region}:${local.account}:*"]
  }

  statement {
    sid       = "LoadBalancer"
    actions   = ["elasticloadbalancing:*"]
    resources = ["arn:aws:elasticloadbalancing:${local.region}:${local.account}:*/${var.name}*"]
  }

  statement {
    sid       = "Containers"
    actions   = ["ecs:*"]
    resources = ["arn:aws:ecs:${local.region}:${local.account}:*/${var.name}*"]
  }

  statement {
    sid       = "ImageRepository"
    actions   = ["ecr:*"]
    resources = ["arn:aws:ecr:${local.region}:${local.account}:repository/${var.name}*"]
  }

  statement {
    sid     = "Monitoring"
    actions = ["cloudwatch:*"]
    resources = [
      "arn:aws:cloudwatch:${local.region}:${local.account}:alarm:${var.name}-*",
      "arn:aws:cloudwatch::${local.account}:dashboard/${var.name}*",
    ]
  }

  statement {
    sid       = "AlarmTopic"
    actions   = ["sns:*"]
    resources = ["arn:aws:sns:${local.region}:${local.account}:${var.name}-*"]
  }

  statement {
    sid       = "RunTriggerToken"
    actions   = ["ssm:*"]
    resources = ["arn:aws:ssm:${local.region}:${local.account}:parameter/${var.name}/*"]
  }

  statement {
    sid = "AccountWideReads"
    actions = [
      "ec2:Describe*",
      "elasticloadbalancing:Describe*",
      "ecs:RegisterTaskDefinition",
      "ecs:DeregisterTaskDefinition",
      "ecs:DescribeTaskDefinition",
      "ecr:GetAuthorizationToken",
      "ssm:DescribeParameters",
      "cloudwatch:DescribeAlarms",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role" "deploy" {
  name                 = "${var.name}-github-deploy"
  description          = "GitHub Actions of ${var.github_repository} on main or in environment ${var.github_environment}"
  assume_role_policy   = data.aws_iam_policy_document.trust_deploy.json
  max_session_duration = 3600
}

resource "aws_iam_role_policy" "deploy" {
  name   = "deploy-overfitting-lab"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}

data "aws_iam_policy_document" "plan_state" {
  statement {
    sid       = "ReadTerraformState"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::${var.state_bucket_name}", "arn:aws:s3:::${var.state_bucket_name}/*"]
  }
}

resource "aws_iam_role" "plan" {
  name                 = "${var.name}-github-plan"
  description          = "GitHub Actions of ${var.github_repository} on pull requests: terraform plan, read-only"
  assume_role_policy   = data.aws_iam_policy_document.trust_plan.json
  max_session_duration = 3600
}

resource "aws_iam_role_policy_attachment" "plan_read_only" {
  role       = aws_iam_role.plan.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_role_policy" "plan_state" {
  name   = "read-terraform-state"
  role   = aws_iam_role.plan.id
  policy = data.aws_iam_policy_document.plan_state.json
}
