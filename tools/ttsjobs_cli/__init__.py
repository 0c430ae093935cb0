"""The ``ttsjobs`` command: the user's commands against a running system (submit, jobs, show,
download, cancel, voices), the operator's (users and keys, setup, the projection's rebuild and
dead letters, which run the projection's own code), ``ttsjobs dev`` with its embedded stack
(also the test suite's and the benchmarks'), and the schema export behind ``make schemas``."""
