# Each module applied on its own against the mocked provider, so the assertions can read its resources and the
# arguments of its policy documents (a mocked data source keeps its arguments; only its JSON is mocked).
mock_provider "aws" {
  source = "./tests/mocks"
}

# Every run gets these; a module ignores those it does not declare.
variables {
  name                     = "overfitting-lab-production"
  region                   = "eu-west-1"
  permissions_boundary_arn = "arn:aws:iam::123456789012:policy/overfitting-lab-production-boundary"
  # modules/lambda
  artifacts_dir = "../../dist/lambda"
  # modules/step_functions
  function_arns          = { for f in ["generate", "backtest", "select", "validate", "visualize", "finalize"] : f => "arn:aws:lambda:eu-west-1:123456789012:function:overfitting-lab-production-${f}" }
  finalize_function_arn  = "arn:aws:lambda:eu-west-1:123456789012:function:overfitting-lab-production-finalize"
  finalize_function_name = "overfitting-lab-production-finalize"
  # The Lambda timeouts of main.tf, which the ASL's task timeouts exceed by the margin.
  function_timeout_seconds = { generate = 120, backtest = 900, select = 300, validate = 900, visualize = 300, finalize = 120 }
}

run "delivery_roles_are_least_privilege" {
  command = apply

  module {
    source = "./modules/iam"
  }

  variables {
    github_repository = "example-org/overfitting-lab"
    state_bucket_name = "overfitting-lab-tfstate-123456789012"
  }

  assert {
    condition     = jsonencode(sort(keys(aws_iam_role.github))) == jsonencode(["app_deploy", "apply", "plan", "run"])
    error_message = "Four GitHub roles: plan, apply, app_deploy, run."
  }
  assert {
    condition     = alltrue([for role in values(aws_iam_role.github) : role.permissions_boundary == aws_iam_policy.boundary.arn])
    error_message = "Every GitHub role carries the permissions boundary."
  }
  assert {
    condition = {
      for key, document in data.aws_iam_policy_document.trust : key => flatten([
        for c in document.statement[0].condition : c.values if c.variable == "token.actions.githubusercontent.com:sub"
      ])
      } == {
      plan       = ["repo:example-org/overfitting-lab:pull_request"]
      apply      = ["repo:example-org/overfitting-lab:environment:infrastructure"]
      app_deploy = ["repo:example-org/overfitting-lab:environment:dashboard"]
      run        = ["repo:example-org/overfitting-lab:environment:pipeline"]
    }
    error_message = "Each role trusts exactly one subject: pull requests, or one GitHub environment (never a branch)."
  }
  assert {
    condition = alltrue([
      for statement in flatten([for role in ["plan", "apply", "app_deploy", "run"] : data.aws_iam_policy_document.github[role].statement]) :
      !contains(statement.actions, "*") && !contains(statement.actions, "iam:*")
    ])
    error_message = "No delivery role may hold action \"*\" or iam:*."
  }
  assert {
    condition = alltrue([
      for statement in data.aws_iam_policy_document.github["apply"].statement : statement.condition != null && length([
        for c in statement.condition : c if c.variable == "iam:PermissionsBoundary" && jsonencode(c.values) == jsonencode(["arn:aws:iam::123456789012:policy/overfitting-lab-production-boundary"])
      ]) == 1 if contains(statement.actions, "iam:CreateRole")
    ])
    error_message = "terraform-apply may create a role only with the permissions boundary attached."
  }
  assert {
    condition = anytrue([
      for statement in data.aws_iam_policy_document.boundary.statement : statement.effect == "Deny" && contains(statement.resources, "arn:aws:iam::123456789012:role/overfitting-lab-production-github-*") && contains(statement.actions, "iam:Put*")
    ])
    error_message = "The boundary must deny changes to the GitHub roles (no role can widen its own rights)."
  }
  assert {
    condition     = jsonencode(sort(flatten([for s in data.aws_iam_policy_document.github["run"].statement : tolist(s.actions)]))) == jsonencode(["states:DescribeExecution", "states:GetExecutionHistory", "states:StartExecution"])
    error_message = "The run role starts and follows executions, nothing else."
  }
}

