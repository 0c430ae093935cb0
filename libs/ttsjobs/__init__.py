"""ttsjobs shared library: contracts, job state, messaging, accounts, observability, storage,
callbacks, settings, the embedded stack and the CLI."""
