"""The people of a support request: an NGO that owns a case (the requester), the Norwegian
mission it asks (the receiver, not a partner), a mission that owns another case with the NGO
as its feedback partner, and the outsiders (an unrelated mission, a shelter city, a network
coordinator)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from accounts.models import Organisation, Role
from cases.models import Consent
from cases.services.consent import consent_record
from tests.dates import in_days
from tests.factories import CaseFactory, NetworkFactory, OrganisationFactory, UserFactory


@dataclass
class World:
    ngo: Any
    norway: Any
    sweden: Any
    unrelated: Any
    city: Any
    secretariat: Any
    network: Any
    requester: Any
    ngo_viewer: Any
    receiver: Any
    receiver_admin: Any
    receiver_viewer: Any
    stranger: Any
    city_officer: Any
    coordinator: Any
    case: Any


@pytest.fixture
def world(db) -> World:
    ngo = OrganisationFactory(name="Voces Libres", code="VOC", kind=Organisation.Kind.NGO)
    norway = OrganisationFactory(name="Embassy of Norway", code="NOR")
    sweden = OrganisationFactory(name="Embassy of Sweden", code="SWE")
    unrelated = OrganisationFactory(name="Embassy of Elsewhere", code="ELS")
    city = OrganisationFactory(name="Shelter City", code="SHC", kind=Organisation.Kind.SHELTER_CITY)
    secretariat = OrganisationFactory(
        name="Network secretariat", code="SEC", kind=Organisation.Kind.SECRETARIAT
    )
    network = NetworkFactory(name="Andes network", members=[ngo, norway, sweden, city, secretariat])
    case = CaseFactory(organisation=ngo, pseudonym="Ceiba", reference="VOC-2026-0001")
    return World(
        ngo=ngo,
        norway=norway,
        sweden=sweden,
        unrelated=unrelated,
        city=city,
        secretariat=secretariat,
        network=network,
        requester=UserFactory(organisation=ngo, role=Role.OFFICER),
        ngo_viewer=UserFactory(organisation=ngo, role=Role.VIEWER),
        receiver=UserFactory(organisation=norway, role=Role.OFFICER),
        receiver_admin=UserFactory(organisation=norway, role=Role.ADMIN),
        receiver_viewer=UserFactory(organisation=norway, role=Role.VIEWER),
        stranger=UserFactory(organisation=unrelated, role=Role.OFFICER),
        city_officer=UserFactory(organisation=city, role=Role.OFFICER),
        coordinator=UserFactory(organisation=secretariat, role=Role.COORDINATOR),
        case=case,
    )


def public_action_consent(case, user) -> None:
    consent_record(
        case=case,
        scope=Consent.Scope.PUBLIC_ACTION,
        given_on=datetime.date(2026, 3, 2),
        method=Consent.Method.IN_PERSON,
        acting_user=user,
    )


def ask(world: World, **fields):
    """The NGO asks the Norwegian mission (urgent trial observation in five days)."""
    from support.services import support_request_create

    values = {
        "case": world.case,
        "kind": "trial_observation",
        "reason": "The hearing is likely to be closed to the public.",
        "needed_by": in_days(5),
        "urgency": "urgent",
        "receiver": world.norway,
        "acting_user": world.requester,
    }
    values.update(fields)
    return support_request_create(**values)


def hearing_in(case, user, days: int):
    """A proceeding and a hearing of ``case`` in ``days`` days."""
    from cases.services.court import hearing_schedule, proceeding_create

    proceeding = proceeding_create(case=case, court="Criminal Court of Bogotá", acting_user=user)
    return hearing_schedule(proceeding=proceeding, date=in_days(days), acting_user=user)
