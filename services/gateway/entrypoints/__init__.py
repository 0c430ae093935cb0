"""What comes into the gateway: HTTP requests."""
