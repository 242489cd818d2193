"""Isolation classification of relocation's routes (merged into registry.ROUTES).

Each object is created inside ``world.owner_org`` by ``world.owner_colleague``: a request on
one of its cases, and referrals it addressed to third organisations (a mission, a shelter
city, a grantor). The prying organisation is none of these, so every route must 404."""

from __future__ import annotations

import datetime
from typing import Any

from tests.isolation.registry_kinds import OWN, PUBLIC, STAFF, Object  # noqa: F401


def _request(world):
    from tests.factories import CaseFactory
    from tests.relocation.factories import approved_request, give_relocation_consent

    case = CaseFactory(organisation=world.owner_org)
    give_relocation_consent(case, world.owner_colleague)
    return approved_request(case, world.owner_colleague)


def _case(world) -> dict[str, Any]:
    from tests.factories import CaseFactory

    return {"case_pk": CaseFactory(organisation=world.owner_org).pk}


def _req(world) -> dict[str, Any]:
    return {"pk": _request(world).pk}


def _visa(world) -> dict[str, Any]:
    from relocation.services.visa import visa_referral_create
    from tests.relocation.factories import mission

    referral = visa_referral_create(
        relocation_request=_request(world),
        mission=mission(),
        visa_type="humanitarian",
        acting_user=world.owner_colleague,
    )
    return {"pk": referral.pk}


def _stay(world) -> dict[str, Any]:
    from relocation.services.shelter import shelter_referral_create
    from tests.relocation.factories import city

    start = datetime.date.today() + datetime.timedelta(days=7)
    referral = shelter_referral_create(
        relocation_request=_request(world),
        city=city(),
        start=start,
        end=start + datetime.timedelta(days=30),
        acting_user=world.owner_colleague,
    )
    return {"pk": referral.pk}


def _grant(world) -> dict[str, Any]:
    from relocation.services.grants import grant_request_create
    from tests.relocation.factories import grantor

    grant = grant_request_create(
        relocation_request=_request(world),
        grantor=grantor(),
        purpose="legal_fees",
        amount=500,
        currency="EUR",
        acting_user=world.owner_colleague,
    )
    return {"pk": grant.pk}


def _period(world) -> dict[str, Any]:
    from relocation.models import CapacityPeriod, ShelterProgramme

    programme = ShelterProgramme.objects.create(organisation=world.owner_org)
    period = CapacityPeriod.objects.create(
        organisation=world.owner_org,
        programme=programme,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
        places=3,
    )
    return {"pk": period.pk}


ROUTES: dict[str, Any] = {
    "relocation:list": OWN,
    "relocation:create": Object(_case),
    "relocation:detail": Object(_req),
    "relocation:edit": Object(_req),
    "relocation:transition": Object(_req),
    "relocation:return_record": Object(_req),
    "relocation:visa_create": Object(_req),
    "relocation:shelter_create": Object(_req),
    "relocation:grant_create": Object(_req),
    "relocation:case_grant_create": Object(_case),
    "relocation:visa_queue": OWN,
    "relocation:visa_detail": Object(_visa),
    "relocation:city_inbox": OWN,
    "relocation:city_calendar": OWN,
    "relocation:shelter_detail": Object(_stay),
    "relocation:shelter_identity": Object(_stay),
    "relocation:grants_inbox": OWN,
    "relocation:grant_detail": Object(_grant),
    "relocation:settings": OWN,
    "relocation:capacity_remove": Object(_period),
    "api:relocation-request-list": OWN,
    "api:relocation-request-detail": Object(_req, api=True),
    "api:relocation-request-transition": Object(_req, api=True),
    "api:relocation-request-return": Object(_req, api=True),
    "api:relocation-visa-list": OWN,
    "api:relocation-visa-detail": Object(_visa, api=True),
    "api:relocation-visa-decide": Object(_visa, api=True),
    "api:relocation-visa-withdraw": Object(_visa, api=True),
    "api:relocation-stay-list": OWN,
    "api:relocation-stay-detail": Object(_stay, api=True),
    "api:relocation-stay-answer": Object(_stay, api=True),
    "api:relocation-stay-confirm": Object(_stay, api=True),
    "api:relocation-stay-hosting": Object(_stay, api=True),
    "api:relocation-stay-complete": Object(_stay, api=True),
    "api:relocation-stay-withdraw": Object(_stay, api=True),
    "api:relocation-grant-list": OWN,
    "api:relocation-grant-detail": Object(_grant, api=True),
    "api:relocation-grant-decide": Object(_grant, api=True),
    "api:relocation-grant-disburse": Object(_grant, api=True),
}
