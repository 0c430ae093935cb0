"""The read model the projection writes and the gateway reads: how a job's state maps onto a
tts_jobs row and back."""
