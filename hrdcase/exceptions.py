"""Errors services raise; the web and API layers turn them into 4xx answers."""

from __future__ import annotations

from collections.abc import Iterable


class StateConflict(Exception):
    """A transition that the object's current state does not allow (HTTP 409)."""

    def __init__(self, message: str, *, allowed: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.allowed = list(allowed)
