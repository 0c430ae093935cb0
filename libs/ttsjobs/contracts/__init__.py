"""The Python face of proto-schemas/: job requests (dialogues, single texts, parsed scripts),
job and account events, subjects, the voice catalogue and casting."""
