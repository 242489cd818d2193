"""Every URL pattern of hrdcase, classified. The isolation test walks the URL resolver and
fails on a route missing here, so a new page or endpoint cannot ship unclassified.

Kinds:
- PUBLIC: reachable before login (login, health, schema); serves no tenant data.
- STAFF: Django admin, platform staff only.
- OWN: no object in the URL; answers with the requesting user's own data only.
- Object(make): the URL names an object. ``make(world)`` creates that object inside the
  owner organisation and returns the URL kwargs; every user of another organisation, in
  every role, must get 404 for every method.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PUBLIC = "public"
STAFF = "staff"
OWN = "own"


@dataclass(frozen=True)
class Object:
    make: Callable[[Any], dict[str, Any]]
    api: bool = False


def _member(world) -> dict[str, Any]:
    return {"pk": world.owner_colleague.pk}


ROUTES: dict[str, Any] = {
    "home": OWN,
    "healthz": PUBLIC,
    "schema": PUBLIC,
    "api-docs": PUBLIC,
    "accounts:login": PUBLIC,
    "accounts:logout": OWN,
    "accounts:verify": OWN,
    "accounts:enrol": OWN,
    "accounts:profile": OWN,
    "accounts:set_language": PUBLIC,
    # The token in the URL is the secret; tested in tests/accounts (wrong token -> 404).
    "accounts:invitation_accept": PUBLIC,
    "accounts:users": OWN,
    "accounts:user_edit": Object(_member),
    "api:me": OWN,
    "api:member-list": OWN,
    "api:member-detail": Object(_member, api=True),
    "api:member-deactivate": Object(_member, api=True),
    "api:member-reactivate": Object(_member, api=True),
}

# URL-name prefixes that are wholly classified (Django admin: staff only).
PREFIXES = {"admin:": STAFF}
