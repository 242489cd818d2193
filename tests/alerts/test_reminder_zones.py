"""The sweep (in UTC) reminds a risk review and a detention benchmark on the day of the
organisation that set them (the review of 2026-12-07), as it already did tasks: at 19:30 in
Bogotá, UTC is on the next day."""

from __future__ import annotations

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Organisation, Role
from alerts.models import Notification
from alerts.services.sweep import sweep
from cases.models import BenchmarkMilestone
from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    RiskAssessmentFactory,
    UserFactory,
    record_detention,
)

pytestmark = pytest.mark.django_db

BOGOTA = ZoneInfo("America/Bogota")
KIRITIMATI = ZoneInfo("Pacific/Kiritimati")
DAY = datetime.date(2026, 12, 8)


def _local(zone: ZoneInfo, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=zone).astimezone(datetime.UTC)


def _lead(zone: ZoneInfo):
    org = OrganisationFactory(kind=Organisation.Kind.NGO, time_zone=str(zone))
    officer = UserFactory(organisation=org, role=Role.OFFICER)
    return CaseFactory(organisation=org, lead_officer=officer), officer


def _subjects(user, kind: str) -> list[str]:
    return list(
        Notification.objects.for_recipient(user).filter(kind=kind).values_list("subject", flat=True)
    )


@pytest.mark.parametrize(
    "zone,now,reminded",
    [
        (BOGOTA, _local(BOGOTA, 7, 19, 30), False),  # UTC's 8th, Bogotá's 7th
        (BOGOTA, _local(BOGOTA, 8, 0, 30), True),
        (KIRITIMATI, _local(KIRITIMATI, 8, 8), True),  # UTC's 7th, Kiritimati's 8th
    ],
)
def test_a_risk_review_is_due_on_the_organisations_day(zone, now, reminded):
    case, officer = _lead(zone)
    RiskAssessmentFactory(case=case, next_review_date=DAY)
    sweep(now=now)
    assert bool(_subjects(officer, "risk_review")) is reminded


@pytest.mark.parametrize(
    "zone,now,subject",
    [
        (BOGOTA, _local(BOGOTA, 8, 19, 30), "due soon"),  # its day, not overdue yet
        (BOGOTA, _local(BOGOTA, 9, 0, 30), "overdue"),
        (KIRITIMATI, _local(KIRITIMATI, 9, 8), "overdue"),  # UTC's 8th, Kiritimati's 9th
    ],
)
def test_a_detention_benchmark_is_overdue_on_the_organisations_next_day(zone, now, subject):
    case, officer = _lead(zone)
    with mock.patch("django.utils.timezone.now", return_value=_local(zone, 1, 12)):
        detention = record_detention(
            case, acting_user=officer, detained_since=datetime.date(2026, 11, 30)
        )
    milestones = BenchmarkMilestone.objects.unscoped().filter(detention=detention)
    milestones.update(due_on=datetime.date(2030, 1, 1))
    first = milestones.filter(requires_public_consent=False).first()
    milestones.filter(pk=first.pk).update(due_on=DAY)
    sweep(now=now)
    [sent] = _subjects(officer, "benchmark")
    assert subject in sent
