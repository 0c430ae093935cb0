"""What comes into synthesis: the durable JetStream consumer of JobCreated."""