run "lambda_roles_and_environment" {
  command = apply

  module {
    source = "./modules/lambda"
  }

  variables {
    bucket_name = "overfitting-lab-production-artifacts-123456789012"
    bucket_arn  = "arn:aws:s3:::overfitting-lab-production-artifacts-123456789012"
    functions = {
      backtest = { memory_size = 3008, timeout = 900, read_prefixes = ["data/*", "runs/*"], write_prefixes = ["runs/*"], delete_prefixes = [] }
      finalize = { memory_size = 512, timeout = 120, read_prefixes = ["data/*", "runs/*"], write_prefixes = ["runs/*", "latest.json"], delete_prefixes = ["runs/*/shards/*"] }
    }
  }

  assert {
    condition = jsonencode([for s in data.aws_iam_policy_document.function["finalize"].statement : s.resources if s.sid == "DeleteIntermediates"]) == jsonencode([
      ["arn:aws:s3:::overfitting-lab-production-artifacts-123456789012/runs/*/shards/*"]
    ])
    error_message = "finalize may delete the shards' intermediates and nothing else."
  }
  assert {
    condition     = length([for s in data.aws_iam_policy_document.function["backtest"].statement : s if s.sid == "DeleteIntermediates"]) == 0
    error_message = "No other function may delete anything."
  }
  assert {
    condition     = alltrue([for f in values(aws_lambda_function.stage) : f.environment[0].variables.POWERTOOLS_LOG_LEVEL == "INFO" && !contains(keys(f.environment[0].variables), "LOG_LEVEL")])
    error_message = "The log level is POWERTOOLS_LOG_LEVEL (Powertools treats LOG_LEVEL as legacy)."
  }
  assert {
    condition     = alltrue([for r in values(module.role) : r.permissions_boundary == var.permissions_boundary_arn])
    error_message = "Every function role carries the permissions boundary."
  }
}

run "nodejs20_and_an_unknown_log_level_are_refused" {
  command = plan

  module {
    source = "./modules/lambda"
  }

  variables {
    runtime     = "nodejs20.x"
    log_level   = "LOUD"
    bucket_name = "b"
    bucket_arn  = "arn:aws:s3:::b"
    functions   = {}
  }

  expect_failures = [var.runtime, var.log_level]
}

run "task_timeout_must_exceed_the_lambda_timeout" {
  command = plan

  module {
    source = "./modules/step_functions"
  }

  variables {
    function_timeout_seconds = merge(var.function_timeout_seconds, { validate = 950 })
  }

  expect_failures = [aws_sfn_state_machine.pipeline]
}

run "executions_that_end_badly_reach_finalize" {
  command = apply

  module {
    source = "./modules/step_functions"
  }

  assert {
    condition     = jsonencode(jsondecode(aws_cloudwatch_event_rule.execution_ended_badly.event_pattern).detail.status) == jsonencode(["FAILED", "TIMED_OUT", "ABORTED"])
    error_message = "Failed, timed-out and aborted executions all reach finalize."
  }
  assert {
    condition     = aws_cloudwatch_event_target.finalize.arn == var.finalize_function_arn && aws_lambda_permission.events_invoke_finalize.source_arn == aws_cloudwatch_event_rule.execution_ended_badly.arn
    error_message = "The rule targets finalize, which only that rule may invoke through EventBridge."
  }
  assert {
    condition     = jsondecode(aws_sfn_state_machine.pipeline.definition).States.Backtest.ItemProcessor.States.BacktestShard.TimeoutSeconds == 960
    error_message = "The deployed definition is the ASL with the function ARNs filled in."
  }
}

