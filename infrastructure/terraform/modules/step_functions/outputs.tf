output "state_machine_arn" {
  description = "ARN of the pipeline state machine (STATE_MACHINE_ARN, overfit cloud start --state-machine-arn)."
  value       = aws_sfn_state_machine.pipeline.arn
}

output "state_machine_name" {
  description = "Name of the pipeline state machine."
  value       = aws_sfn_state_machine.pipeline.name
}
