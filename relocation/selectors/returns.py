"""Reads of the return plan (issue 20, item 5): the plan of a request, and the due items of
the sweep: the risk review after a return, a granted visa's validity lapsing."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_noop

from accounts.timezones import days_anywhere, organisation_today, zone
from cases.models import RiskAssessment
from hrdcase.later import later, later_date
from relocation.models import (
    VISA_VALIDITY_REMINDER_DAYS,
    RelocationRequest,
    ReturnPlan,
    VisaReferral,
)
from relocation.selectors.referral import people_by_org

#: a return's risk review is reminded for this long past its due date, not forever.
RISK_REVIEW_REMINDED_DAYS = 60


def return_plan_of(relocation_request: RelocationRequest) -> ReturnPlan | None:
    """The request's plan; the caller opened the request through its scoped path."""
    # unscoped: narrowed to a request the viewer (requester or reviewer) already opened.
    return ReturnPlan.objects.unscoped().filter(request=relocation_request).first()


def return_risk_reviews_due(now: datetime.datetime) -> Iterator:
    """Return plans whose risk review is due (and no assessment recorded since the return)
    -> the case owner's writers, once per plan."""
    from alerts.due import DueItem

    # Up to the latest day anywhere (UTC's plus one), each plan kept once its owner's day
    # has come (alerts' reminders: a date falls due on its organisation's day).
    latest = days_anywhere(now)[1]
    # unscoped: the sweep runs for every organisation; each item goes to the case's owner.
    newer = RiskAssessment.objects.unscoped().filter(
        case=OuterRef("case"), assessed_on__gte=OuterRef("returned_on")
    )
    plans = list(
        ReturnPlan.objects.unscoped()
        .filter(
            risk_review_due__lte=latest,
            risk_review_due__gte=latest - datetime.timedelta(days=RISK_REVIEW_REMINDED_DAYS + 2),
            case__purged_at__isnull=True,
        )
        .exclude(case__status="closed")
        .exclude(Exists(newer))
        .select_related("case__organisation")
    )
    people = people_by_org(plan.case.organisation_id for plan in plans)
    for plan in plans:
        today = organisation_today(plan.case.organisation, now)
        reminded_since = today - datetime.timedelta(days=RISK_REVIEW_REMINDED_DAYS)
        if not reminded_since <= plan.risk_review_due <= today:
            continue
        yield DueItem(
            key=f"relocation.return_risk_review:{plan.pk}",
            kind="risk_review",
            subject=later(
                gettext_noop("Risk review due for %(pseudonym)s after the return home (%(day)s)"),
                pseudonym=plan.case.pseudonym,
                day=later_date(plan.risk_review_due, "DATE_FORMAT"),
            ),
            recipients=people.get(plan.case.organisation_id, []),
            url=reverse("cases:detail", args=[plan.case_id]),
            case=plan.case,
            due_at=datetime.datetime.combine(
                plan.risk_review_due, datetime.time.min, zone(plan.case.organisation.time_zone)
            ),
        )


def visa_validity_due(now: datetime.datetime) -> Iterator:
    """Granted visas whose validity, or whose three-year window of entries, lapses within
    ``VISA_VALIDITY_REMINDER_DAYS`` -> the requester's writers, once per visa and date."""
    from alerts.due import DueItem

    # Read the days it is anywhere, then judge on the requester's day.
    earliest, latest = days_anywhere(now)
    latest += datetime.timedelta(days=VISA_VALIDITY_REMINDER_DAYS)
    lapsing = Q(valid_until__gte=earliest, valid_until__lte=latest) | Q(
        entries_until__gte=earliest, entries_until__lte=latest
    )
    # unscoped: the sweep runs for every requester; each item goes to the visa's requester.
    visas = list(
        VisaReferral.objects.unscoped()
        .filter(lapsing, status=VisaReferral.Status.GRANTED)
        .select_related("case", "organisation")
        .order_by("valid_until")
    )
    people = people_by_org(visa.organisation_id for visa in visas)
    for visa in visas:
        today = organisation_today(visa.organisation, now)
        horizon = today + datetime.timedelta(days=VISA_VALIDITY_REMINDER_DAYS)
        for key, day, subject in _visa_dates(visa):
            if not today <= day <= horizon:
                continue
            yield DueItem(
                key=f"{key}:{visa.pk}:{day.isoformat()}",
                kind="visa_deadline",
                subject=later(
                    subject, pseudonym=visa.case.pseudonym, day=later_date(day, "DATE_FORMAT")
                ),
                recipients=people.get(visa.organisation_id, []),
                url=reverse("relocation:detail", args=[visa.request_id]),
                due_at=datetime.datetime.combine(
                    day, datetime.time.min, zone(visa.organisation.time_zone)
                ),
            )


def _visa_dates(visa: VisaReferral) -> Iterator[tuple[str, datetime.date, str]]:
    """(reminder key, day, subject) for the visa's end of validity and end of entries."""
    if visa.valid_until is not None:
        yield (
            "relocation.visa_validity",
            visa.valid_until,
            gettext_noop("The visa of %(pseudonym)s is valid until %(day)s"),
        )
    if visa.entries_until is not None and visa.entries_until != visa.valid_until:
        yield (
            "relocation.visa_entries",
            visa.entries_until,
            gettext_noop("The visa of %(pseudonym)s allows entries until %(day)s"),
        )
