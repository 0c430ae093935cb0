"""The WebSocket feeds' side of the gateway: the fan-out of tapped events to the open feeds
(fan_out, listeners), what they send (frames, frame_writes), progress that only moves forward
(progress), and the stream read for a feed that starts or resumes behind (replay)."""
