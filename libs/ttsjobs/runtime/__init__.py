"""How a worker process runs: one ``run_worker()`` shared by synthesis, the projection and the
notifier."""
