"""Hostile-input property tests: strategies, a hostile corpus, and the checks every reply must pass."""
