"""Deadlines of the answers a relocation request waits for, from its urgency and the
service levels of the organisation that owes the answer (``RelocationSettings``):

- the review of a submitted request (the reviewer: the case owner), counted from the
  submission;
- a visa decision (the mission): a date, counted from the request date in working days
  (Monday to Friday) for an emergency, in calendar days otherwise (routine: the mission's
  fast-track ``visa_service_days``); due at the end of that day;
- a shelter answer (the city) and a grant decision (the grantor), counted from the referral.

Each answer gets ``due_at`` and ``remind_at`` (half the time allowed): the reminder and the
escalation past the deadline are the due sources of ``relocation.selectors.deadlines``.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from accounts.timezones import zone
from relocation.models import RelocationSettings, Urgency
from relocation.selectors.deadlines import format_due as format_due  # the services' too
from relocation.selectors.deadlines import later_due as later_due
from relocation.selectors.settings import settings_for

if TYPE_CHECKING:
    from accounts.models import Organisation

REVIEW = "review"
VISA = "visa"
SHELTER = "shelter"
GRANT = "grant"
#: the service level of a new referral of each kind counted in hours (``ReferralKind.kind``);
#: a visa referral computes its own (``visa_due``).
REFERRAL_ANSWERS = {"shelter_referral": SHELTER, "grant_request": GRANT}


def add_working_days(day: datetime.date, days: int) -> datetime.date:
    """``day`` plus ``days`` working days (Monday to Friday)."""
    added = 0
    while added < days:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            added += 1
    return day


def end_of_day(day: datetime.date, zone: datetime.tzinfo) -> datetime.datetime:
    """The first instant after ``day`` in ``zone``: a date deadline's due time. The zone is
    the owing organisation's: a mission in Honolulu owes its decision until its own
    midnight, whoever asked and from wherever (the asker's zone made it overdue at the
    start of the deadline day)."""
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, zone)


def service_hours(row: RelocationSettings, urgency: str, answer: str) -> int:
    prefix = urgency if urgency in Urgency.values else Urgency.URGENT
    return int(getattr(row, f"{prefix}_{answer}_hours"))


def visa_deadline(mission_id, urgency: str, requested_on: datetime.date) -> datetime.date:
    """The fast-track deadline of a visa decision requested on ``requested_on``."""
    row = settings_for(mission_id)
    if urgency == Urgency.EMERGENCY:
        return add_working_days(requested_on, row.emergency_visa_days)
    days = row.urgent_visa_days if urgency == Urgency.URGENT else row.visa_service_days
    return requested_on + datetime.timedelta(days=days)


def halfway(start: datetime.datetime, due: datetime.datetime) -> datetime.datetime:
    """When the owing side is reminded: half the time allowed (at once if already past)."""
    return max(start, start + (due - start) / 2)


def answer_due(
    organisation_id, urgency: str, answer: str, start: datetime.datetime | None = None
) -> tuple[datetime.datetime, datetime.datetime]:
    """(due_at, remind_at) of ``answer`` (review, shelter, grant) owed by the organisation,
    counted from ``start`` (now)."""
    start = start or timezone.now()
    hours = service_hours(settings_for(organisation_id), urgency, answer)
    due = start + datetime.timedelta(hours=hours)
    return due, halfway(start, due)


def visa_due(
    mission: Organisation,
    urgency: str,
    requested_on: datetime.date,
    start: datetime.datetime | None = None,
) -> tuple[datetime.date, datetime.datetime, datetime.datetime]:
    """(deadline, due_at, remind_at) of a visa decision: due at the end of the deadline day
    where the mission works."""
    start = start or timezone.now()
    deadline = visa_deadline(mission.pk, urgency, requested_on)
    due = end_of_day(deadline, zone(mission.time_zone))
    return deadline, due, halfway(start, due)
