# The dashboard's image repository. Tags are commit SHAs and immutable, so a deployed tag always names the
# image that was tested.
resource "aws_ecr_repository" "dashboard" {
  name                 = var.name
  image_tag_mutability = "IMMUTABLE"
  force_delete         = var.force_delete

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "AES256"
  }
}

resource "aws_ecr_lifecycle_policy" "dashboard" {
  repository = aws_ecr_repository.dashboard.name
  policy = jsonencode({
    rules = [
      # An image matched by a rule is never expired by a lower-priority one: the protected tags (the first task
      # definition's image) match this rule, which keeps up to 100 of them, so rule 3 cannot expire them.
      {
        rulePriority = 1
        description  = "Keep the images the task definition Terraform registers names"
        selection    = { tagStatus = "tagged", tagPrefixList = var.protected_tags, countType = "imageCountMoreThan", countNumber = 100 }
        action       = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "Expire untagged images after a day"
        selection    = { tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = 1 }
        action       = { type = "expire" }
      },
      {
        rulePriority = 3
        description  = "Keep the newest ${var.keep_images} images"
        selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = var.keep_images }
        action       = { type = "expire" }
      },
    ]
  })
}
