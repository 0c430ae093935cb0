"""How a worker process runs: one ``run_worker()`` shared by synthesis, the projection and the
notifier; and ``stop_task()``: cancelling a background task until it has really ended."""
