"""Pronunciation lexicons: what a user tells the voices about how to say a word."""
