"""The one error a refused backup raises (re-exported by ``core/archive.py``)."""

from __future__ import annotations


class ArchiveError(Exception):
    """The file is not a usable backup; ``str()`` says why in the seller's terms."""
