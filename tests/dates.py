"""The suite's "today", read when a test runs.

The product dates its checks with ``timezone.localdate()`` (settings.TIME_ZONE), so the
tests do too. Read it inside a test or a fixture, never in a ``parametrize`` decorator or a
default argument: those are evaluated when the module is collected, and a run that crosses
midnight would then test "tomorrow" against a product that has already reached it
(``tests/test_the_suite.py`` keeps them out).
"""

from __future__ import annotations

import datetime

from django.utils import timezone


def today() -> datetime.date:
    return timezone.localdate()


def in_days(n: int) -> datetime.date:
    """The date ``n`` days from today (negative: ago)."""
    return today() + datetime.timedelta(days=n)
