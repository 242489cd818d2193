"""Isolation classification of logbooks's routes (merged into registry.ROUTES), and the
routes that name one version of an entry or a document, checked against a partner after the
version was taken back (``TAKEN_BACK``, tests/isolation/test_taken_back_versions.py)."""

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
    from logbooks.services.entries import entry_create

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
    from logbooks.services.attachments import attachment_add

    attachment = attachment_add(
        entry=_entry(world),
        filename="notes.txt",
        data=b"Hearing postponed to May.",
        acting_user=world.owner_colleague,
    )
    return {"pk": attachment.pk}


def _action_kwargs(world) -> dict[str, Any]:
    from logbooks.services.actions import action_create

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


# --- versions taken back from a partner -------------------------------------------------------
#
# ``world`` here also has ``partner_org`` and ``level``: a partner that follows the case (a
# live ``full`` or ``feedback`` share), so the 404 it must get comes from the version rule
# alone (docs/logbooks.md, "Corrections and visibility"), not from the case being foreign.


def _taken_back(world):
    """The owner's entry, shared with a document, then corrected to internal: returns the
    earlier (shared) version and its document."""
    from logbooks.services.attachments import attachment_add
    from logbooks.services.entries import entry_correct, entry_create
    from tests.factories import share_case

    case = _case(world)
    share_case(case, world.partner_org, world.level, acting_user=world.owner_colleague)
    earlier = entry_create(
        case=case,
        kind="meeting",
        summary="Met the lawyer; the witness is Ana.",
        visibility="shared",
        acting_user=world.owner_colleague,
    )
    attachment = attachment_add(
        entry=earlier,
        filename="witness.txt",
        data=b"Statement of the witness.",
        acting_user=world.owner_colleague,
    )
    entry_correct(
        entry=earlier,
        kind="meeting",
        summary="Met the lawyer.",
        visibility="internal",
        acting_user=world.owner_colleague,
    )
    return case, earlier, attachment


def _taken_back_entry_kwargs(world) -> dict[str, Any]:
    case, earlier, _attachment = _taken_back(world)
    world.case = case
    return {"pk": earlier.pk}


def _taken_back_attachment_kwargs(world) -> dict[str, Any]:
    case, _earlier, attachment = _taken_back(world)
    world.case = case
    return {"pk": attachment.pk}


#: Every route naming an entry version or a document (the test fails if ROUTES gains one
#: that is missing here): a partner that follows the case gets 404 on the earlier version.
TAKEN_BACK: dict[str, Any] = {
    "logbooks:entry_detail": Object(_taken_back_entry_kwargs),
    "logbooks:entry_history": Object(_taken_back_entry_kwargs),
    "logbooks:entry_correct": Object(_taken_back_entry_kwargs),
    "logbooks:attachment_upload": Object(_taken_back_entry_kwargs),
    "logbooks:attachment_download": Object(_taken_back_attachment_kwargs),
    "api:logbook-entry-detail": Object(_taken_back_entry_kwargs, api=True),
    "api:logbook-entry-correct": Object(_taken_back_entry_kwargs, api=True),
    "api:logbook-entry-attachments": Object(_taken_back_entry_kwargs, api=True),
    "api:logbook-attachment-detail": Object(_taken_back_attachment_kwargs, api=True),
    "api:logbook-attachment-download": Object(_taken_back_attachment_kwargs, api=True),
}

#: the ``make`` functions of ROUTES that name an entry version or a document
VERSION_MAKERS = (_entry_kwargs, _attachment_kwargs)
