"""What comes into the gateway: HTTP requests and WebSocket feeds."""
