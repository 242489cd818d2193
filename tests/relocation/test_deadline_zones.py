"""A visa decision is owed until the end of the deadline day where the mission works (the
review of 2026-12-07): an NGO in Kiritimati (UTC+14) referring to a consulate in Honolulu
(UTC-10) made it overdue at the start of the consulate's deadline day, and the sweep (UTC)
called a decision overdue with nine hours of its day left."""

from __future__ import annotations

import datetime
import importlib
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from accounts.models import Role, User
from alerts.models import Notification
from alerts.services.sweep import sweep
from hrdcase.models import AuditEvent
from relocation.models import STAY_ENDING_DAYS, VisaReferral
from relocation.selectors.visa import visa_deadlines_due
from relocation.services.visa import visa_decide, visa_referral_create
from tests.relocation import factories as f

pytestmark = pytest.mark.django_db

HONOLULU = ZoneInfo("Pacific/Honolulu")
KIRITIMATI = ZoneInfo("Pacific/Kiritimati")
MONDAY = datetime.datetime(2026, 12, 28, 20, 0, tzinfo=datetime.UTC)


def _at(day: int, hour: int) -> datetime.datetime:
    """December 2026 (or 1 January 2027 for day 32), ``hour`` o'clock in Honolulu."""
    date = datetime.date(2026, 12, 1) + datetime.timedelta(days=day - 1)
    return datetime.datetime.combine(date, datetime.time(hour), HONOLULU).astimezone(datetime.UTC)


@pytest.fixture
def consulate(db):
    mission = f.mission(name="Consulate HNL", code="HNL", time_zone="Pacific/Honolulu")
    f.staff(mission)
    f.staff(mission, role=Role.ADMIN)
    return mission


@pytest.fixture
def referral(consented_case, ngo_officer, consulate):
    """An emergency referral made from Kiritimati on Monday 28 December: deadline Wednesday."""
    request = f.approved_request(consented_case, ngo_officer, urgency="emergency")
    # on the asker's page: its zone is the one active
    with (
        mock.patch("django.utils.timezone.now", return_value=MONDAY),
        timezone.override(KIRITIMATI),
    ):
        return visa_referral_create(
            relocation_request=request,
            mission=consulate,
            visa_type="humanitarian",
            acting_user=ngo_officer,
            requested_on=datetime.date(2026, 12, 28),
        )


def test_the_decision_is_due_at_the_missions_midnight_whoever_asked(referral):
    assert referral.deadline == datetime.date(2026, 12, 30)
    assert referral.due_at == _at(31, 0)


@pytest.mark.parametrize(
    "now,phases",
    [
        (_at(30, 8), ["near"]),  # the morning of the deadline day
        (_at(30, 15), ["near"]),  # 01:00 UTC on the 31st: nine hours of the day left
        (_at(31, 0) + datetime.timedelta(minutes=30), ["past"]),
    ],
)
def test_the_deadline_reminders_follow_the_missions_day(referral, now, phases):
    assert [item.key.rsplit(":", 1)[1] for item in visa_deadlines_due(now)] == phases


def test_nobody_is_escalated_during_the_deadline_day(referral, consulate):
    admins = User.objects.filter(organisation=consulate, role=Role.ADMIN)
    sweep(now=_at(30, 8))
    sweep(now=_at(30, 23))
    overdue = Notification.objects.unscoped().filter(recipient__in=admins, kind="answer_overdue")
    assert not overdue.exists()
    sweep(now=_at(31, 1))
    assert overdue.exists()


@pytest.mark.parametrize("decided,late", [(_at(30, 15), False), (_at(31, 1), True)])
def test_the_decision_is_audited_late_only_after_the_missions_midnight(
    referral, consulate, decided, late
):
    consul = User.objects.filter(organisation=consulate, role=Role.OFFICER).get()
    with mock.patch("django.utils.timezone.now", return_value=decided):
        visa_decide(referral=referral, decision="granted", acting_user=consul)
    event = AuditEvent.objects.filter(action="relocation.visa_decide").get()
    assert event.data["late"] is late


