"""Users and API keys: key format and hashing, and the operator's commands on accounts."""
