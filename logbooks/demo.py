"""Fictional logbook entries and diplomatic actions on the demo cases (``manage.py seed_demo``,
after ``cases.demo``). Idempotent: a case that already has entries is left alone."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from cases.models import Case
from logbooks.models import LogEntry
from logbooks.services.actions import action_answer, action_create, action_invite
from logbooks.services.entries import entry_create


def _user(local: str) -> User | None:
    return User.objects.filter(email__startswith=local + "@").first()


def _case(user: User, pseudonym: str) -> Case | None:
    return Case.objects.owned_by(user.organisation).filter(pseudonym=pseudonym).first()


def _at(days_ago: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@transaction.atomic
def seed() -> None:
    ana, lucia, ola, no_admin = (
        _user("ana.officer"),
        _user("lucia.caseworker"),
        _user("ola.officer"),
        _user("no.admin"),
    )
    if ana is None:
        return
    ceiba = _case(ana, "Ceiba")
    if ceiba is None or LogEntry.objects.unscoped().filter(case=ceiba).exists():
        return
    today = timezone.localdate()
    entry_create(
        case=ceiba,
        kind="meeting",
        summary="Met Ceiba with the community council; threats by pamphlet continue weekly.",
        visibility="internal",
        occurred_at=_at(12),
        acting_user=ana,
    )
    entry_create(
        case=ceiba,
        kind="trial_observation",
        summary="Observed the preliminary hearing in Popayán; hearing postponed, next date "
        "to be set. Visible presence of three missions.",
        visibility="shared",
        occurred_at=_at(6),
        follow_up_on=today + datetime.timedelta(days=7),
        acting_user=ana,
    )
    if lucia is not None:
        entry_create(
            case=ceiba,
            kind="feedback_to_cso",
            summary="Voces Seguras: the family asks that missions keep visiting; no public "
            "statement for now.",
            visibility="shared",
            occurred_at=_at(4),
            acting_user=lucia,
        )
    demarche = action_create(
        case=ceiba,
        type="demarche",
        authority="Ministry of Foreign Affairs, human rights desk",
        taken_on=today - datetime.timedelta(days=3),
        status="done",
        outcome="The desk promised to ask the Cauca police for a protection assessment.",
        outcome_shared=True,
        acting_user=ana,
    )
    norway = Organisation.objects.filter(code="NOR-CO").first()
    if norway is not None:
        action_invite(action=demarche, organisation=norway, acting_user=ana)
        if no_admin is not None:
            action_answer(action=demarche, accept=True, acting_user=no_admin)
    if ola is not None:
        action_create(
            case=ceiba,
            type="formal_enquiry",
            authority="Attorney General's Office",
            taken_on=today - datetime.timedelta(days=1),
            status="done",
            outcome="Asked about the investigation into the pamphlets.",
            acting_user=ola,
        )
    # A joint démarche on a case Norway does not follow: it sees the action, not the case.
    guayacan = _case(ana, "Guayacán")
    if guayacan is not None and norway is not None:
        joint = action_create(
            case=guayacan,
            type="informal_approach",
            authority="Presidential human rights adviser",
            taken_on=today + datetime.timedelta(days=5),
            status="planned",
            acting_user=ana,
        )
        action_invite(action=joint, organisation=norway, acting_user=ana)
