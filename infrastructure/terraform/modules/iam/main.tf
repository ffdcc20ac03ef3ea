# GitHub Actions authenticate with OpenID Connect: no long-lived AWS keys exist anywhere. Four roles, each
# trusted for one kind of job and allowed only what that job does:
#   terraform-plan  — pull requests of this repository: read-only, for terraform plan;
#   terraform-apply — jobs in the GitHub environment var.github_environments.infrastructure: terraform apply;
#   app-deploy      — jobs in var.github_environments.dashboard: push the image, roll the ECS service;
#   run             — jobs in var.github_environments.pipeline: start and follow pipeline executions.
# Every role Terraform creates carries the permissions boundary below, and terraform-apply may create or change
# a role only with that boundary attached. Neither it nor any role under the boundary can change the GitHub
# roles, the OIDC provider or the boundary itself: those change only when an administrator applies this module.
data "aws_caller_identity" "current" {}

locals {
  account       = data.aws_caller_identity.current.account_id
  region        = var.region
  boundary_name = "${var.name}-boundary"
  boundary_arn  = "arn:aws:iam::${local.account}:policy/${local.boundary_name}"
  # ARNs of what the delivery roles act on, built from the names the other modules give them.
  github_roles      = "arn:aws:iam::${local.account}:role/${var.name}-github-*"
  state_machine_arn = "arn:aws:states:${local.region}:${local.account}:stateMachine:${var.name}-pipeline"
  executions_arn    = "arn:aws:states:${local.region}:${local.account}:execution:${var.name}-pipeline:*"
  repository_arn    = "arn:aws:ecr:${local.region}:${local.account}:repository/${var.name}-dashboard"
  service_arn       = "arn:aws:ecs:${local.region}:${local.account}:service/${var.name}/${var.name}-dashboard"
  dashboard_roles   = "arn:aws:iam::${local.account}:role/${var.name}-dashboard-*"
  # The token subjects GitHub issues: a pull request's, and a job's in a named environment.
  subjects = {
    plan       = "repo:${var.github_repository}:pull_request"
    apply      = "repo:${var.github_repository}:environment:${var.github_environments.infrastructure}"
    app_deploy = "repo:${var.github_repository}:environment:${var.github_environments.dashboard}"
    run        = "repo:${var.github_repository}:environment:${var.github_environments.pipeline}"
  }
}

resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_policy_document" "trust" {
  for_each = local.subjects

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
      values   = [each.value]
    }
  }
}

