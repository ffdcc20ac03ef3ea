output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "CIDR block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "Public subnets, one per availability zone (the ALB lives here)."
  value       = local.subnet_ids.public
}

output "private_subnet_ids" {
  description = "Private subnets, one per availability zone."
  value       = local.subnet_ids.private
}

output "app_subnet_ids" {
  description = "Where the dashboard tasks run: private subnets behind the NAT gateway when it exists, otherwise public subnets."
  value       = var.enable_nat_gateway ? local.subnet_ids.private : local.subnet_ids.public
}

output "app_assign_public_ip" {
  description = "Whether tasks need a public IP to reach ECR, SSM and CloudWatch (true without a NAT gateway)."
  value       = !var.enable_nat_gateway
}

output "nat_gateway_created" {
  description = "Whether the NAT gateway exists."
  value       = length(aws_nat_gateway.this) > 0
}
