"""A world where every source of Home has something for someone: a mission (Embassy A, the
``org`` of tests/conftest.py, with its officer, viewer and admin), an NGO that is both a
feedback partner of the mission and a requester of relocation, a shelter city, a second
mission, and a coordinator of a network they all belong to; and, outside, an organisation
that must see none of it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Organisation, Role
from alerts.services.alerts import alert_raise
from cases.models import CoordinationRequest, Task
from cases.services.detention import hearing_add
from cases.services.task import task_create
from logbooks.services.actions import action_create, action_invite
from logbooks.services.entries import entry_create
from relocation.models import RequestStatus
from relocation.services.grants import grant_request_create
from relocation.services.shelter import shelter_referral_create
from relocation.services.visa import visa_referral_create
from tests.factories import (
    CaseFactory,
    NetworkFactory,
    OrganisationFactory,
    RiskAssessmentFactory,
    UserFactory,
    record_detention,
    share_case,
)
from tests.relocation import factories as reloc

#: the defender's legal name on the mission's cases: never on Home, the calendar or the feed.
LEGAL_NAME = "Maria Legalname Secreta"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@dataclass
class World:
    org: Any
    officer: Any
    viewer: Any
    admin: Any
    ngo: Any
    ngo_officer: Any
    city: Any
    city_staff: Any
    other_mission: Any
    other_officer: Any
    coordinator: Any
    outsider: Any
    case: Any
    tasks: dict
    objects: dict


def overdue(task: Task, by_days: int) -> Task:
    # unscoped: test set-up of a task long overdue (the form refuses a past due date).
    Task.objects.unscoped().filter(pk=task.pk).update(due_on=days(-by_days))
    task.refresh_from_db()
    return task


def build_world(org, officer, viewer, admin_user) -> World:
    objects: dict[str, Any] = {}
    ngo = OrganisationFactory(name="Defenders NGO", code="NGOW", kind=Organisation.Kind.NGO)
    ngo_officer = UserFactory(organisation=ngo, role=Role.OFFICER, email="worker@ngo.example")
    city = reloc.city(name="Shelter City Utrecht", code="UTR", periods=[(days(-30), days(400), 5)])
    city_staff = UserFactory(organisation=city, role=Role.OFFICER, email="staff@city.example")
    other_mission = OrganisationFactory(name="Embassy C", code="CCC")
    other_officer = UserFactory(organisation=other_mission, role=Role.OFFICER)
    secretariat = OrganisationFactory(name="Network secretariat", code="SEC")
    coordinator = UserFactory(organisation=secretariat, role=Role.COORDINATOR)
    NetworkFactory(name="Andes network", members=[org, ngo, other_mission, secretariat])
    outsider_org = OrganisationFactory(name="Prying mission", code="PRY")
    outsider = UserFactory(organisation=outsider_org, role=Role.ADMIN)

    # The mission's own case: an alert, a detention with a hearing this week and its
    # benchmark plan, a risk review due, tasks; shared with the NGO for feedback.
    case = CaseFactory(
        organisation=org,
        lead_officer=officer,
        pseudonym="Ceiba",
        reference="AAA-2026-0001",
        defender__legal_name=LEGAL_NAME,
    )
    objects["alert"] = alert_raise(
        case=case, kind="detained", message="Taken at the checkpoint.", acting_user=officer
    )
    detention = record_detention(case, acting_user=officer, detained_since=days(-3))
    objects["hearing"] = hearing_add(
        detention=detention, date=days(2), court="Court of Bogotá", acting_user=officer
    )
    RiskAssessmentFactory(case=case, next_review_date=days(1))
    share_case(case, ngo, "feedback", acting_user=officer)
    tasks = {
        "mine_overdue": overdue(
            task_create(
                case=case,
                title="Call the lawyer back",
                due_on=days(0),
                assignee=officer,
                acting_user=officer,
            ),
            40,
        ),
        "unassigned_today": task_create(
            title="Renew the accompaniment roster", due_on=days(0), acting_user=officer
        ),
        "admin_s": task_create(
            case=case,
            title="Brief the ambassador",
            due_on=days(1),
            assignee=admin_user,
            acting_user=officer,
        ),
        "later": task_create(
            case=case, title="Prepare the annual report", due_on=days(40), acting_user=officer
        ),
    }
    # A partner's shared entry on the mission's case: unread by the mission's people.
    objects["entry"] = entry_create(
        case=case,
        kind="note",
        summary="The family visited.",
        visibility="shared",
        acting_user=ngo_officer,
    )
    # ...and the mission's shared entry, unread by the NGO.
    objects["mission_entry"] = entry_create(
        case=case,
        kind="note",
        summary="Hearing moved.",
        visibility="shared",
        acting_user=officer,
    )

    # The NGO's own case asks for relocation: a visa referral to the mission, a stay in the
    # city, a grant from the mission; and a request on the mission's case for its review.
    ngo_case = CaseFactory(organisation=ngo, pseudonym="Guadua", reference="NGOW-2026-0001")
    reloc.give_relocation_consent(ngo_case, ngo_officer)
    request = reloc.approved_request(ngo_case, ngo_officer)
    objects["visa"] = visa_referral_create(
        relocation_request=request, mission=org, visa_type="humanitarian", acting_user=ngo_officer
    )
    objects["stay"] = shelter_referral_create(
        relocation_request=request,
        city=city,
        start=days(20),
        end=days(100),
        acting_user=ngo_officer,
    )
    reloc.offers_grants(org)
    objects["grant"] = grant_request_create(
        relocation_request=request,
        grantor=org,
        purpose="urgent_relocation",
        amount=Decimal("800"),
        currency="EUR",
        acting_user=ngo_officer,
    )
    reviewed = CaseFactory(organisation=org, pseudonym="Yarumo", reference="AAA-2026-0002")
    share_case(reviewed, ngo, "full", acting_user=officer)
    reloc.give_relocation_consent(reviewed, officer)
    objects["request"] = reloc.make_request(reviewed, ngo_officer, status=RequestStatus.SUBMITTED)

    # The other mission invites Embassy A to a joint action and shares a case with it; a
    # coordination request from it reaches Embassy A.
    other_case = CaseFactory(organisation=other_mission, pseudonym="Nogal")
    action = action_create(
        case=other_case,
        type="trial_observation",
        authority="Tribunal of Cali",
        taken_on=days(5),
        acting_user=other_officer,
    )
    action_invite(action=action, organisation=org, acting_user=other_officer)
    objects["action"] = action
    objects["share"] = share_case(
        CaseFactory(organisation=other_mission, pseudonym="Roble"),
        org,
        "full",
        acting_user=other_officer,
    )
    objects["coordination"] = CoordinationRequest.objects.create(
        organisation=other_mission,
        case=CaseFactory(organisation=org, pseudonym="Cedro"),
        requester_case=other_case,
        holder=org,
        requested_by=other_officer,
        message="Shall we coordinate?",
    )
    return World(
        org=org,
        officer=officer,
        viewer=viewer,
        admin=admin_user,
        ngo=ngo,
        ngo_officer=ngo_officer,
        city=city,
        city_staff=city_staff,
        other_mission=other_mission,
        other_officer=other_officer,
        coordinator=coordinator,
        outsider=outsider,
        case=case,
        tasks=tasks,
        objects=objects,
    )


@pytest.fixture
def world(org, officer, viewer, admin_user) -> World:
    return build_world(org, officer, viewer, admin_user)
