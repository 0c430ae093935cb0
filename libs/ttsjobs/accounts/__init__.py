"""API keys: their format and hashing, shared by the gateway (which checks them) and the
operator's account commands (which issue them)."""
