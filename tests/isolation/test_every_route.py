"""Isolation: every object route answers 404 to every user of another organisation.

This is the security boundary of a multi-tenant system whose leaks get people arrested:
never weaken it. Add new routes to ``registry.ROUTES``; the first test fails until you do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Role
from tests.conftest import verified_client
from tests.factories import OrganisationFactory, UserFactory
from tests.isolation.registry import PREFIXES, ROUTES, Object


def _walk(patterns, namespace: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.extend(_walk(entry.url_patterns, inner))
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((f"{namespace}{entry.name}", entry))
        elif isinstance(entry, URLPattern):
            found.append((f"{namespace}<unnamed {entry.pattern}>", entry))
    return found


def _all_route_names() -> set[str]:
    return {name for name, _pattern in _walk(get_resolver().url_patterns)}


def _classification(name: str) -> Any:
    for prefix, kind in PREFIXES.items():
        if name.startswith(prefix):
            return kind
    return ROUTES.get(name)


def test_every_route_is_classified():
    missing = sorted(name for name in _all_route_names() if _classification(name) is None)
    assert not missing, f"classify these routes in tests/isolation/registry.py: {missing}"


def test_the_registry_names_no_route_that_is_gone():
    stale = sorted(set(ROUTES) - _all_route_names())
    assert not stale, f"remove these from tests/isolation/registry.py: {stale}"


@dataclass
class World:
    """One organisation's things, and the people of another organisation looking for them."""

    owner_org: Any
    owner_colleague: Any


@pytest.fixture
def world(db) -> World:
    owner_org = OrganisationFactory(name="Owner mission", code="OWN")
    UserFactory(organisation=owner_org, role=Role.ADMIN)
    colleague = UserFactory(organisation=owner_org, role=Role.OFFICER)
    return World(owner_org=owner_org, owner_colleague=colleague)


OBJECT_ROUTES = sorted(name for name, kind in ROUTES.items() if isinstance(kind, Object))
OUTSIDER_ROLES = [Role.ADMIN, Role.OFFICER, Role.VIEWER, Role.COORDINATOR]


@pytest.mark.parametrize("role", OUTSIDER_ROLES)
@pytest.mark.parametrize("name", OBJECT_ROUTES)
def test_it_answers_404_to_another_organisation(world, name, role):
    kind: Object = ROUTES[name]
    url = reverse(name, kwargs=kind.make(world))
    outsider_org = OrganisationFactory(name="Prying mission", code="PRY")
    client = verified_client(UserFactory(organisation=outsider_org, role=role))
    statuses = _statuses(client, url, kind)
    for method, status in statuses.items():
        # 405 is decided from the method alone, before any object is looked up.
        assert status in (404, 405), (
            f"{method.upper()} {url} ({name}) answered {status} to a {role} of another organisation"
        )
    assert 404 in statuses.values(), f"{url} ({name}) allows none of {list(statuses)}"


def _statuses(client, url: str, kind: Object) -> dict[str, int]:
    methods = ["get", "post", "put", "patch", "delete"] if kind.api else ["get", "post"]
    return {
        method: getattr(client, method)(url, content_type="application/json").status_code
        for method in methods
    }


@pytest.mark.django_db
def test_staff_routes_refuse_organisation_users(world):
    client = verified_client(world.owner_colleague)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("name", OBJECT_ROUTES)
def test_it_answers_404_for_an_object_that_does_not_exist(world, name):
    import uuid

    kind: Object = ROUTES[name]
    kwargs = {key: uuid.uuid4() for key in kind.make(world)}
    client = verified_client(world.owner_colleague)
    statuses = _statuses(client, reverse(name, kwargs=kwargs), kind)
    assert set(statuses.values()) <= {404, 405} and 404 in statuses.values(), statuses
