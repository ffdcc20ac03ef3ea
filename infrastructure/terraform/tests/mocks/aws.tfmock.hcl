# What the mocked hashicorp/aws provider answers, shared by every test file: the data sources the configuration
# reads, and valid ARNs for the resources whose ARNs other resources validate.
mock_data "aws_caller_identity" {
  defaults = { account_id = "123456789012" }
}
mock_data "aws_availability_zones" {
  defaults = { names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }
}
mock_data "aws_vpc" {
  defaults = { cidr_block = "10.0.0.0/16" }
}
mock_data "aws_iam_policy_document" {
  defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
}
# The provider validates ARN arguments even against a mock: give every referenced ARN a valid shape.
mock_resource "aws_lb" {
  defaults = { arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/overfitting-lab/0123456789abcdef", arn_suffix = "app/overfitting-lab/0123456789abcdef", dns_name = "overfitting-lab-123.eu-west-1.elb.amazonaws.com" }
}
mock_resource "aws_lb_target_group" {
  defaults = { arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/overfitting-lab-app/0123456789abcdef", arn_suffix = "targetgroup/overfitting-lab-app/0123456789abcdef" }
}
mock_resource "aws_lb_listener" {
  defaults = { arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/overfitting-lab/0123456789abcdef/fedcba9876543210" }
}
mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::123456789012:role/overfitting-lab-production-mock" }
}
mock_resource "aws_iam_policy" {
  defaults = { arn = "arn:aws:iam::123456789012:policy/overfitting-lab-production-mock" }
}
mock_resource "aws_iam_openid_connect_provider" {
  defaults = { arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
}
mock_resource "aws_lambda_function" {
  defaults = { arn = "arn:aws:lambda:eu-west-1:123456789012:function:overfitting-lab-production-mock" }
}
mock_resource "aws_sfn_state_machine" {
  defaults = { arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:overfitting-lab-production-pipeline" }
}
mock_resource "aws_kms_key" {
  defaults = { arn = "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" }
}
mock_resource "aws_sns_topic" {
  defaults = { arn = "arn:aws:sns:eu-west-1:123456789012:overfitting-lab-production-alarms" }
}
mock_resource "aws_ecr_repository" {
  defaults = { arn = "arn:aws:ecr:eu-west-1:123456789012:repository/overfitting-lab-production-dashboard", repository_url = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/overfitting-lab-production-dashboard" }
}
mock_resource "aws_cloudwatch_log_group" {
  defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/overfitting-lab/mock" }
}
mock_resource "aws_cloudwatch_event_rule" {
  defaults = { arn = "arn:aws:events:eu-west-1:123456789012:rule/overfitting-lab-production-pipeline-ended-badly" }
}
mock_resource "aws_s3_bucket" {
  defaults = { arn = "arn:aws:s3:::overfitting-lab-production-artifacts-123456789012" }
}
mock_resource "aws_ecs_cluster" {
  defaults = { arn = "arn:aws:ecs:eu-west-1:123456789012:cluster/overfitting-lab-production" }
}
mock_resource "aws_ecs_task_definition" {
  defaults = { arn = "arn:aws:ecs:eu-west-1:123456789012:task-definition/overfitting-lab-production-dashboard:1" }
}
