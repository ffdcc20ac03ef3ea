# The pipeline's state machine. Its definition is the ASL file of @overfit/pipeline, the same one the local
# orchestrator and the tests run; Terraform only fills in the function ARNs. (The
# backtest Map's concurrency comes from the execution input, not from here.) An execution that times out, is
# aborted or fails without a manifest is recorded by the finalize function through EventBridge.
locals {
  asl_file = "${path.module}/../../../../packages/pipeline/src/state-machine.asl.json"
  asl      = jsondecode(file(local.asl_file))
  # Every Task state, the Map's inner ones included, with the function it invokes and its TimeoutSeconds.
  asl_states = merge(local.asl.States, merge([for state in values(local.asl.States) : try(state.ItemProcessor.States, {})]...))
  task_timeouts = {
    for name, state in local.asl_states : name => {
      function = regex("^\\$\\{(\\w+)_function_arn\\}$", state.Parameters.FunctionName)[0]
      seconds  = state.TimeoutSeconds
    } if state.Type == "Task"
  }
  # A task must outlive its Lambda by this much, so the Lambda's own timeout error (Sandbox.Timedout, with its
  # log) ends the attempt rather than a States.Timeout racing it.
  timeout_margin_seconds = 30
  too_short_tasks = [
    for name, task in local.task_timeouts : "${name} (${task.seconds} s) vs ${task.function} (${var.function_timeout_seconds[task.function]} s)"
    if task.seconds < var.function_timeout_seconds[task.function] + local.timeout_margin_seconds
  ]
}

resource "aws_cloudwatch_log_group" "executions" {
  # The /aws/vendedlogs/ prefix keeps CloudWatch's log resource policy small.
  name              = "/aws/vendedlogs/states/${var.name}-pipeline"
  retention_in_days = var.log_retention_days
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

module "role" {
  source                   = "../service_role"
  name                     = "${var.name}-pipeline"
  service                  = "states.amazonaws.com"
  only_this_account        = true
  policy_name              = "invoke-and-log"
  policy                   = data.aws_iam_policy_document.state_machine.json
  permissions_boundary_arn = var.permissions_boundary_arn
}

resource "aws_sfn_state_machine" "pipeline" {
  name     = "${var.name}-pipeline"
  type     = "STANDARD"
  role_arn = module.role.arn
  definition = templatefile(
    local.asl_file,
    { for name, arn in var.function_arns : "${name}_function_arn" => arn },
  )

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.executions.arn}:*"
    include_execution_data = false
    level                  = var.log_level
  }

  depends_on = [module.role]

  lifecycle {
    precondition {
      condition     = length(local.too_short_tasks) == 0
      error_message = "Task TimeoutSeconds in the ASL must exceed the Lambda timeout by ${local.timeout_margin_seconds} s: ${join(", ", local.too_short_tasks)}."
    }
  }
}

# Executions that end without running MarkRunFailed (execution timeout, abort, or a failure of MarkRunFailed
# itself) still get a failed manifest: finalize writes one when the run has none.
resource "aws_cloudwatch_event_rule" "execution_ended_badly" {
  name        = "${var.name}-pipeline-ended-badly"
  description = "Pipeline executions that failed, timed out or were aborted: finalize records them"
  event_pattern = jsonencode({
    source      = ["aws.states"]
    detail-type = ["Step Functions Execution Status Change"]
    detail = {
      status          = ["FAILED", "TIMED_OUT", "ABORTED"]
      stateMachineArn = [aws_sfn_state_machine.pipeline.arn]
    }
  })
}

resource "aws_cloudwatch_event_target" "finalize" {
  rule = aws_cloudwatch_event_rule.execution_ended_badly.name
  arn  = var.finalize_function_arn

  retry_policy {
    maximum_event_age_in_seconds = 3600
    maximum_retry_attempts       = 10
  }
}

resource "aws_lambda_permission" "events_invoke_finalize" {
  statement_id  = "AllowPipelineEndedEvents"
  action        = "lambda:InvokeFunction"
  function_name = var.finalize_function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.execution_ended_badly.arn
}