def _migrate(app: str, name: str, function: str, now: datetime.datetime) -> None:
    migration = importlib.import_module(f"{app}.migrations.{name}")
    state = MigrationLoader(connection).project_state((app, name))
    with mock.patch("django.utils.timezone.now", return_value=now):
        getattr(migration, function)(state.apps, None)


@pytest.mark.parametrize("reminded", [False, True])
def test_the_migration_moves_pending_referrals_not_reminded_yet_to_the_missions_midnight(
    referral, reminded
):
    """Referrals awaiting a decision when this came in were due at the asker's midnight. One
    already reminded keeps its times: its reminder's key holds the due time, and a new one
    would remind (and escalate) again."""
    asker_midnight = datetime.datetime.combine(
        referral.deadline + datetime.timedelta(days=1), datetime.time.min, KIRITIMATI
    )
    old_remind_at = MONDAY + (asker_midnight - MONDAY) / 2
    VisaReferral.objects.unscoped().filter(pk=referral.pk).update(
        due_at=asker_midnight, remind_at=old_remind_at
    )
    now = old_remind_at + datetime.timedelta(minutes=1 if reminded else -1)
    _migrate("relocation", "0010_visa_due_in_mission_zone", "due_in_mission_zone", now)
    referral.refresh_from_db()
    if reminded:
        assert (referral.due_at, referral.remind_at) == (asker_midnight, old_remind_at)
    else:  # the mission's midnight, reminded half-way from the referral
        created = referral.created_at
        assert referral.due_at == _at(31, 0)
        assert referral.remind_at == created + (referral.due_at - created) / 2


def test_the_migration_moves_open_support_requests_to_the_receivers_day(
    consented_case, ngo_officer, consulate
):
    from support.models import SupportRequest
    from support.services import support_request_create
    from tests.support.conftest import public_action_consent

    public_action_consent(consented_case, ngo_officer)
    with (
        mock.patch("django.utils.timezone.now", return_value=MONDAY),
        timezone.override(KIRITIMATI),
    ):
        [request] = support_request_create(
            case=consented_case,
            kind="trial_observation",
            reason="The hearing may be closed to the public.",
            needed_by=datetime.date(2026, 12, 30),
            urgency="routine",
            receiver=consulate,
            acting_user=ngo_officer,
        )
    assert request.due_at == _at(30, 0)  # the end of the day before, in Honolulu
    SupportRequest.objects.unscoped().filter(pk=request.pk).update(
        due_at=datetime.datetime(2026, 12, 30, tzinfo=KIRITIMATI)
    )
    _migrate("support", "0002_answer_due_in_receiver_zone", "due_in_receiver_zone", MONDAY)
    request.refresh_from_db()
    assert request.due_at == _at(30, 0)
    assert request.remind_at == MONDAY + (request.due_at - MONDAY) / 2


def test_each_side_of_a_stay_is_told_it_ends_on_its_own_day(ngo, ngo_officer):
    """A city in Kiritimati is always a day ahead of an NGO in Honolulu: two weeks before
    the end in Kiritimati, the city is told and the NGO, a day further, is not yet."""
    from relocation.selectors.shelter import stays_ending_due
    from tests.dates import in_days

    ngo.time_zone = "Pacific/Honolulu"
    ngo.save(update_fields=["time_zone"])
    city = f.city(time_zone="Pacific/Kiritimati", periods=[(in_days(1), in_days(100), 3)])
    stay = f.stay(ngo, ngo_officer, city, in_days(10), in_days(30), status="confirmed")
    fortnight_before = stay.end - datetime.timedelta(days=STAY_ENDING_DAYS)

    def sides(day: datetime.date) -> list[str]:
        noon_in_kiritimati = datetime.datetime.combine(day, datetime.time(12), KIRITIMATI)
        now = noon_in_kiritimati.astimezone(datetime.UTC)  # the beat's clock
        return [item.key.rsplit(":", 1)[1] for item in stays_ending_due(now)]

    assert sides(fortnight_before - datetime.timedelta(days=1)) == []
    assert sides(fortnight_before) == ["city"]
    assert sides(fortnight_before + datetime.timedelta(days=1)) == ["city", "requester"]
