"""ttsjobs shared library, what the services have in common: contracts, the job domain, the
read model's row mapping, messaging, observability, the worker runtime, API keys, storage,
callbacks and settings. Applications (the ``ttsjobs`` command, in tools/) and services (in
services/) build on it; it imports neither."""
