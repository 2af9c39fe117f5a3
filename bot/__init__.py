"""Cliffhanger: canon memory and co-writer for serialized-drama writers' rooms."""

__version__ = "0.1.0"
