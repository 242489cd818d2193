"""Logbook test helpers: a case followed by partners at every share level, and entries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from accounts.models import Organisation, Role
from logbooks.services.actions import action_create
from logbooks.services.entries import entry_create
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, share_case

TEXTS = {
    "owner_internal": "OWNER-INTERNAL met the prosecutor",
    "owner_shared": "OWNER-SHARED hearing postponed",
    "full_internal": "FULL-INTERNAL our own note",
    "full_shared": "FULL-SHARED family visited",
    "feedback_internal": "FEEDBACK-INTERNAL mission memo",
}


@dataclass
class Followed:
    """One case of ``owner`` followed by a full partner (NGO), a feedback partner (mission),
    a relocation partner (shelter city); and a stranger organisation."""

    case: Any
    owner: Any
    owner_viewer: Any
    full: Any
    feedback: Any
    relocation: Any
    stranger: Any
    entries: dict


@pytest.fixture
def case(org, officer):
    """A case of ``org`` led by ``officer`` (the fixtures of tests/conftest.py)."""
    return CaseFactory(organisation=org, lead_officer=officer)


def log(case, user, visibility="internal", kind="note", summary="Called the lawyer.", **kw):
    return entry_create(
        case=case, kind=kind, summary=summary, visibility=visibility, acting_user=user, **kw
    )


def followed_case(owner_org=None, owner_user=None) -> Followed:
    owner_org = owner_org or OrganisationFactory(name="Owner mission")
    owner = owner_user or UserFactory(organisation=owner_org, role=Role.OFFICER)
    case = CaseFactory(organisation=owner_org, lead_officer=owner)
    full_org = OrganisationFactory(name="Full NGO", kind=Organisation.Kind.NGO)
    feedback_org = OrganisationFactory(name="Feedback mission")
    relocation_org = OrganisationFactory(name="Shelter city", kind=Organisation.Kind.SHELTER_CITY)
    share_case(case, full_org, "full", acting_user=owner)
    share_case(case, feedback_org, "feedback", acting_user=owner)
    share_case(case, relocation_org, "relocation", acting_user=owner)
    full = UserFactory(organisation=full_org, role=Role.OFFICER)
    feedback = UserFactory(organisation=feedback_org, role=Role.OFFICER)
    relocation = UserFactory(organisation=relocation_org, role=Role.ADMIN)
    stranger = UserFactory(organisation=OrganisationFactory(name="Stranger"), role=Role.ADMIN)
    entries = {
        "owner_internal": log(case, owner, "internal", summary=TEXTS["owner_internal"]),
        "owner_shared": log(case, owner, "shared", summary=TEXTS["owner_shared"]),
        "full_internal": log(case, full, "internal", summary=TEXTS["full_internal"]),
        "full_shared": log(case, full, "shared", summary=TEXTS["full_shared"]),
        "feedback_internal": log(case, feedback, "internal", summary=TEXTS["feedback_internal"]),
    }
    return Followed(
        case=case,
        owner=owner,
        owner_viewer=UserFactory(organisation=owner_org, role=Role.VIEWER),
        full=full,
        feedback=feedback,
        relocation=relocation,
        stranger=stranger,
        entries=entries,
    )


#: who sees which entry (the whole visibility matrix)
EXPECTED = {
    "owner": {"owner_internal", "owner_shared", "full_shared"},
    "owner_viewer": {"owner_internal", "owner_shared", "full_shared"},
    "full": {"owner_shared", "full_internal", "full_shared"},
    "feedback": {"owner_shared", "full_shared", "feedback_internal"},
    "relocation": set(),
    "stranger": set(),
}


def demarche(case, user, **kw):
    defaults = {
        "type": "demarche",
        "authority": "Ministry of Foreign Affairs",
        "taken_on": datetime.date(2026, 3, 5),
        "status": "done",
        "outcome": "OUTCOME promised an answer",
    }
    defaults.update(kw)
    return action_create(case=case, acting_user=user, **defaults)
