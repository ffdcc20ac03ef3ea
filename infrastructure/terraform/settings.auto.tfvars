# The settings of this deployment, read by every plan and apply: from a laptop and from CI alike (Terraform loads
# *.auto.tfvars by itself). Change them here and commit, so a CI apply never reverts what you set. Nothing secret
# belongs in this file: the run-trigger token lives in SSM, the state bucket and repository come from the
# workflow. Every variable and its default is in variables.tf.

# Region of every resource; the GitHub variable AWS_REGION and terraform init's -backend-config="region=…" must
# name the same one.
aws_region = "us-east-1"

# HTTPS with an ACM certificate for your domain, in aws_region (docs/DEPLOYMENT.md, step 2). Without one, plans
# fail unless allow_plain_http = true, which sends everything, the run-trigger token included, in clear text.
certificate_arn       = ""
dashboard_domain_name = ""
allow_plain_http      = false

# Notifications of every alarm (confirm the subscription e-mail); empty for none.
alarm_email = ""

# Dashboard tasks; 0 pauses the dashboard and its Fargate cost without destroying anything.
dashboard_desired_count = 1

# Tasks in private subnets behind a NAT gateway (about $33/month more) instead of public subnets.
enable_nat_gateway = false

# Per-function overrides of the memory (MB) and timeout (s) in main.tf, e.g. { backtest = 2048 }. A timeout
# above main.tf's needs the ASL's TimeoutSeconds raised too: plans fail until it is.
lambda_memory_mb       = {}
lambda_timeout_seconds = {}
