# Alarms on the things that break a demo — a stage erroring or throttled, an execution failing, timing out or
# aborted, the dashboard answering 5xx or running fewer tasks than asked — sent to one SNS topic, and a
# CloudWatch dashboard with the same metrics.
data "aws_caller_identity" "current" {}

# The topic's key must let CloudWatch encrypt what it publishes. The AWS-managed alias/aws/sns key cannot: its
# policy admits only principals of this account, so every alarm notification would be dropped silently.
data "aws_iam_policy_document" "alarm_key" {
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"] # in a key policy, "*" is this key

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudWatchPublishesAlarms"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_kms_key" "alarms" {
  description             = "Encrypts the ${var.name} alarm topic; CloudWatch may use it"
  enable_key_rotation     = true
  deletion_window_in_days = 7
  policy                  = data.aws_iam_policy_document.alarm_key.json
}

resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  kms_master_key_id = aws_kms_key.alarms.arn
}

resource "aws_sns_topic_subscription" "email" {
  count     = var.alarm_email == "" ? 0 : 1
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

locals {
  # What most alarms share: any count in a five-minute period fires, and no data means nothing happened.
  alarm_defaults = {
    statistic           = "Sum"
    period              = 300
    evaluation_periods  = 1
    threshold           = 0
    comparison_operator = "GreaterThanThreshold"
    treat_missing_data  = "notBreaching"
    notify_ok           = false
  }
  # Step Functions counts the three ways an execution ends badly in three metrics: one alarm each.
  execution_endings = {
    failed    = { metric = "ExecutionsFailed", what = "failed" }
    timed-out = { metric = "ExecutionsTimedOut", what = "timed out" }
    aborted   = { metric = "ExecutionsAborted", what = "was aborted" }
  }
  # Every alarm by the end of its name (after "<name>-"), with what differs from the defaults.
  alarms = merge(
    { for stage, function in var.function_names : "${stage}-errors" => {
      description = "The ${stage} stage raised an error."
      namespace   = "AWS/Lambda"
      metric      = "Errors"
      dimensions  = { FunctionName = function }
    } },
    { for stage, function in var.function_names : "${stage}-throttles" => {
      description = "The ${stage} stage was throttled (account concurrency reached; the Map's shards queue)."
      namespace   = "AWS/Lambda"
      metric      = "Throttles"
      dimensions  = { FunctionName = function }
    } },
    { for ending, alarm in local.execution_endings : "pipeline-${ending}" => {
      description = "A pipeline execution ${alarm.what}."
      namespace   = "AWS/States"
      metric      = alarm.metric
      dimensions  = { StateMachineArn = var.state_machine_arn }
    } },
    {
      load-balancer-5xx = {
        description = "The load balancer answered more than 5 server errors in 5 minutes (no healthy task, timeouts)."
        namespace   = "AWS/ApplicationELB"
        metric      = "HTTPCode_ELB_5XX_Count"
        dimensions  = { LoadBalancer = var.alb_arn_suffix }
        threshold   = 5
      }
      dashboard-5xx = {
        description = "The dashboard answered more than 5 server errors in 5 minutes."
        namespace   = "AWS/ApplicationELB"
        metric      = "HTTPCode_Target_5XX_Count"
        dimensions  = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffix }
        threshold   = 5
      }
    },
    # No task alarm when the desired count is 0: the dashboard is stopped on purpose.
    { for name, alarm in {
      dashboard-tasks = {
        description         = "The dashboard runs fewer tasks than desired."
        namespace           = "ECS/ContainerInsights"
        metric              = "RunningTaskCount"
        dimensions          = { ClusterName = var.cluster_name, ServiceName = var.service_name }
        statistic           = "Minimum"
        period              = 60
        evaluation_periods  = 5
        threshold           = var.desired_task_count
        comparison_operator = "LessThanThreshold"
        treat_missing_data  = "breaching"
        notify_ok           = true
      }
    } : name => alarm if var.desired_task_count > 0 },
  )
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each            = { for name, alarm in local.alarms : name => merge(local.alarm_defaults, alarm) }
  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = each.value.period
  evaluation_periods  = each.value.evaluation_periods
  threshold           = each.value.threshold
  comparison_operator = each.value.comparison_operator
  treat_missing_data  = each.value.treat_missing_data
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = each.value.notify_ok ? [aws_sns_topic.alarms.arn] : null
}

# The dashboard's four widgets, two by two: 12 columns wide and 6 rows high each, in the module's region, summing
# over five minutes unless a widget says otherwise.
locals {
  widgets = [
    {
      title = "Lambda errors and duration (p95)"
      # concat, not flatten: flatten would also flatten each metric's own array.
      metrics = concat(
        [for stage, function in var.function_names : ["AWS/Lambda", "Errors", "FunctionName", function, { label = "${stage} errors" }]],
        [for stage, function in var.function_names : ["AWS/Lambda", "Duration", "FunctionName", function, { stat = "p95", yAxis = "right", label = "${stage} p95 ms" }]],
      )
    },
    {
      title = "Pipeline executions"
      metrics = [
        ["AWS/States", "ExecutionsSucceeded", "StateMachineArn", var.state_machine_arn],
        ["AWS/States", "ExecutionsFailed", "StateMachineArn", var.state_machine_arn],
        ["AWS/States", "ExecutionTime", "StateMachineArn", var.state_machine_arn, { stat = "Average", yAxis = "right" }],
      ]
    },
    {
      title = "Dashboard requests and errors"
      metrics = [
        ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", var.alb_arn_suffix],
        ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer", var.alb_arn_suffix],
        ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", var.alb_arn_suffix, "TargetGroup", var.target_group_arn_suffix],
        ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", var.alb_arn_suffix, { stat = "p95", yAxis = "right" }],
      ]
    },
    {
      title  = "Dashboard tasks, CPU and memory"
      stat   = "Average"
      period = 60
      metrics = [
        ["ECS/ContainerInsights", "RunningTaskCount", "ClusterName", var.cluster_name, "ServiceName", var.service_name, { stat = "Minimum" }],
        ["ECS/ContainerInsights", "CpuUtilized", "ClusterName", var.cluster_name, "ServiceName", var.service_name, { yAxis = "right" }],
        ["ECS/ContainerInsights", "MemoryUtilized", "ClusterName", var.cluster_name, "ServiceName", var.service_name, { yAxis = "right" }],
      ]
    },
  ]
}

resource "aws_cloudwatch_dashboard" "overview" {
  dashboard_name = var.name
  dashboard_body = jsonencode({
    widgets = [
      for index, widget in local.widgets : {
        type       = "metric", x = 12 * (index % 2), y = 6 * floor(index / 2), width = 12, height = 6
        properties = merge({ stat = "Sum", period = 300, region = var.region }, widget)
      }
    ]
  })
}

# Nothing is deployed yet, so the alarms take their new addresses without moved blocks; the failed-execution alarm
# had one already, which now points at its new address.
moved {
  from = aws_cloudwatch_metric_alarm.executions_failed
  to   = aws_cloudwatch_metric_alarm.this["pipeline-failed"]
}
