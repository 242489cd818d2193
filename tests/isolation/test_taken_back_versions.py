"""Isolation of entry versions: a partner that follows the case, in every role and at every
share level that reads the logbook, gets 404 on every route naming an earlier version (or its
document) once the author corrected the entry to internal. The owner's officer still reads
it, and the partner still opens the case: the 404 is the version rule's, nothing else's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from accounts.models import Organisation, Role
from tests.conftest import verified_client
from tests.factories import OrganisationFactory, UserFactory
from tests.isolation.registry import ROUTES, Object
from tests.isolation.routes_logbooks import TAKEN_BACK, VERSION_MAKERS


@dataclass
class PartnerWorld:
    owner_org: Any
    owner_colleague: Any
    partner_org: Any
    level: str
    case: Any = None


@pytest.fixture(params=["full", "feedback"])
def world(db, request) -> PartnerWorld:
    owner_org = OrganisationFactory(name="Owner mission", code="OWN")
    colleague = UserFactory(organisation=owner_org, role=Role.OFFICER)
    partner_org = OrganisationFactory(name="Partner NGO", code="PRT", kind=Organisation.Kind.NGO)
    return PartnerWorld(owner_org, colleague, partner_org, request.param)


def test_every_route_naming_a_version_or_a_document_is_checked():
    naming = {
        name
        for name, kind in ROUTES.items()
        if isinstance(kind, Object) and kind.make in VERSION_MAKERS
    }
    assert naming == set(TAKEN_BACK), "add these routes to routes_logbooks.TAKEN_BACK"


def _statuses(client, url: str, kind: Object) -> dict[str, int]:
    methods = ["get", "post", "put", "patch", "delete"] if kind.api else ["get", "post"]
    return {
        method: getattr(client, method)(url, content_type="application/json").status_code
        for method in methods
    }


@pytest.mark.parametrize("role", [Role.ADMIN, Role.OFFICER, Role.VIEWER])
@pytest.mark.parametrize("name", sorted(TAKEN_BACK))
def test_a_partner_gets_404_on_a_version_taken_back(world, name, role):
    kind: Object = TAKEN_BACK[name]
    url = reverse(name, kwargs=kind.make(world))
    partner = verified_client(UserFactory(organisation=world.partner_org, role=role))
    assert partner.get(reverse("cases:detail", args=[world.case.pk])).status_code == 200
    statuses = _statuses(partner, url, kind)
    for method, status in statuses.items():
        assert status in (404, 405), (
            f"{method.upper()} {url} ({name}) answered {status} to a {role} of a "
            f"{world.level} partner after the version was taken back"
        )
    assert 404 in statuses.values(), f"{url} ({name}) allows none of {list(statuses)}"
    author = verified_client(world.owner_colleague)
    assert author.get(url).status_code != 404, "the author organisation must still reach it"
