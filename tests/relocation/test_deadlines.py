"""Issue 20, items 1 and 2: service levels per urgency (each organisation's, its admins set
them: audited, validated), the deadline on every answer a request waits for (the review, each
visa decision — working days for an emergency —, each shelter answer, each grant decision),
the receiving side's queues sorted by deadline, the notifications saying urgency and
deadline; reminders at half the time and escalation past it, once per step (the clock moved,
never slept)."""

from __future__ import annotations

import datetime
import importlib
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Role
from accounts.timezones import zone
from alerts.models import Notification
from alerts.services.sweep import sweep
from hrdcase.models import AuditEvent
from relocation.models import RelocationSettings, Urgency
from relocation.selectors.grants import grants_inbox_for
from relocation.selectors.requests import requests_for
from relocation.selectors.shelter import city_inbox_for
from relocation.selectors.visa import visa_queue_for
from relocation.services.deadlines import add_working_days, end_of_day, format_due
from relocation.services.grants import grant_decide
from relocation.services.requests import request_create, request_update
from relocation.services.settings import service_levels_update
from relocation.services.shelter import shelter_answer, shelter_referral_create
from relocation.services.visa import visa_referral_create
from tests.conftest import verified_client
from tests.factories import (
    CaseFactory,
    NetworkFactory,
    OrganisationFactory,
    UserFactory,
    share_case,
)
from tests.relocation import factories as f
from work.selectors.home import request_items

pytestmark = pytest.mark.django_db

LEVELS = {
    "emergency_review_hours": 24,
    "emergency_visa_days": 3,
    "emergency_shelter_hours": 36,
    "emergency_grant_hours": 12,
    "urgent_review_hours": 72,
    "urgent_visa_days": 4,
    "urgent_shelter_hours": 96,
    "urgent_grant_hours": 100,
    "routine_review_hours": 200,
    "routine_shelter_hours": 300,
    "routine_grant_hours": 400,
}


# --- service levels ----------------------------------------------------------------------------


def test_the_defaults_are_the_issues():
    row = RelocationSettings()
    assert (row.emergency_review_hours, row.emergency_shelter_hours, row.emergency_grant_hours) == (
        48,
        48,
        48,
    )
    assert row.emergency_visa_days == 2  # working days
    assert (row.urgent_review_hours, row.urgent_visa_days) == (120, 5)
    assert (row.routine_review_hours, row.visa_service_days) == (240, 10)


def test_an_admin_sets_the_service_levels_on_the_settings_page_audited(the_mission):
    admin = f.staff(the_mission, role=Role.ADMIN)
    client = verified_client(admin)
    page = client.get(reverse("relocation:settings"))
    assert page.status_code == 200 and "Deadlines by urgency" in page.content.decode()
    response = client.post(reverse("relocation:settings"), {"form": "levels", **LEVELS})
    assert response.status_code == 302
    row = RelocationSettings.objects.owned_by(the_mission).get()
    assert {name: getattr(row, name) for name in LEVELS} == LEVELS
    event = AuditEvent.objects.filter(action="relocation.service_levels_update").get()
    assert event.data["before"]["emergency_review_hours"] == 48
    assert event.data["after"]["emergency_review_hours"] == 24


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("emergency_review_hours", 0),
        ("urgent_shelter_hours", 90 * 24 + 1),
        ("emergency_visa_days", 61),
        ("routine_grant_hours", "soon"),
    ],
)
def test_a_bad_service_level_is_refused_and_the_form_says_which(the_mission, name, value):
    client = verified_client(f.staff(the_mission, role=Role.ADMIN))
    bad = client.post(reverse("relocation:settings"), {"form": "levels", **LEVELS, name: value})
    assert bad.status_code == 400 and name in bad.context["levels_form"].errors
    assert not RelocationSettings.objects.owned_by(the_mission).exists()


