"""Reads of visa referrals: the requester's and the mission's, the mission's queue (nearest
fast-track deadline first) and the deadline reminders."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_noop

from accounts.models import User
from accounts.timezones import days_anywhere, organisation_today, zone
from hrdcase.later import later, later_date
from relocation.models import VISA_NEAR_DAYS, VisaReferral
from relocation.selectors.referral import inbox_for, people_by_org


def visa_referrals_for(user: User) -> QuerySet[VisaReferral]:
    return VisaReferral.objects.visible_to(user).select_related(
        "case", "mission", "organisation", "request", "created_by", "decided_by"
    )


def visa_queue_for(user: User, *, status: str = "pending") -> QuerySet[VisaReferral]:
    """The mission's queue: referrals addressed to it, nearest deadline first (the day, then
    the time: an emergency's is counted in working days), with the request's urgency."""
    return inbox_for(
        user,
        VisaReferral,
        status=status,
        related=("case", "organisation", "request"),
        order=("deadline", "due_at", "created_at"),
    )


def visa_deadlines_due(now: datetime.datetime) -> Iterator:
    """Pending visa referrals within ``VISA_NEAR_DAYS`` of their fast-track deadline or past
    it -> the mission's officers. One item per referral and phase (near, past)."""
    from alerts.due import DueItem

    # The mission's day, not UTC's (the sweep's): read up to the latest day anywhere (UTC's
    # plus one), then judge each referral where its mission works.
    latest = days_anywhere(now)[1] + datetime.timedelta(days=VISA_NEAR_DAYS)
    # unscoped: the sweep runs for every mission; each item goes to the addressed mission only.
    referrals = list(
        VisaReferral.objects.unscoped()
        .filter(status=VisaReferral.Status.PENDING, deadline__lte=latest)
        .select_related("case", "mission")
        .order_by("deadline")
    )
    people = people_by_org(r.mission_id for r in referrals)
    for referral in referrals:
        today = organisation_today(referral.mission, now)
        if referral.deadline > today + datetime.timedelta(days=VISA_NEAR_DAYS):
            continue
        phase = "past" if referral.deadline < today else "near"
        subject = later(
            gettext_noop("Visa decision overdue for %(pseudonym)s (deadline %(day)s)")
            if phase == "past"
            else gettext_noop("Visa decision due for %(pseudonym)s by %(day)s"),
            pseudonym=referral.case.pseudonym,
            day=later_date(referral.deadline, "DATE_FORMAT"),
        )
        yield DueItem(
            key=f"relocation.visa_deadline:{referral.pk}:{referral.deadline.isoformat()}:{phase}",
            kind="visa_deadline",
            subject=subject,
            recipients=people.get(referral.mission_id, []),
            url=reverse("relocation:visa_detail", args=[referral.pk]),
            due_at=datetime.datetime.combine(
                referral.deadline, datetime.time.min, zone(referral.mission.time_zone)
            ),
        )
