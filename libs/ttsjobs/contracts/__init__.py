"""The Python face of proto-schemas/: job requests, event envelopes and subjects."""
