"""Isolation classification of the court proceedings routes of cases (merged into
registry.ROUTES): a proceeding, its hearing and an observer of the owner organisation, which
every role of another organisation must get 404 for."""

from __future__ import annotations

import datetime
from typing import Any

from tests.isolation.registry_kinds import Object


def _proceeding(world):
    from cases.services.court import proceeding_create
    from tests.factories import CaseFactory

    case = CaseFactory(organisation=world.owner_org)
    return proceeding_create(
        case=case, court="Criminal court no. 3", acting_user=world.owner_colleague
    )


def _hearing(world):
    from cases.services.court import hearing_schedule

    return hearing_schedule(
        proceeding=_proceeding(world),
        date=datetime.date.today() + datetime.timedelta(days=5),
        acting_user=world.owner_colleague,
    )


def _observer(world):
    from cases.services.court import hearing_observer_plan

    return hearing_observer_plan(
        hearing=_hearing(world), organisation=world.owner_org, acting_user=world.owner_colleague
    )


def _case(world) -> dict[str, Any]:
    return {"pk": _proceeding(world).case_id}


def _page_proceeding(world) -> dict[str, Any]:
    proceeding = _proceeding(world)
    return {"pk": proceeding.case_id, "proceeding_pk": proceeding.pk}


def _page_hearing(world) -> dict[str, Any]:
    hearing = _hearing(world)
    return {"pk": hearing.proceeding.case_id, "hearing_pk": hearing.pk}


def _page_observer(world) -> dict[str, Any]:
    row = _observer(world)
    return {"pk": row.hearing.proceeding.case_id, "observer_pk": row.pk}


def _api_case(world) -> dict[str, Any]:
    return {"case_pk": _proceeding(world).case_id}


def _api_proceeding(world) -> dict[str, Any]:
    proceeding = _proceeding(world)
    return {"case_pk": proceeding.case_id, "pk": proceeding.pk}


def _api_hearing(world) -> dict[str, Any]:
    hearing = _hearing(world)
    return {"case_pk": hearing.proceeding.case_id, "pk": hearing.pk}


def _api_observer(world) -> dict[str, Any]:
    row = _observer(world)
    return {"case_pk": row.hearing.proceeding.case_id, "pk": row.hearing_id, "observer_pk": row.pk}


ROUTES: dict[str, Any] = {
    "cases:proceeding_create": Object(_case),
    "cases:proceeding": Object(_page_proceeding),
    "cases:hearing_schedule": Object(_page_proceeding),
    "cases:observer_plan": Object(_page_hearing),
    "cases:observer_record": Object(_page_observer),
    "api:case-proceeding-list": Object(_api_case, api=True),
    "api:case-proceeding-detail": Object(_api_proceeding, api=True),
    "api:case-proceeding-hearings": Object(_api_proceeding, api=True),
    "api:case-hearing-list": Object(_api_case, api=True),
    "api:case-hearing-detail": Object(_api_hearing, api=True),
    "api:case-hearing-observers": Object(_api_hearing, api=True),
    "api:case-hearing-observer": Object(_api_observer, api=True),
}
