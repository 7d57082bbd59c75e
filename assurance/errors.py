"""The product's own errors: one base class, each carrying a plain message for the person who caused it.

A page shows the message; the command line prints it on one line and exits 1 (2 for a usage error). Anything
else that escapes is a fault in the product, not in what the user gave it.
"""

from __future__ import annotations


class AssuranceError(Exception):
    """Something the product refuses or cannot do, said in plain words. `exit_code` is the command line's."""

    exit_code = 1


class DatabaseUnreachable(AssuranceError):
    """The database server or file cannot be reached (distinct from a database without a schema yet)."""
