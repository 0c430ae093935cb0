"""What comes into the auditor: the durable consumer of every JobCompleted."""