run "alarms_can_be_delivered" {
  command = apply

  module {
    source = "./modules/monitoring"
  }

  variables {
    function_names          = { generate = "overfitting-lab-production-generate", backtest = "overfitting-lab-production-backtest" }
    state_machine_arn       = "arn:aws:states:eu-west-1:123456789012:stateMachine:overfitting-lab-production-pipeline"
    alb_arn_suffix          = "app/overfitting-lab/0123456789abcdef"
    target_group_arn_suffix = "targetgroup/overfitting-lab-app/0123456789abcdef"
    cluster_name            = "overfitting-lab-production"
    service_name            = "overfitting-lab-production-dashboard"
    desired_task_count      = 1
  }

  assert {
    condition     = aws_sns_topic.alarms.kms_master_key_id == aws_kms_key.alarms.arn
    error_message = "The alarm topic uses the customer-managed key (alias/aws/sns cannot grant CloudWatch)."
  }
  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.alarm_key.statement : contains(flatten(s.principals[*].identifiers), "cloudwatch.amazonaws.com") && contains(s.actions, "kms:GenerateDataKey*") && contains(s.actions, "kms:Decrypt")
    ])
    error_message = "The key policy lets CloudWatch encrypt the notifications it publishes."
  }
  assert {
    condition = jsonencode(sort([for alarm in values(aws_cloudwatch_metric_alarm.this) : alarm.alarm_name])) == jsonencode([
      for alarm in [
        "backtest-errors", "backtest-throttles", "dashboard-5xx", "dashboard-tasks", "generate-errors",
        "generate-throttles", "load-balancer-5xx", "pipeline-aborted", "pipeline-failed", "pipeline-timed-out",
      ] : "overfitting-lab-production-${alarm}"
    ])
    error_message = "Errors and throttles of every function, failed, timed-out and aborted executions, 5xx answers and missing tasks raise alarms."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["dashboard-tasks"].comparison_operator == "LessThanThreshold" && aws_cloudwatch_metric_alarm.this["dashboard-tasks"].threshold == 1 && length(aws_cloudwatch_metric_alarm.this["dashboard-tasks"].ok_actions) == 1 && aws_cloudwatch_metric_alarm.this["pipeline-timed-out"].metric_name == "ExecutionsTimedOut"
    error_message = "Each alarm keeps its own settings over the shared defaults."
  }
  assert {
    condition     = jsonencode([for w in jsondecode(aws_cloudwatch_dashboard.overview.dashboard_body).widgets : [w.x, w.y, w.width, w.height, w.properties.region, w.properties.period]]) == jsonencode([[0, 0, 12, 6, "eu-west-1", 300], [12, 0, 12, 6, "eu-west-1", 300], [0, 6, 12, 6, "eu-west-1", 300], [12, 6, 12, 6, "eu-west-1", 60]])
    error_message = "The dashboard's four widgets lie two by two, each in the region with its own period."
  }
}

run "the_first_image_never_expires" {
  command = apply

  module {
    source = "./modules/ecr"
  }

  variables {
    name           = "overfitting-lab-production-dashboard"
    protected_tags = ["initial"]
  }

  assert {
    condition     = jsonencode(jsondecode(aws_ecr_lifecycle_policy.dashboard.policy).rules[0].selection) == jsonencode({ countNumber = 100, countType = "imageCountMoreThan", tagPrefixList = ["initial"], tagStatus = "tagged" })
    error_message = "The image the task definition names is matched first by a rule that keeps it."
  }
  assert {
    condition     = aws_ecr_repository.dashboard.image_tag_mutability == "IMMUTABLE"
    error_message = "Tags are immutable: a deployed tag always names the image that was tested."
  }
}

run "artifact_bucket_is_private_versioned_encrypted" {
  command = apply

  module {
    source = "./modules/s3"
  }

  assert {
    condition     = module.hardening.versioning_status == "Enabled" && module.hardening.public_access_blocked
    error_message = "The artifact bucket gets the shared hardening: versioning on, all public access blocked."
  }
}
