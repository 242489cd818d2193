"""Isolation classification of the work app's routes (merged into registry.ROUTES)."""

from __future__ import annotations

from typing import Any

from tests.isolation.registry_kinds import OWN, PUBLIC

ROUTES: dict[str, Any] = {
    # Home and the calendar show the requesting user's own work (tests/work follows every
    # link of them as each persona, and checks another organisation sees none of it).
    "work:calendar": OWN,
    "work:agenda": OWN,
    "work:feed_create": OWN,
    "work:feed_revoke": OWN,
    # No sign-in: the token in the URL is the secret. An unknown, revoked or replaced token,
    # or one of a user whose access ended, answers 404; another user's token shows that
    # user's calendar only (tests/work/test_feed.py, tests/isolation/test_work_feed.py).
    "work:feed": PUBLIC,
}
