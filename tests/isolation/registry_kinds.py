"""The kinds of route the isolation test knows (see registry.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PUBLIC = "public"
STAFF = "staff"
OWN = "own"


@dataclass(frozen=True)
class Object:
    """``make(world)`` creates the object inside the owner organisation and returns the URL
    kwargs; ``api`` marks a REST route (token-authenticated in the test)."""

    make: Callable[[Any], dict[str, Any]]
    api: bool = False
