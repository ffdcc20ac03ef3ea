terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7"
    }
  }

  # State in the bucket the bootstrap configuration creates; bucket and region are passed at init:
  #   terraform init -backend-config="bucket=<state bucket>" -backend-config="region=<its region>"
  # use_lockfile: S3-native locking (a .tflock object), no DynamoDB table needed.
  backend "s3" {
    key          = "overfitting-lab/production.tfstate"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      Project     = "overfitting-lab"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}
