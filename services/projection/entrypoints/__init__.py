"""What comes into the projection: the durable JetStream consumer of every job event."""
