"""Reads of shelter referrals: the requester's and the city's, the city's inbox, the stays
ending soon, and whether the city may read the defender's identity now."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.conf import settings as django_settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.models import User
from accounts.timezones import days_anywhere, organisation_today, zone
from cases.models import Case
from cases.models.consent import Consent
from hrdcase.later import later, later_date
from relocation.models import STAY_ENDING_DAYS, ShelterReferral
from relocation.selectors.deadlines import by_deadline
from relocation.selectors.referral import inbox_for, people_by_org


def shelter_referrals_for(user: User) -> QuerySet[ShelterReferral]:
    return ShelterReferral.objects.visible_to(user).select_related(
        "case", "city", "organisation", "request", "created_by", "answered_by"
    )


def city_inbox_for(user: User, *, status: str = "") -> QuerySet[ShelterReferral]:
    """The city's inbox: the proposals it owes an answer to first, nearest deadline first;
    then the others by arrival."""
    inbox = inbox_for(
        user,
        ShelterReferral,
        status=status,
        related=("case", "organisation", "request"),
        order=("start", "created_at"),
    )
    return by_deadline(inbox, ShelterReferral.AWAITING)


def has_relocation_consent(case: Case) -> bool:
    """The check without raising (``require_relocation_consent`` raises)."""
    return case.consents.filter(scope=Consent.Scope.RELOCATION, revoked_at__isnull=True).exists()


def identity_window_end(referral: ShelterReferral) -> datetime.date:
    """The last day the city may read the defender's identity: the stay's end (the return
    day once the guest left) plus ``HRDCASE_CITY_IDENTITY_DAYS`` (default 30)."""
    ended = referral.returned_on or referral.end
    return ended + datetime.timedelta(days=django_settings.HRDCASE_CITY_IDENTITY_DAYS)


def city_may_see_identity(referral: ShelterReferral, *, today: datetime.date | None = None) -> bool:
    """All three, checked at every read: the city accepted the stay (and it was not withdrawn
    or declined since), the owner's relocation consent is still in force, and the stay did
    not end more than ``HRDCASE_CITY_IDENTITY_DAYS`` ago."""
    today = today or timezone.localdate()
    return (
        referral.status in ShelterReferral.IDENTITY_STATES
        and today <= identity_window_end(referral)
        and has_relocation_consent(referral.case)
    )


def stays_ending_due(now: datetime.datetime) -> Iterator:
    """Stays (confirmed or hosting) ending within ``STAY_ENDING_DAYS`` days -> the requester
    (who raised it) and the city's officers. One item per side per stay end date."""
    from alerts.due import DueItem

    # Each side is told on its own day (alerts' reminders): read up to the latest day
    # anywhere, from the earliest (UTC's day, one either side), then judge per side.
    earliest, latest = days_anywhere(now)
    # unscoped: the sweep runs for every city; each item goes to that stay's two sides only.
    stays = list(
        ShelterReferral.objects.unscoped()
        .filter(
            status__in=ShelterReferral.OCCUPYING,
            end__gte=earliest,
            end__lte=latest + datetime.timedelta(days=STAY_ENDING_DAYS),
        )
        .select_related("case", "created_by", "city", "organisation")
        .order_by("end")
    )
    people = people_by_org([s.city_id for s in stays] + [s.organisation_id for s in stays])
    for stay in stays:
        subject = later(
            gettext_noop("Stay of %(pseudonym)s ends on %(day)s"),
            pseudonym=stay.case.pseudonym,
            day=later_date(stay.end, "DATE_FORMAT"),
        )
        url = reverse("relocation:shelter_detail", args=[stay.pk])
        if _ending_soon(stay, stay.city, now):
            yield DueItem(
                key=f"relocation.stay_ending:{stay.pk}:{stay.end.isoformat()}:city",
                kind="stay_ending",
                subject=subject,
                recipients=people.get(stay.city_id, []),
                url=url,
                due_at=_start_of(stay.end, stay.city),
            )
        if not _ending_soon(stay, stay.organisation, now):
            continue
        requester = [stay.created_by] if stay.created_by.acts_for(stay.organisation_id) else []
        requester = requester or people.get(stay.organisation_id, [])
        yield DueItem(
            key=f"relocation.stay_ending:{stay.pk}:{stay.end.isoformat()}:requester",
            kind="stay_ending",
            subject=subject,
            recipients=requester,
            url=url,
            case=stay.case,
            due_at=_start_of(stay.end, stay.organisation),
        )


def _ending_soon(stay: ShelterReferral, side, now: datetime.datetime) -> bool:
    """Whether ``stay`` ends within ``STAY_ENDING_DAYS`` of ``side``'s day."""
    today = organisation_today(side, now)
    return today <= stay.end <= today + datetime.timedelta(days=STAY_ENDING_DAYS)


def _start_of(day: datetime.date, side) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, zone(side.time_zone))
