"""JetStream plumbing shared by every service: topology, publishing, the consumer runners and
their fair scheduling, dead letters, advisories, per-user slots and the voice catalogue."""
