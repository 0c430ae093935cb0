"""Real NATS, PostgreSQL and S3 servers from registry packages, for `ttsjobs dev` and the tests,
and the supervisor and watchdog that keep `ttsjobs dev`'s processes running."""
