"""Logging, tracing, metrics and the health probes, set up the same way in every service."""
