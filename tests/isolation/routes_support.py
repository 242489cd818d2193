"""Isolation classification of support's routes (merged into registry.ROUTES).

Two shapes of request, so both sides are walked: one that ``world.owner_org`` (as the
requester) asked of a third mission on its own case, and one a third NGO asked of
``world.owner_org`` (as the receiver). The prying organisation is none of these: every
route answers 404."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tests.isolation.registry_kinds import OWN, Object


def _ask(case, receiver, user):
    from support.services import support_request_create

    [request] = support_request_create(
        case=case,
        kind="demarche",
        reason="Raise the threats with the ministry.",
        needed_by=timezone.localdate() + datetime.timedelta(days=5),
        urgency="urgent",
        receiver=receiver,
        acting_user=user,
    )
    return request


def _sent(world) -> dict[str, Any]:
    """The owner organisation asked a third mission."""
    from tests.factories import CaseFactory, OrganisationFactory

    case = CaseFactory(organisation=world.owner_org)
    return {"pk": _ask(case, OrganisationFactory(), world.owner_colleague).pk}


def _received(world) -> dict[str, Any]:
    """A third NGO asked the owner organisation (a mission)."""
    from accounts.models import Organisation
    from tests.factories import CaseFactory, OrganisationFactory, UserFactory

    ngo = OrganisationFactory(kind=Organisation.Kind.NGO)
    case = CaseFactory(organisation=ngo)
    return {"pk": _ask(case, world.owner_org, UserFactory(organisation=ngo)).pk}


def _step(world) -> dict[str, Any]:
    return {**_received(world), "step": "accept"}


def _case(world) -> dict[str, Any]:
    from tests.factories import CaseFactory

    return {"pk": CaseFactory(organisation=world.owner_org).pk}


ROUTES: dict[str, Any] = {
    "support:queue": OWN,
    "support:sent": OWN,
    "support:ask": Object(_case),
    "support:detail": Object(_sent),
    "support:step": Object(_step),
    "api:support-request-list": OWN,
    "api:support-request-detail": Object(_received, api=True),
    "api:support-request-accept": Object(_received, api=True),
    "api:support-request-decline": Object(_sent, api=True),
    "api:support-request-report": Object(_received, api=True),
}
