# Run once per AWS account, with local state (this configuration creates the bucket the main state lives in).
terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7"
    }
  }
}

provider "aws" {
  region = var.aws_region
}
