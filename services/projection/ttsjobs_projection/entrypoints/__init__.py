"""What comes into the projection: the durable JetStream consumers of every job event and
every account event."""