def test_the_service_refuses_other_organisations_officers_and_unknown_levels(
    the_mission, mission_officer, ngo_admin
):
    with pytest.raises(PermissionDenied):
        service_levels_update(organisation=the_mission, acting_user=mission_officer, **LEVELS)
    with pytest.raises(PermissionDenied):
        service_levels_update(organisation=the_mission, acting_user=ngo_admin, **LEVELS)
    admin = f.staff(the_mission, role=Role.ADMIN)
    with pytest.raises(ValidationError) as refused:
        service_levels_update(organisation=the_mission, acting_user=admin, visa_service_days=1)
    assert "visa_service_days" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        service_levels_update(organisation=the_mission, acting_user=admin, urgent_grant_hours=0)
    assert "urgent_grant_hours" in refused.value.message_dict


def test_officers_cannot_set_service_levels_on_the_page(mission_officer):
    client = verified_client(mission_officer)
    assert (
        client.post(reverse("relocation:settings"), {"form": "levels", **LEVELS}).status_code == 403
    )


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (datetime.date(2026, 12, 3), 2, datetime.date(2026, 12, 7)),  # Thursday -> Monday
        (datetime.date(2026, 12, 4), 2, datetime.date(2026, 12, 8)),  # Friday -> Tuesday
        (datetime.date(2026, 12, 5), 2, datetime.date(2026, 12, 8)),  # Saturday -> Tuesday
        (datetime.date(2026, 12, 7), 2, datetime.date(2026, 12, 9)),  # Monday -> Wednesday
        (datetime.date(2026, 12, 7), 5, datetime.date(2026, 12, 14)),
    ],
)
def test_working_days_skip_the_weekend(start, days, expected):
    assert add_working_days(start, days) == expected


# --- deadlines set when the request is submitted or the referral made --------------------------

