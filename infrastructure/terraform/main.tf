# Overfitting Lab, production: the pipeline (five stages and finalize as Lambdas under Step Functions, artifacts
# in S3) and the dashboard (Fargate behind a load balancer), with GitHub OIDC deploy roles and alarms.
locals {
  name = "overfitting-lab-${var.environment}"

  # The pipeline's functions: one zip dist/lambda/<name>.zip each (tools/build-lambdas.mjs) and one ASL
  # placeholder ${<name>_function_arn} each. This map is the only list of them in the configuration.
  # read/write/delete: the bucket keys each stage's role may touch. finalize reads data/* to describe the run's
  # data in the manifest, and deletes the backtest shards' intermediates once select has merged them.
  # Memory buys CPU (1,769 MB = one vCPU): backtest runs worker threads and validate the overfitting report;
  # generate peaks at 776 MB for 1,000,000 strategies. 3,008 MB is the ceiling of a new account until its Lambda
  # quota is raised. The state machine's task timeouts are derived from these timeouts (module step_functions).
  functions = {
    generate  = { memory_size = 1024, timeout = 120, read_prefixes = ["data/*", "runs/*"], write_prefixes = ["runs/*"], delete_prefixes = [] }
    backtest  = { memory_size = 3008, timeout = 900, read_prefixes = ["data/*", "runs/*"], write_prefixes = ["runs/*"], delete_prefixes = [] }
    select    = { memory_size = 1024, timeout = 300, read_prefixes = ["data/*", "runs/*"], write_prefixes = ["runs/*"], delete_prefixes = [] }
    validate  = { memory_size = 2048, timeout = 900, read_prefixes = ["data/*", "runs/*"], write_prefixes = ["runs/*"], delete_prefixes = [] }
    visualize = { memory_size = 1536, timeout = 300, read_prefixes = ["data/*", "runs/*"], write_prefixes = ["runs/*"], delete_prefixes = [] }
    finalize  = { memory_size = 512, timeout = 120, read_prefixes = ["data/*", "runs/*"], write_prefixes = ["runs/*", "latest.json"], delete_prefixes = ["runs/*/shards/*"] }
  }
  # Created by the operator (docs/DEPLOYMENT.md), never by Terraform: the secret stays out of the state.
  run_trigger_token_parameter = "/${local.name}/run-trigger-token"
  app_port                    = 3000
}

module "network" {
  source             = "./modules/network"
  name               = local.name
  region             = var.aws_region
  enable_nat_gateway = var.enable_nat_gateway
}

module "s3" {
  source        = "./modules/s3"
  name          = local.name
  force_destroy = var.allow_destroy
}

module "lambda" {
  source = "./modules/lambda"
  name   = local.name
  functions = {
    for stage, settings in local.functions : stage => merge(settings, {
      memory_size = lookup(var.lambda_memory_mb, stage, settings.memory_size)
      timeout     = lookup(var.lambda_timeout_seconds, stage, settings.timeout)
    })
  }
  artifacts_dir            = "${path.root}/../../dist/lambda"
  bucket_name              = module.s3.bucket_name
  bucket_arn               = module.s3.bucket_arn
  log_retention_days       = var.log_retention_days
  log_level                = var.lambda_log_level
  permissions_boundary_arn = module.iam.permissions_boundary_arn
}

module "step_functions" {
  source                   = "./modules/step_functions"
  name                     = local.name
  function_arns            = module.lambda.function_arns
  function_timeout_seconds = module.lambda.function_timeouts
  finalize_function_arn    = module.lambda.function_arns["finalize"]
  finalize_function_name   = module.lambda.function_names["finalize"]
  log_retention_days       = var.log_retention_days
  permissions_boundary_arn = module.iam.permissions_boundary_arn
}

module "ecr" {
  source         = "./modules/ecr"
  name           = "${local.name}-dashboard"
  force_delete   = var.allow_destroy
  protected_tags = [var.dashboard_image_tag]
}

module "alb" {
  source          = "./modules/alb"
  name            = local.name
  vpc_id          = module.network.vpc_id
  subnet_ids      = module.network.public_subnet_ids
  app_port        = local.app_port
  certificate_arn = var.certificate_arn
}

module "ecs" {
  source                = "./modules/ecs"
  name                  = local.name
  region                = var.aws_region
  vpc_id                = module.network.vpc_id
  subnet_ids            = module.network.app_subnet_ids
  assign_public_ip      = module.network.app_assign_public_ip
  alb_security_group_id = module.alb.security_group_id
  target_group_arn      = module.alb.target_group_arn
  repository_url        = module.ecr.repository_url
  repository_arn        = module.ecr.repository_arn
  image_tag             = var.dashboard_image_tag
  app_port              = local.app_port
  cpu                   = var.dashboard_cpu
  memory                = var.dashboard_memory
  desired_count         = var.dashboard_desired_count
  bucket_name           = module.s3.bucket_name
  bucket_arn            = module.s3.bucket_arn
  state_machine_arn     = module.step_functions.state_machine_arn
  log_retention_days    = var.log_retention_days

  run_trigger_token_parameter = local.run_trigger_token_parameter

  # The target group must be attached to a listener before a service can register in it.
  depends_on               = [module.alb]
  permissions_boundary_arn = module.iam.permissions_boundary_arn
}

module "iam" {
  source            = "./modules/iam"
  name              = local.name
  region            = var.aws_region
  github_repository = var.github_repository
  state_bucket_name = var.state_bucket_name
}

module "monitoring" {
  source                  = "./modules/monitoring"
  name                    = local.name
  region                  = var.aws_region
  function_names          = module.lambda.function_names
  state_machine_arn       = module.step_functions.state_machine_arn
  alb_arn_suffix          = module.alb.arn_suffix
  target_group_arn_suffix = module.alb.target_group_arn_suffix
  cluster_name            = module.ecs.cluster_name
  service_name            = module.ecs.service_name
  desired_task_count      = var.dashboard_desired_count
  alarm_email             = var.alarm_email
}
