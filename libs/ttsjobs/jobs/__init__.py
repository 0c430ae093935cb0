"""The job as the sum of its events: one reducer every service folds a job's history with, how
its state maps onto a tts_jobs row, and reading the history from the stream."""
