"""The job as the sum of its events: one reducer every service folds a job's history with, and
deciding a job's next event on the JobHistory port."""
