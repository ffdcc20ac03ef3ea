# The root configuration planned and applied against a mocked AWS provider: no account, no network. Each run
# asserts security properties on the planned or applied values; the negative runs expect the validation that
# refuses the setting. The Lambda zips are the placeholders the infrastructure tests write to dist/lambda.
mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  aws_region        = "eu-west-1"
  github_repository = "example-org/overfitting-lab"
  state_bucket_name = "overfitting-lab-tfstate-123456789012"
  certificate_arn   = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
}

run "https_by_default" {
  command = apply

  assert {
    condition     = output.dashboard_url == "https://${module.alb.dns_name}"
    error_message = "The dashboard URL must be HTTPS when a certificate is given."
  }
  assert {
    condition     = module.alb.http_default_action == "redirect"
    error_message = "With a certificate, port 80 only redirects to HTTPS."
  }
  assert {
    condition     = module.network.app_assign_public_ip && !module.network.nat_gateway_created
    error_message = "Without NAT the tasks run in public subnets with a public IP and no NAT gateway is created."
  }
  assert {
    condition     = module.ecs.desired_count == 1
    error_message = "One dashboard task by default."
  }
  assert {
    condition     = output.run_trigger_token_parameter == "/overfitting-lab-production/run-trigger-token"
    error_message = "The trigger token parameter is named, not created: the operator creates it."
  }
  assert {
    condition     = module.lambda.function_timeouts == { generate = 120, backtest = 900, select = 300, validate = 900, visualize = 300, finalize = 120 }
    error_message = "Lambda timeouts changed: the ASL's task timeouts must follow."
  }
}

run "https_with_nat" {
  command = plan

  variables {
    enable_nat_gateway    = true
    dashboard_domain_name = "dashboard.example.com"
  }

  assert {
    condition     = output.dashboard_url == "https://dashboard.example.com"
    error_message = "With a domain, the dashboard URL is the certificate's domain."
  }

  assert {
    condition     = !module.network.app_assign_public_ip && module.network.nat_gateway_created
    error_message = "With NAT the tasks run in private subnets without public IPs."
  }
}

run "paused_dashboard" {
  command = plan

  variables {
    dashboard_desired_count = 0
    allow_plain_http        = true
    certificate_arn         = ""
  }

  assert {
    condition     = module.ecs.desired_count == 0
    error_message = "A paused dashboard runs no task."
  }
  assert {
    condition     = module.monitoring.running_tasks_alarm_count == 0
    error_message = "No running-task alarm while the dashboard is paused on purpose."
  }
  assert {
    condition     = startswith(output.dashboard_url, "http://") && module.alb.http_default_action == "forward"
    error_message = "Plain HTTP only when asked for explicitly."
  }
}

run "https_without_certificate_is_refused" {
  command = plan

  variables {
    certificate_arn = ""
  }

  expect_failures = [var.certificate_arn]
}
