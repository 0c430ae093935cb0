"""ttsjobs shared library: contracts, messaging topology, job state, embedded stack, CLI."""
