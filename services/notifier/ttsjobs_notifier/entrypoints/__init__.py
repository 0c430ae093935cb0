"""What comes into the notifier: the durable JetStream consumer of every job's final event."""
