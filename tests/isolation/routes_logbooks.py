"""Isolation classification of logbooks's routes (merged into registry.ROUTES)."""

from __future__ import annotations

from typing import Any

from tests.isolation.registry_kinds import OWN, PUBLIC, STAFF, Object  # noqa: F401

ROUTES: dict[str, Any] = {}
