"""How a worker process runs: one ``run_worker()`` shared by synthesis, the projection and the
notifier; and pausing the garbage collector while a process builds up long-lived state."""
