"""The webhook notifier: POSTs each job's final event to its callback_url, signed and retried."""
