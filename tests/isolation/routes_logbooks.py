"""Isolation classification of logbooks's routes (merged into registry.ROUTES)."""

from __future__ import annotations

import datetime
from typing import Any

from tests.isolation.registry_kinds import OWN, Object


def _case(world):
    from tests.factories import CaseFactory

    return CaseFactory(organisation=world.owner_org)


def _case_kwargs(world) -> dict[str, Any]:
    return {"case_pk": _case(world).pk}


def _entry(world):
    from logbooks.services import entry_create

    return entry_create(
        case=_case(world),
        kind="meeting",
        summary="Met the lawyer before the hearing.",
        visibility="shared",
        acting_user=world.owner_colleague,
    )


def _entry_kwargs(world) -> dict[str, Any]:
    return {"pk": _entry(world).pk}


def _attachment_kwargs(world) -> dict[str, Any]:
    from logbooks.services import attachment_add

    attachment = attachment_add(
        entry=_entry(world),
        filename="notes.txt",
        data=b"Hearing postponed to May.",
        acting_user=world.owner_colleague,
    )
    return {"pk": attachment.pk}


def _action_kwargs(world) -> dict[str, Any]:
    from logbooks.services import action_create

    action = action_create(
        case=_case(world),
        type="demarche",
        authority="Ministry of Foreign Affairs",
        taken_on=datetime.date(2026, 3, 5),
        status="done",
        outcome="Promised to look into it.",
        acting_user=world.owner_colleague,
    )
    return {"pk": action.pk}


ROUTES: dict[str, Any] = {
    # pages
    "logbooks:case_logbook": Object(_case_kwargs),
    "logbooks:quick_log": Object(_case_kwargs),
    "logbooks:entry_create": Object(_case_kwargs),
    "logbooks:case_actions": Object(_case_kwargs),
    "logbooks:action_create": Object(_case_kwargs),
    "logbooks:export": Object(_case_kwargs),
    "logbooks:entry_detail": Object(_entry_kwargs),
    "logbooks:entry_history": Object(_entry_kwargs),
    "logbooks:entry_correct": Object(_entry_kwargs),
    "logbooks:attachment_upload": Object(_entry_kwargs),
    "logbooks:attachment_download": Object(_attachment_kwargs),
    "logbooks:action_detail": Object(_action_kwargs),
    "logbooks:action_transition": Object(_action_kwargs),
    "logbooks:action_invite": Object(_action_kwargs),
    "logbooks:action_answer": Object(_action_kwargs),
    "logbooks:my_actions": OWN,
    "logbooks:inbox": OWN,
    "logbooks:inbox_read_all": OWN,
    # API
    "api:logbook-case-entry-list": Object(_case_kwargs, api=True),
    "api:logbook-case-action-list": Object(_case_kwargs, api=True),
    "api:logbook-entry-detail": Object(_entry_kwargs, api=True),
    "api:logbook-entry-correct": Object(_entry_kwargs, api=True),
    "api:logbook-entry-attachments": Object(_entry_kwargs, api=True),
    "api:logbook-attachment-detail": Object(_attachment_kwargs, api=True),
    "api:logbook-attachment-download": Object(_attachment_kwargs, api=True),
    "api:logbook-action-detail": Object(_action_kwargs, api=True),
    "api:logbook-action-transition": Object(_action_kwargs, api=True),
    "api:logbook-action-invite": Object(_action_kwargs, api=True),
    "api:logbook-action-answer": Object(_action_kwargs, api=True),
    "api:logbook-action-list": OWN,
    "api:logbook-inbox-list": OWN,
    "api:logbook-inbox-read-all": OWN,
}
