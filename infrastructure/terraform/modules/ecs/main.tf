# The dashboard on Fargate: a cluster with Container Insights, one service behind the load balancer, a task that
# runs as a non-root user, and two roles — the execution role (pull the image, write logs, read the trigger
# token) and the task role (what the dashboard itself may do).
resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_cloudwatch_log_group" "dashboard" {
  name              = "/ecs/${var.name}-dashboard"
  retention_in_days = var.log_retention_days
}

# The token a user must send to start a run from the dashboard: an SSM SecureString the operator creates
# before the first apply (docs/DEPLOYMENT.md), so the secret never enters Terraform state or plan output.
# Terraform only names it: the execution role may read this one parameter, the task gets it as a secret.
data "aws_caller_identity" "current" {}

locals {
  run_trigger_token_arn = "arn:aws:ssm:${var.region}:${data.aws_caller_identity.current.account_id}:parameter${var.run_trigger_token_parameter}"
}

resource "aws_security_group" "tasks" {
  name        = "${var.name}-dashboard"
  description = "Dashboard tasks: only the load balancer in, HTTPS out to AWS APIs"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "from_alb" {
  security_group_id            = aws_security_group.tasks.id
  description                  = "Load balancer to the app port"
  ip_protocol                  = "tcp"
  from_port                    = var.app_port
  to_port                      = var.app_port
  referenced_security_group_id = var.alb_security_group_id
}

resource "aws_vpc_security_group_egress_rule" "https_out" {
  security_group_id = aws_security_group.tasks.id
  description       = "ECR, S3, Step Functions, SSM and CloudWatch over HTTPS"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

data "aws_iam_policy_document" "execution" {
  # ecr:GetAuthorizationToken is registry-wide and accepts only resource "*" (allow-listed).
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "PullDashboardImage"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = [var.repository_arn]
  }

  statement {
    sid       = "WriteDashboardLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.dashboard.arn}:*"]
  }

  statement {
    sid       = "ReadRunTriggerToken"
    actions   = ["ssm:GetParameters"]
    resources = [local.run_trigger_token_arn]
  }
}

data "aws_iam_policy_document" "task" {
  statement {
    sid       = "ReadArtifacts"
    actions   = ["s3:GetObject"]
    resources = ["${var.bucket_arn}/*"]
  }

  statement {
    sid       = "ListArtifacts"
    actions   = ["s3:ListBucket"]
    resources = [var.bucket_arn]
  }

  statement {
    sid       = "StartPipeline"
    actions   = ["states:StartExecution"]
    resources = [var.state_machine_arn]
  }

  statement {
    sid       = "FollowPipeline"
    actions   = ["states:DescribeExecution", "states:GetExecutionHistory"] # history names the state a run is in
    resources = ["${replace(var.state_machine_arn, ":stateMachine:", ":execution:")}:*"]
  }
}

# The two roles of the tasks: the execution role ECS itself uses, and the task role the dashboard's code uses.
module "role" {
  source = "../service_role"
  for_each = {
    execution = { policy_name = "pull-log-secrets", policy = data.aws_iam_policy_document.execution.json }
    task      = { policy_name = "read-artifacts-start-pipeline", policy = data.aws_iam_policy_document.task.json }
  }
  name                     = "${var.name}-dashboard-${each.key}"
  service                  = "ecs-tasks.amazonaws.com"
  policy_name              = each.value.policy_name
  policy                   = each.value.policy
  permissions_boundary_arn = var.permissions_boundary_arn
}

resource "aws_ecs_task_definition" "dashboard" {
  family                   = "${var.name}-dashboard"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = module.role["execution"].arn
  task_role_arn            = module.role["task"].arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name      = "dashboard"
      image     = "${var.repository_url}:${var.image_tag}"
      essential = true
      user      = "1000:1000" # the image's "node" user; never root
      # The dashboard writes nothing locally (its store is the bucket), so the image's files stay immutable.
      readonlyRootFilesystem = true
      portMappings = [
        { containerPort = var.app_port, protocol = "tcp" },
      ]
      environment = [
        { name = "USE_S3", value = "true" },
        { name = "S3_BUCKET", value = var.bucket_name },
        { name = "STATE_MACHINE_ARN", value = var.state_machine_arn },
        { name = "PORT", value = tostring(var.app_port) },
        { name = "AWS_REGION", value = var.region },
        { name = "TRUST_PROXY_HOPS", value = "1" }, # the load balancer: rate limits count the client's address
      ]
      secrets = [
        { name = "RUN_TRIGGER_TOKEN", valueFrom = local.run_trigger_token_arn },
      ]
      healthCheck = {
        command     = ["CMD", "node", "-e", "fetch('http://127.0.0.1:${var.app_port}/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
        interval    = 30
        timeout     = 5
        retries     = 3
        startPeriod = 15
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.dashboard.name
          awslogs-region        = var.region
          awslogs-stream-prefix = "dashboard"
        }
      }
    },
  ])
}

resource "aws_ecs_service" "dashboard" {
  name                              = "${var.name}-dashboard"
  cluster                           = aws_ecs_cluster.this.id
  task_definition                   = aws_ecs_task_definition.dashboard.arn
  desired_count                     = var.desired_count
  launch_type                       = "FARGATE"
  health_check_grace_period_seconds = 30

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = var.assign_public_ip
  }

  load_balancer {
    target_group_arn = var.target_group_arn
    container_name   = "dashboard"
    container_port   = var.app_port
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  # deploy-app.yml registers a new revision with the new image on every push; Terraform must not roll it back.
  lifecycle {
    ignore_changes = [task_definition]
  }

  # The first tasks start as soon as the service exists: the roles' policies must be in place by then, or the
  # tasks cannot pull the image or read the trigger token.
  depends_on = [module.role]
}