HOUR = datetime.timedelta(hours=1)
#: Friday 4 December 2026, 10:00 UTC: an emergency visa decision is due by Tuesday's end.
FRIDAY = datetime.datetime(2026, 12, 4, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def at_friday():
    with mock.patch("django.utils.timezone.now", return_value=FRIDAY):
        yield FRIDAY


@pytest.fixture
def the_city(db):
    today = datetime.date(2026, 12, 4)
    return f.city(
        name="Shelter City Utrecht",
        code="UTR",
        periods=[(today, today + datetime.timedelta(days=200), 3)],
    )


@pytest.fixture
def grantor(db):
    return f.grantor(name="Protection Fund", code="FUND", kind=Organisation.Kind.NGO)


def _subjects(user) -> list[str]:
    return [n.subject for n in Notification.objects.for_recipient(user)]


def test_an_emergency_submission_gives_the_reviewer_48_hours_and_says_so(
    at_friday, ngo, ngo_officer, ngo_admin
):
    owner = OrganisationFactory(name="Owner NGO", code="OWN")
    owner_officer = f.staff(owner)
    case = CaseFactory(organisation=owner, pseudonym="Guayacan")
    share_case(case, ngo)
    req = request_create(
        case=case,
        acting_user=ngo_officer,
        support=["emergency_shelter"],
        urgency="emergency",
        submit=True,
    )
    assert req.review_due_at == FRIDAY + 48 * HOUR
    assert req.review_remind_at == FRIDAY + 24 * HOUR
    assert _subjects(owner_officer) == [
        "Relocation request for Guayacan: Submitted (Emergency (within 48 hours), answer due "
        f"{format_due(FRIDAY + 48 * HOUR)})"
    ]
    # Made routine before the review starts: the deadline moves, still from the submission.
    req = request_update(relocation_request=req, acting_user=ngo_officer, urgency="routine")
    assert req.review_due_at == FRIDAY + 240 * HOUR


def test_the_reviewers_own_service_level_counts(at_friday, consented_case, ngo, ngo_officer):
    admin = f.staff(ngo, role=Role.ADMIN)
    service_levels_update(organisation=ngo, acting_user=admin, urgent_review_hours=30)
    req = request_create(
        case=consented_case, acting_user=ngo_officer, support=["emergency_grant"], submit=True
    )
    assert req.review_due_at == FRIDAY + 30 * HOUR


@pytest.mark.parametrize(
    ("urgency", "deadline"),
    [
        ("emergency", datetime.date(2026, 12, 8)),  # 2 working days: Friday -> Tuesday
        ("urgent", datetime.date(2026, 12, 9)),  # 5 days
        ("routine", datetime.date(2026, 12, 14)),  # the mission's 10 days
    ],
)
def test_a_visa_decision_is_due_by_the_urgency(
    at_friday, consented_case, ngo_officer, the_mission, mission_officer, urgency, deadline
):
    req = f.approved_request(consented_case, ngo_officer, urgency=urgency)
    referral = visa_referral_create(
        relocation_request=req,
        mission=the_mission,
        visa_type="humanitarian",
        acting_user=ngo_officer,
        requested_on=datetime.date(2026, 12, 4),
    )
    assert referral.deadline == deadline
    assert referral.due_at == end_of_day(deadline, zone(the_mission.time_zone))
    assert referral.remind_at == FRIDAY + (referral.due_at - FRIDAY) / 2
    label = dict(Urgency.choices)[urgency]
    assert _subjects(mission_officer) == [
        f"Visa referral for Ceiba: new referral ({label}, answer due {format_due(referral.due_at)})"
    ]


def test_a_shelter_answer_and_a_grant_decision_follow_their_addressees_levels(
    at_friday, consented_case, ngo_officer, the_city, grantor
):
    service_levels_update(
        organisation=the_city,
        acting_user=f.staff(the_city, role=Role.ADMIN),
        emergency_shelter_hours=24,
    )
    req = f.approved_request(consented_case, ngo_officer, urgency="emergency")
    stay = shelter_referral_create(
        relocation_request=req,
        city=the_city,
        start=datetime.date(2026, 12, 10),
        end=datetime.date(2027, 1, 10),
        acting_user=ngo_officer,
    )
    assert (stay.due_at, stay.remind_at) == (FRIDAY + 24 * HOUR, FRIDAY + 12 * HOUR)
    grant = f.grant(req, grantor, ngo_officer)
    assert grant.due_at == FRIDAY + 48 * HOUR  # the grantor's default
    event = AuditEvent.objects.filter(action="relocation.grant_create").get()
    assert event.data["urgency"] == "emergency"
    assert event.data["due_at"] == (FRIDAY + 48 * HOUR).isoformat()


def test_the_migration_gives_answers_awaited_before_deadlines_theirs(
    at_friday, ngo, ngo_officer, consented_case, the_mission, the_city, grantor
):
    """Rows created before migration 0005 have no deadline: 0009 computes it from their
    creation and the addressee's service level, as the services would have."""
    service_levels_update(
        organisation=the_city,
        acting_user=f.staff(the_city, role=Role.ADMIN),
        emergency_shelter_hours=24,
    )
    owner = OrganisationFactory(name="Owner NGO", code="OWN")
    shared = CaseFactory(organisation=owner, pseudonym="Guayacan")
    share_case(shared, ngo)
    waiting = request_create(
        case=shared,
        acting_user=ngo_officer,
        support=["emergency_shelter"],
        urgency="emergency",
        submit=True,
    )
    req = f.approved_request(consented_case, ngo_officer, urgency="emergency")
    visa = visa_referral_create(
        relocation_request=req,
        mission=the_mission,
        visa_type="humanitarian",
        acting_user=ngo_officer,
    )
    stay = shelter_referral_create(
        relocation_request=req,
        city=the_city,
        start=datetime.date(2026, 12, 10),
        end=datetime.date(2027, 1, 10),
        acting_user=ngo_officer,
    )
    grant = f.grant(req, grantor, ngo_officer)
    rows = [waiting, visa, stay, grant]
    expected = [_deadline_fields(row) for row in rows]
    for row in rows:  # as before migration 0005
        type(row).objects.unscoped().filter(pk=row.pk).update(
            created_at=FRIDAY, **dict.fromkeys(_deadline_fields(row), None)
        )

    migration = importlib.import_module("relocation.migrations.0009_backfill_deadlines")
    state = MigrationLoader(connection).project_state(("relocation", "0009_backfill_deadlines"))
    migration.backfill(state.apps, None)

    for row, before in zip(rows, expected, strict=True):
        row.refresh_from_db()
        assert _deadline_fields(row) == before
    assert stay.due_at == FRIDAY + 24 * HOUR  # the city's own level


def _deadline_fields(row) -> dict:
    names = (
        ("review_due_at", "review_remind_at")
        if hasattr(row, "review_due_at")
        else (
            "due_at",
            "remind_at",
        )
    )
    return {name: getattr(row, name) for name in names}


# --- the receiving side's queues: by deadline, with the urgency ---------------------------------


def _case(ngo, ngo_officer, pseudonym):
    case = CaseFactory(organisation=ngo, pseudonym=pseudonym)
    f.give_relocation_consent(case, ngo_officer)
    return case


def test_the_missions_queue_puts_the_emergency_on_top_and_says_it(
    at_friday, ngo, ngo_officer, the_mission, mission_officer
):
    for pseudonym, urgency in (("P-routine", "routine"), ("P-emergency", "emergency")):
        visa_referral_create(
            relocation_request=f.approved_request(
                _case(ngo, ngo_officer, pseudonym), ngo_officer, urgency=urgency
            ),
            mission=the_mission,
            visa_type="humanitarian",
            acting_user=ngo_officer,
        )
    rows = list(visa_queue_for(mission_officer))
    assert [r.case.pseudonym for r in rows] == ["P-emergency", "P-routine"]
    body = verified_client(mission_officer).get(reverse("relocation:visa_queue")).content.decode()
    assert body.index("P-emergency") < body.index("P-routine")
    assert "Emergency (within 48 hours)" in body and "Routine (weeks)" in body


def test_the_grantors_and_the_citys_inboxes_are_sorted_by_deadline_and_flag_the_overdue(
    at_friday, ngo, ngo_officer, the_city, grantor
):
    grantor_officer = f.staff(grantor)
    city_officer = f.staff(the_city)
    for pseudonym, urgency in (("P-urgent", "urgent"), ("P-emergency", "emergency")):
        req = f.approved_request(_case(ngo, ngo_officer, pseudonym), ngo_officer, urgency=urgency)
        f.grant(req, grantor, ngo_officer)
        shelter_referral_create(
            relocation_request=req,
            city=the_city,
            start=datetime.date(2026, 12, 10),
            end=datetime.date(2027, 1, 10),
            acting_user=ngo_officer,
        )
    # The newest (the emergency) first in both: its deadline is the nearest.
    assert [g.case.pseudonym for g in grants_inbox_for(grantor_officer)] == [
        "P-emergency",
        "P-urgent",
    ]
    assert [r.case.pseudonym for r in city_inbox_for(city_officer)] == ["P-emergency", "P-urgent"]
    for officer, route in ((grantor_officer, "grants_inbox"), (city_officer, "city_inbox")):
        body = verified_client(officer).get(reverse(f"relocation:{route}")).content.decode()
        assert body.index("P-emergency") < body.index("P-urgent")
        assert "Emergency (within 48 hours)" in body and "overdue" not in body
    with mock.patch("django.utils.timezone.now", return_value=FRIDAY + 49 * HOUR):
        body = verified_client(grantor_officer).get(reverse("relocation:grants_inbox"))
        assert body.content.decode().count(">overdue<") == 1


def test_home_shows_the_review_by_its_real_deadline(at_friday, ngo, ngo_officer):
    """Home's queue reads the deadline the submission set (it guessed it from the urgency)."""
    owner = OrganisationFactory(name="Owner NGO", code="OWN")
    owner_officer = f.staff(owner)
    service_levels_update(
        organisation=owner, acting_user=f.staff(owner, role=Role.ADMIN), emergency_review_hours=100
    )
    case = CaseFactory(organisation=owner, pseudonym="Guayacan")
    share_case(case, ngo)
    request_create(
        case=case,
        acting_user=ngo_officer,
        support=["emergency_shelter"],
        urgency="emergency",
        submit=True,
    )
    [item] = request_items(owner_officer, FRIDAY.date()).items
    assert item.due == timezone.localdate(FRIDAY + 100 * HOUR)


# --- reminders at half the time, escalation past the deadline (the clock moved) ---------------


def _sweep_at(hours: float, minutes: float = 0) -> None:
    sweep(now=FRIDAY + datetime.timedelta(hours=hours, minutes=minutes))


def _kinds(user, kind: str) -> list[Notification]:
    return list(Notification.objects.for_recipient(user).filter(kind=kind))


@pytest.fixture
def grantor_people(grantor):
    other = OrganisationFactory(kind="secretariat", name="Network secretariat", code="SEC")
    NetworkFactory(members=[grantor, other])
    return {
        "officer": f.staff(grantor),
        "admin": f.staff(grantor, role=Role.ADMIN),
        "coordinator": UserFactory(organisation=other, role=Role.COORDINATOR),
    }


def _emergency_grant(case, ngo_officer, grantor):
    with mock.patch("django.utils.timezone.now", return_value=FRIDAY):
        req = f.approved_request(case, ngo_officer, urgency="emergency")
        return f.grant(req, grantor, ngo_officer)


def test_an_emergency_grant_is_reminded_at_half_time_then_escalated_once_per_step(
    consented_case, ngo_officer, grantor, grantor_people
):
    grant = _emergency_grant(consented_case, ngo_officer, grantor)
    officer, admin, coordinator = (
        grantor_people["officer"],
        grantor_people["admin"],
        grantor_people["coordinator"],
    )
    _sweep_at(23, 59)
    assert _kinds(officer, "answer_due") == []
    _sweep_at(24)
    _sweep_at(30)  # a later sweep: still one reminder
    [reminder] = _kinds(officer, "answer_due")
    assert reminder.subject == (
        "Answer due: grant decision for Ceiba (Emergency (within 48 hours), due "
        f"{format_due(grant.due_at)})"
    )
    assert reminder.url == reverse("relocation:grant_detail", args=[grant.pk])
    assert len(_kinds(admin, "answer_due")) == 1  # the admins are writers too
    # Past the deadline: the grantor's policy, counted from the deadline (15 min: admins).
    _sweep_at(48, 14)
    assert _kinds(admin, "answer_overdue") == []
    _sweep_at(48, 15)
    _sweep_at(48, 30)
    [escalation] = _kinds(admin, "answer_overdue")
    assert escalation.subject.startswith(
        "Overdue: grant decision for Ceiba at Protection Fund (Emergency (within 48 hours)"
    )
    assert escalation.url == reverse("relocation:grant_detail", args=[grant.pk])
    assert _kinds(officer, "answer_overdue") == [] and _kinds(coordinator, "answer_overdue") == []
    # After an hour: the coordinators of its networks, without a link (they cannot open it).
    _sweep_at(49)
    _sweep_at(60)
    [to_coordinator] = _kinds(coordinator, "answer_overdue")
    assert to_coordinator.url == "" and "Protection Fund" in to_coordinator.subject
    assert len(_kinds(admin, "answer_overdue")) == 1


def test_an_answer_given_in_time_is_neither_reminded_nor_escalated(
    consented_case, ngo_officer, grantor, grantor_people
):
    grant = _emergency_grant(consented_case, ngo_officer, grantor)
    grant_decide(grant=grant, decision="approved", acting_user=grantor_people["officer"])
    for hours in (24, 49, 60):
        _sweep_at(hours)
    for person in grantor_people.values():
        assert _kinds(person, "answer_due") == [] and _kinds(person, "answer_overdue") == []


def test_a_waitlisted_stay_and_a_frozen_or_older_overdue_answer_are_left_alone(
    consented_case, ngo, ngo_officer, the_city
):
    city_admin = f.staff(the_city, role=Role.ADMIN)
    with mock.patch("django.utils.timezone.now", return_value=FRIDAY):
        req = f.approved_request(consented_case, ngo_officer, urgency="emergency")
        stay = shelter_referral_create(
            relocation_request=req,
            city=the_city,
            start=datetime.date(2026, 12, 10),
            end=datetime.date(2027, 1, 10),
            acting_user=ngo_officer,
        )
    shelter_answer(referral=stay, answer="waitlisted", acting_user=city_admin)
    _sweep_at(24)
    _sweep_at(50)
    assert _kinds(city_admin, "answer_due") == [] and _kinds(city_admin, "answer_overdue") == []
    # Overdue for longer than the longest policy step: out of the sweep's window.
    _sweep_at(48 + 9 * 24)
    assert _kinds(city_admin, "answer_overdue") == []


def test_a_review_and_an_emergency_visa_escalate_to_the_owing_organisations_admins(
    ngo, ngo_officer, the_mission
):
    owner = OrganisationFactory(name="Owner NGO", code="OWN")
    owner_admin = f.staff(owner, role=Role.ADMIN)
    mission_admin = f.staff(the_mission, role=Role.ADMIN)
    case = CaseFactory(organisation=owner, pseudonym="Guayacan")
    share_case(case, ngo)
    f.give_relocation_consent(case, f.staff(owner))
    with mock.patch("django.utils.timezone.now", return_value=FRIDAY):
        request_create(
            case=case,
            acting_user=ngo_officer,
            support=["short_stay_visa"],
            urgency="emergency",
            submit=True,
        )
        other = CaseFactory(organisation=ngo, pseudonym="Ceiba")
        f.give_relocation_consent(other, ngo_officer)
        visa = visa_referral_create(
            relocation_request=f.approved_request(other, ngo_officer, urgency="emergency"),
            mission=the_mission,
            visa_type="humanitarian",
            acting_user=ngo_officer,
            requested_on=FRIDAY.date(),
        )
    _sweep_at(24)
    [reminder] = _kinds(owner_admin, "answer_due")
    assert reminder.subject.startswith("Answer due: review of a relocation request for Guayacan")
    _sweep_at(48, 15)
    [late_review] = _kinds(owner_admin, "answer_overdue")
    assert "review of a relocation request for Guayacan at Owner NGO" in late_review.subject
    # The visa decision: 2 working days from Friday, due at the end of Tuesday.
    assert visa.due_at == end_of_day(datetime.date(2026, 12, 8), zone(the_mission.time_zone))
    sweep(now=visa.due_at + datetime.timedelta(minutes=14))
    assert _kinds(mission_admin, "answer_overdue") == []
    sweep(now=visa.due_at + datetime.timedelta(minutes=15))
    [late_visa] = _kinds(mission_admin, "answer_overdue")
    assert late_visa.subject.startswith("Overdue: visa decision for Ceiba at Embassy of NL")
    assert _kinds(mission_admin, "answer_due") == []  # a visa keeps its own day reminders


def test_the_api_gives_the_addressee_the_urgency_and_the_deadline(
    at_friday, consented_case, ngo_officer, the_mission, mission_officer, grantor
):
    req = f.approved_request(consented_case, ngo_officer, urgency="emergency")
    visa = visa_referral_create(
        relocation_request=req,
        mission=the_mission,
        visa_type="humanitarian",
        acting_user=ngo_officer,
        requested_on=FRIDAY.date(),
    )
    client = verified_client(mission_officer)
    [row] = client.get(reverse("api:relocation-visa-list")).json()["results"]
    assert row["urgency"] == "emergency"
    assert row["due_at"].startswith("2026-12-0") and row["id"] == str(visa.pk)
    detail = client.get(reverse("api:relocation-visa-detail", args=[visa.pk])).json()
    assert (detail["urgency"], detail["deadline"]) == ("emergency", "2026-12-08")


def test_the_reviewers_list_puts_the_nearest_review_deadline_first(at_friday, ngo, ngo_officer):
    owner = OrganisationFactory(name="Owner NGO", code="OWN")
    owner_officer = f.staff(owner)
    for pseudonym, urgency in (("P-routine", "routine"), ("P-emergency", "emergency")):
        case = CaseFactory(organisation=owner, pseudonym=pseudonym)
        share_case(case, ngo)
        request_create(
            case=case,
            acting_user=ngo_officer,
            support=["emergency_shelter"],
            urgency=urgency,
            submit=True,
        )
    rows = list(requests_for(owner_officer, side="review"))
    assert [r.case.pseudonym for r in rows] == ["P-emergency", "P-routine"]
    page = verified_client(owner_officer).get(reverse("relocation:list"), {"side": "review"})
    body = page.content.decode()
    assert body.index("P-emergency") < body.index("P-routine")
    assert "review, due" in body
