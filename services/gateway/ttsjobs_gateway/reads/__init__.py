"""How the gateway reads jobs: one port, ``current.JobReads``, over the projection's tables
(tables, pages, search), two caches of its own (finished_rows, pending_counts), the live job
cache (``ttsjobs_gateway.live``) and the job's events in the stream."""
