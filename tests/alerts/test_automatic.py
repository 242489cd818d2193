"""Automatic alerts: risk rising, detention recorded, feature sources; and reminders: once
per recipient per due item, not once per sweep. (Missed check-ins: test_checkins.py.)"""

from __future__ import annotations

import datetime
from datetime import timedelta

import pytest
from django.utils import timezone

from alerts import due
from alerts.models import Alert, Notification
from alerts.services.sweep import sweep
from cases.services.case import case_override_risk
from tests.factories import CaseFactory, RiskAssessmentFactory, record_detention

pytestmark = pytest.mark.django_db


def test_it_raises_one_alert_when_the_risk_rises_to_high(case, officer, admin_user):
    case_override_risk(case=case, level="medium", reason="Rumours", acting_user=officer)
    assert not case.alerts.exists()
    case_override_risk(
        case=case, level="critical", reason="Named in a pamphlet", acting_user=officer
    )
    case_override_risk(case=case, level="high", reason="Calmer", acting_user=officer)
    case_override_risk(case=case, level="critical", reason="Again", acting_user=officer)
    alerts = list(case.alerts.all())
    assert len(alerts) == 1  # one per case, level and day
    alert = alerts[0]
    assert (alert.source, alert.kind, alert.severity, alert.cause) == (
        "automatic",
        "risk_critical",
        "critical",
        "risk",
    )
    assert alert.raised_by is None and alert.auto_key.startswith(f"risk:{case.pk}:critical:")
    assert alert.caused_by == officer and "by an override" in alert.message
    assert Notification.objects.for_recipient(admin_user).filter(alert=alert).exists()


def test_it_raises_an_alert_when_a_detention_is_recorded(case, officer, admin_user):
    detention = record_detention(case, acting_user=officer)
    alert = case.alerts.get()
    assert alert.kind == Alert.Kind.DETENTION_RECORDED
    assert alert.auto_key == f"detention:{detention.pk}" and alert.cause == "detention"
    assert alert.message.startswith("Detention recorded")
    # The officer who recorded it is not alerted about their own action; the admin is.
    assert not Notification.objects.for_recipient(officer).filter(alert=alert).exists()
    assert Notification.objects.for_recipient(admin_user).filter(alert=alert).exists()


def test_it_raises_feature_sources_once_per_key(case):
    def hearing(now):
        return [
            due.AutoAlert(
                key=f"hearing:{case.pk}",
                case=case,
                kind="imminent_threat",
                severity="high",
                reason="Hearing in 48 h, no trial observation planned.",
            )
        ]

    with due.override(alert_sources={"test.hearing": hearing}):
        sweep()
        sweep()
    assert case.alerts.count() == 1


def test_reminders_fire_once_per_recipient_per_item(case, officer, admin_user):
    def follow_ups(now):
        return [
            due.DueItem(
                key=f"test.follow_up:{case.pk}:2026-03-01",
                kind="follow_up",
                subject=f"Follow-up due: {case.pseudonym}",
                recipients=[officer, admin_user, officer],
                case=case,
            )
        ]

    with due.override(due_sources={"test.follow_ups": follow_ups}):
        for minute in range(3):
            sweep(now=timezone.now() + timedelta(minutes=minute))
    assert Notification.objects.unscoped().filter(kind="follow_up").count() == 2


def test_a_failing_source_does_not_stop_the_others(case, officer):
    def broken(now):
        raise RuntimeError("boom")

    def working(now):
        return [due.DueItem(key="k", kind="follow_up", subject="s", recipients=[officer])]

    with due.override(due_sources={"test.broken": broken, "test.ok": working}):
        result = sweep()
    assert result["reminders"] == 1


def test_the_registered_sources_come_back_after_an_override():
    registered = due.registered_due_sources()
    with due.override(due_sources={}, alert_sources={}):
        assert due.registered_due_sources() == {} and due.registered_alert_sources() == {}
    assert due.registered_due_sources() == registered
    assert "logbooks.hearing_without_observation" in due.registered_alert_sources()


def test_it_reminds_risk_reviews_and_benchmarks_from_cases(org, officer):
    reviewed = CaseFactory(organisation=org, lead_officer=officer)
    RiskAssessmentFactory(case=reviewed, next_review_date=datetime.date(2026, 3, 20))
    detained = CaseFactory(organisation=org, lead_officer=officer)
    record_detention(detained, acting_user=officer, detained_since=timezone.localdate())
    sweep()
    count = Notification.objects.unscoped().count()
    sweep()
    assert Notification.objects.unscoped().count() == count
    kinds = list(Notification.objects.for_recipient(officer).values_list("kind", flat=True))
    assert kinds.count("risk_review") == 1
    assert kinds.count("benchmark") >= 1
