"""Guarded knee-health assistant: answers only from its corpus, with citations."""

__version__ = "0.1.0"
