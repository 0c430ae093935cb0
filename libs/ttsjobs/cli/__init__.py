"""The ``ttsjobs`` command."""
