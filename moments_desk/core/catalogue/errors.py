"""The catalogue's refusal, shared by product editing and bulk changes. No Qt here."""

from __future__ import annotations


class ProductError(ValueError):
    """A change the catalogue refuses; ``field`` names the offending input, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
