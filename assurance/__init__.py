"""Safeguarding Adults Board performance and assurance: the functional core (no UI code here)."""

__version__ = "0.1.0"
