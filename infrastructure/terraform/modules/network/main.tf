# A VPC with one public and one private subnet per availability zone. Public subnets route to the internet
# gateway; private subnets reach S3 through a gateway endpoint (free) and the internet only through the optional
# NAT gateway.
data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  zones = slice(data.aws_availability_zones.available.names, 0, var.availability_zone_count)
  # Each tier has one /24 per zone: public ones from the VPC's first, private ones from its 100th.
  tiers = { public = 0, private = 100 }
  subnets = merge([
    for tier, first in local.tiers : {
      for index, zone in local.zones : "${tier}-${zone}" => { tier = tier, zone = zone, netnum = first + index }
    }
  ]...)
  # The subnet ids of a tier, in zone order.
  subnet_ids = { for tier in keys(local.tiers) : tier => [for zone in local.zones : aws_subnet.this["${tier}-${zone}"].id] }
}

resource "aws_vpc" "this" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = { Name = var.name }
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id

  tags = { Name = var.name }
}

resource "aws_subnet" "this" {
  for_each          = local.subnets
  vpc_id            = aws_vpc.this.id
  availability_zone = each.value.zone
  cidr_block        = cidrsubnet(var.vpc_cidr, 8, each.value.netnum)

  tags = { Name = "${var.name}-${each.key}" }
}

resource "aws_eip" "nat" {
  count  = var.enable_nat_gateway ? 1 : 0
  domain = "vpc"

  tags = { Name = "${var.name}-nat" }
}

resource "aws_nat_gateway" "this" {
  count         = var.enable_nat_gateway ? 1 : 0
  allocation_id = aws_eip.nat[0].id
  subnet_id     = aws_subnet.this["public-${local.zones[0]}"].id

  tags       = { Name = var.name }
  depends_on = [aws_internet_gateway.this]
}

# One route table per tier: the public one routes to the internet gateway, the private one to the NAT gateway
# when there is one, else nowhere outside the VPC (S3 comes through the endpoint below).
resource "aws_route_table" "this" {
  for_each = local.tiers
  vpc_id   = aws_vpc.this.id

  dynamic "route" {
    for_each = each.key == "public" ? [{ gateway_id = aws_internet_gateway.this.id, nat_gateway_id = null }] : [
      for nat in aws_nat_gateway.this : { gateway_id = null, nat_gateway_id = nat.id }
    ]
    content {
      cidr_block     = "0.0.0.0/0"
      gateway_id     = route.value.gateway_id
      nat_gateway_id = route.value.nat_gateway_id
    }
  }

  tags = { Name = "${var.name}-${each.key}" }
}

resource "aws_route_table_association" "this" {
  for_each       = local.subnets
  subnet_id      = aws_subnet.this[each.key].id
  route_table_id = aws_route_table.this[each.value.tier].id
}

# The route tables were one resource per tier before; the subnets and associations were counted, and their new
# keys name zones the provider lists at plan time, so only the tables can be moved here.
moved {
  from = aws_route_table.public
  to   = aws_route_table.this["public"]
}

moved {
  from = aws_route_table.private
  to   = aws_route_table.this["private"]
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [for table in values(aws_route_table.this) : table.id]

  tags = { Name = "${var.name}-s3" }
}
