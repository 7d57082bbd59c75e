"""Quarterly returns: specs, reading, cleaning, rules, loading, templates and submission history."""