# The ceiling of every role this project creates (the delivery roles included): the services the project uses,
# and never a change to the delivery roles, the OIDC provider, the boundary, or a role's boundary.
data "aws_iam_policy_document" "boundary" {
  statement {
    sid = "ProjectServices"
    actions = [
      "s3:*", "lambda:*", "states:*", "logs:*", "ecr:*", "ecs:*", "ssm:*", "kms:*", "sns:*", "cloudwatch:*",
      "events:*", "ec2:*", "elasticloadbalancing:*", "iam:*", "sts:GetCallerIdentity",
    ]
    resources = ["*"]
  }

  statement {
    sid    = "ProtectDeliveryIdentity"
    effect = "Deny"
    actions = [
      "iam:Create*", "iam:Delete*", "iam:Put*", "iam:Update*", "iam:Attach*", "iam:Detach*", "iam:Tag*", "iam:Untag*",
      "iam:AddClientIDToOpenIDConnectProvider", "iam:RemoveClientIDFromOpenIDConnectProvider", "iam:SetDefaultPolicyVersion",
    ]
    resources = [local.github_roles, local.boundary_arn, aws_iam_openid_connect_provider.github.arn]
  }

  statement {
    sid       = "KeepBoundaries"
    effect    = "Deny"
    actions   = ["iam:DeleteRolePermissionsBoundary"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "boundary" {
  name        = local.boundary_name
  description = "Permissions boundary of every ${var.name} role"
  policy      = data.aws_iam_policy_document.boundary.json
}

locals {
  state_objects = ["arn:aws:s3:::${var.state_bucket_name}", "arn:aws:s3:::${var.state_bucket_name}/*"]
  project_roles = "arn:aws:iam::${local.account}:role/${var.name}-*"
  # The inline policy of each GitHub role, statement by statement (sid => actions, resources and any conditions).
  # Actions that AWS authorises only on resource "*" are in infrastructure/iam-wildcard-allowlist.json.
  role_statements = {
    # terraform plan on pull requests: read every resource type (ReadOnlyAccess, below), read (not lock) the state.
    plan = {
      ReadTerraformState = { actions = ["s3:GetObject", "s3:ListBucket"], resources = local.state_objects }
    }
    # terraform apply: everything the configuration manages, scoped to this account, region and the name prefix.
    apply = {
      TerraformState      = { actions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"], resources = local.state_objects }
      ProjectBuckets      = { actions = ["s3:*"], resources = ["arn:aws:s3:::${var.name}-*"] }
      ProjectFunctions    = { actions = ["lambda:*"], resources = ["arn:aws:lambda:${local.region}:${local.account}:function:${var.name}-*"] }
      ProjectStateMachine = { actions = ["states:*"], resources = [local.state_machine_arn, local.executions_arn] }
      ProjectLogs         = { actions = ["logs:*"], resources = ["arn:aws:logs:${local.region}:${local.account}:log-group:*"] }
      # Roles of the project, only with the boundary attached; the GitHub roles are excluded by the boundary's deny.
      ProjectRolesWithBoundary = {
        actions    = ["iam:CreateRole", "iam:PutRolePermissionsBoundary"]
        resources  = [local.project_roles]
        conditions = [{ test = "StringEquals", variable = "iam:PermissionsBoundary", values = [local.boundary_arn] }]
      }
      ProjectRoles = {
        actions = [
          "iam:GetRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:DeleteRole", "iam:TagRole", "iam:UntagRole",
          "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy", "iam:ListRolePolicies",
          "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:PassRole",
        ]
        resources = [local.project_roles]
      }
      ReadDeliveryIdentity = {
        actions   = ["iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions", "iam:GetOpenIDConnectProvider"]
        resources = [local.boundary_arn, aws_iam_openid_connect_provider.github.arn]
      }
      ServiceLinkedRoles = { actions = ["iam:CreateServiceLinkedRole"], resources = ["arn:aws:iam::${local.account}:role/aws-service-role/*"] }
      Network            = { actions = ["ec2:*"], resources = ["arn:aws:ec2:${local.region}:${local.account}:*"] }
      LoadBalancer       = { actions = ["elasticloadbalancing:*"], resources = ["arn:aws:elasticloadbalancing:${local.region}:${local.account}:*/${var.name}*"] }
      Containers         = { actions = ["ecs:*"], resources = ["arn:aws:ecs:${local.region}:${local.account}:*/${var.name}*"] }
      ImageRepository    = { actions = ["ecr:*"], resources = ["arn:aws:ecr:${local.region}:${local.account}:repository/${var.name}*"] }
      Monitoring = {
        actions = ["cloudwatch:*"]
        resources = [
          "arn:aws:cloudwatch:${local.region}:${local.account}:alarm:${var.name}-*",
          "arn:aws:cloudwatch::${local.account}:dashboard/${var.name}*",
        ]
      }
      AlarmTopic          = { actions = ["sns:*"], resources = ["arn:aws:sns:${local.region}:${local.account}:${var.name}-*"] }
      AlarmKey            = { actions = ["kms:*"], resources = ["arn:aws:kms:${local.region}:${local.account}:key/*"] }
      ExecutionEvents     = { actions = ["events:*"], resources = ["arn:aws:events:${local.region}:${local.account}:rule/${var.name}-*"] }
      RunTriggerTokenName = { actions = ["ssm:GetParameter", "ssm:GetParameters", "ssm:ListTagsForResource"], resources = ["arn:aws:ssm:${local.region}:${local.account}:parameter/${var.name}/*"] }
      AccountWideReads = {
        actions = [
          "ec2:Describe*", "elasticloadbalancing:Describe*", "ecs:RegisterTaskDefinition", "ecs:DeregisterTaskDefinition",
          "ecs:DescribeTaskDefinition", "ssm:DescribeParameters", "cloudwatch:DescribeAlarms", "kms:CreateKey",
          "iam:ListPolicies", "iam:ListOpenIDConnectProviders",
        ]
        resources = ["*"]
      }
    }
    # deploy-app.yml: push the image, register a task definition revision, roll the service.
    app_deploy = {
      EcrLogin = { actions = ["ecr:GetAuthorizationToken"], resources = ["*"] }
      PushDashboardImage = {
        actions = [
          "ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload",
          "ecr:PutImage", "ecr:BatchGetImage", "ecr:DescribeImages",
        ]
        resources = [local.repository_arn]
      }
      TaskDefinitions = { actions = ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"], resources = ["*"] }
      RollService     = { actions = ["ecs:UpdateService", "ecs:DescribeServices"], resources = [local.service_arn] }
      PassDashboardRoles = {
        actions    = ["iam:PassRole"]
        resources  = [local.dashboard_roles]
        conditions = [{ test = "StringEquals", variable = "iam:PassedToService", values = ["ecs-tasks.amazonaws.com"] }]
      }
    }
    # run-pipeline.yml: start an execution and follow it.
    run = {
      StartPipeline  = { actions = ["states:StartExecution"], resources = [local.state_machine_arn] }
      FollowPipeline = { actions = ["states:DescribeExecution", "states:GetExecutionHistory"], resources = [local.executions_arn] }
    }
  }
}

data "aws_iam_policy_document" "github" {
  for_each = local.role_statements

  dynamic "statement" {
    for_each = each.value
    content {
      sid       = statement.key
      actions   = statement.value.actions
      resources = statement.value.resources

      dynamic "condition" {
        for_each = try(statement.value.conditions, [])
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

locals {
  roles = {
    plan       = { name = "terraform-plan", description = "terraform plan on pull requests, read-only" }
    apply      = { name = "terraform-apply", description = "terraform apply in environment ${var.github_environments.infrastructure}" }
    app_deploy = { name = "app-deploy", description = "dashboard image and service in environment ${var.github_environments.dashboard}" }
    run        = { name = "run", description = "pipeline runs in environment ${var.github_environments.pipeline}" }
  }
}

resource "aws_iam_role" "github" {
  for_each             = local.roles
  name                 = "${var.name}-github-${each.value.name}"
  description          = "GitHub Actions of ${var.github_repository}: ${each.value.description}"
  assume_role_policy   = data.aws_iam_policy_document.trust[each.key].json
  max_session_duration = 3600
  permissions_boundary = aws_iam_policy.boundary.arn
}

resource "aws_iam_role_policy" "github" {
  for_each = local.roles
  name     = each.value.name
  role     = aws_iam_role.github[each.key].id
  policy   = data.aws_iam_policy_document.github[each.key].json
}

resource "aws_iam_role_policy_attachment" "plan_read_only" {
  role       = aws_iam_role.github["plan"].name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
