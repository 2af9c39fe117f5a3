"""Adaptation: from a web novel to a series. The novel's chapters are source text (records.py), searched
apart from canon (search.py); candidate names and model proposals enter canon only through review."""
