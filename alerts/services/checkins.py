"""Check-in schedules: a defender at risk is expected to be heard from every N hours; a
missed check-in raises an alert once per missed window (the sweep calls ``missed_check_ins``).

- An officer of the owner organisation sets or stops the schedule.
- Whoever hears from the defender logs the check-in: writers of the owner organisation or
  of a partner with a ``full`` share.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.timezones import zone
from alerts.models import FULL_LEVEL_PERMISSION, Alert, CheckIn, CheckInSchedule
from alerts.services.alerts import alert_raise_automatic
from cases.access import require_case_write
from hrdcase.audit import audit_record

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from accounts.models import User
    from cases.models import Case

#: a check-in may be dated a little ahead (clock skew between devices), not more.
CLOCK_SKEW = timedelta(minutes=5)


def active_schedule(case: Case) -> CheckInSchedule | None:
    return (
        CheckInSchedule.objects.owned_by(case.organisation).filter(case=case, active=True).first()
    )


def last_check_in(case: Case) -> CheckIn | None:
    # unscoped: narrowed to one case the caller already opened; partners' check-ins count.
    return CheckIn.objects.unscoped().filter(case=case).select_related("logged_by").first()


@transaction.atomic
def checkin_schedule_set(
    *,
    case: Case,
    acting_user: User,
    interval_hours: int,
    grace_minutes: int = 60,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> CheckInSchedule:
    """Set (or replace) the case's schedule: owner organisation's writers only."""
    require_case_write(case=case, acting_user=acting_user)
    now = timezone.now()
    starts_at = starts_at or now
    errors: dict[str, str] = {}
    if case.is_closed or case.purged_at:
        errors["case"] = _("Check-ins are only scheduled on an open case.")
    if not isinstance(interval_hours, int) or not 1 <= interval_hours <= 24 * 14:
        errors["interval_hours"] = _("Enter an interval between 1 hour and 14 days (336 hours).")
    if not isinstance(grace_minutes, int) or not 0 <= grace_minutes <= 24 * 60:
        errors["grace_minutes"] = _("Enter a grace period between 0 and 1440 minutes.")
    if ends_at is not None and ends_at <= max(starts_at, now):
        errors["ends_at"] = _("The schedule must end after it starts, and in the future.")
    if errors:
        raise ValidationError(errors)
    CheckInSchedule.objects.owned_by(case.organisation).filter(case=case, active=True).update(
        active=False
    )
    schedule = CheckInSchedule.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        interval_hours=interval_hours,
        grace_minutes=grace_minutes,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=acting_user,
    )
    audit_record(
        action="alerts.check_in_schedule.set",
        actor=acting_user,
        target=case,
        data={"schedule": str(schedule.pk), "interval_hours": interval_hours},
    )
    return schedule


@transaction.atomic
def checkin_schedule_stop(*, schedule: CheckInSchedule, acting_user: User) -> CheckInSchedule:
    require_case_write(case=schedule.case, acting_user=acting_user)
    if schedule.active:
        schedule.active = False
        schedule.save(update_fields=["active"])
        audit_record(
            action="alerts.check_in_schedule.stop",
            actor=acting_user,
            target=schedule.case,
            data={"schedule": str(schedule.pk)},
        )
    return schedule


@transaction.atomic
def checkin_log(
    *, case: Case, acting_user: User, at: datetime | None = None, note: str = ""
) -> CheckIn:
    """The defender was heard from at ``at`` (default: now): the owner's writers, or a
    ``full`` partner's (it may be the one in touch with the defender)."""
    require_case_write(case=case, acting_user=acting_user, need=FULL_LEVEL_PERMISSION)
    now = timezone.now()
    at = at or now
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if at > now + CLOCK_SKEW:
        errors["at"] = _("A check-in cannot be dated in the future.")
    if len(note) > 500:
        errors["note"] = _("Keep the note under 500 characters.")
    if errors:
        raise ValidationError(errors)
    check_in = CheckIn.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        schedule=active_schedule(case),
        at=at,
        logged_by=acting_user,
        note=note,
    )
    audit_record(
        action="alerts.check_in",
        actor=acting_user,
        target=case,
        data={"check_in": str(check_in.pk)},
    )
    return check_in


def next_due(schedule: CheckInSchedule, last_at: datetime | None) -> datetime:
    """When the next check-in is expected."""
    base = max(last_at, schedule.starts_at) if last_at else schedule.starts_at
    return base + timedelta(hours=schedule.interval_hours)


def missed_check_ins(now: datetime) -> int:
    """Raise one alert per missed window (deduplicated by schedule and due time)."""
    latest = (
        CheckIn.objects.unscoped().filter(case=OuterRef("case_id")).order_by("-at").values("at")
    )[:1]
    # unscoped: the sweep serves every organisation; each alert goes to its case's owner.
    schedules = (
        CheckInSchedule.objects.unscoped()
        .filter(active=True, starts_at__lte=now, case__purged_at__isnull=True)
        .exclude(case__status="closed")
        .annotate(last_at=Subquery(latest))
        .select_related("case__organisation")
    )
    raised = 0
    for schedule in schedules:
        due = next_due(schedule, schedule.last_at)
        if schedule.ends_at is not None and due > schedule.ends_at:
            continue
        if now < due + timedelta(minutes=schedule.grace_minutes):
            continue
        alert = _raise_missed(schedule, due)
        raised += alert is not None
    return raised


def _raise_missed(schedule: CheckInSchedule, due: datetime) -> Alert | None:
    # The stored message is read by the case's organisation: its times in its time zone.
    local = zone(schedule.case.organisation.time_zone)
    try:
        return alert_raise_automatic(
            case=schedule.case,
            kind=Alert.Kind.MISSED_CHECK_IN,
            severity=Alert.Severity.HIGH,
            reason=_("No check-in since %(since)s; one was expected by %(due)s.")
            % {
                "since": date_format(
                    timezone.localtime(schedule.last_at or schedule.starts_at, local),
                    "DATETIME_FORMAT",
                ),
                "due": date_format(timezone.localtime(due, local), "DATETIME_FORMAT"),
            },
            auto_key=f"check_in:{schedule.pk}:{due.strftime('%Y%m%dT%H%M%S')}",
        )
    except Exception:  # one broken schedule must not stop the others
        logger.exception("missed check-in alert failed for schedule %s", schedule.pk)
        return None
