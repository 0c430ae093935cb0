"""What the gateway knows live: one ordered subscription to the job events (``JobTap``) and
the live job cache it keeps current (``LiveJobs``). The reads (``reads/``) and the feeds
(``feeds/``) both stand on this package, and neither imports the other."""
