"""The demo seed, and the retention purge of alert content."""

from __future__ import annotations

import pytest

from alerts.hooks import _purge
from alerts.models import Alert, AlertEvent, Notification
from alerts.services.alerts import alert_raise_automatic
from tests.alerts.factories import raise_alert

pytestmark = pytest.mark.django_db


def test_the_demo_seed_gives_a_policy_and_an_acknowledged_alert():
    from accounts import demo as accounts_demo
    from alerts import demo as alerts_demo
    from cases import demo as cases_demo

    accounts_demo.seed()
    cases_demo.seed()
    alerts_demo.seed()
    alerts_demo.seed()  # idempotent
    alerts = list(Alert.objects.unscoped().all())
    assert len(alerts) == 1 and alerts[0].status == Alert.Status.ACKNOWLEDGED


def test_the_purge_blanks_messages_and_subjects(case, officer, admin_user):
    alert = raise_alert(case, officer, message="Held at the precinct.")
    _purge(case)
    alert = Alert.objects.unscoped().get(pk=alert.pk)
    assert alert.message == ""
    assert not Notification.objects.unscoped().filter(subject__contains=case.pseudonym).exists()


def test_the_purge_blanks_what_the_events_of_an_alert_said(case, officer):
    raise_alert(case, officer, kind="detained", message="Held at the precinct.")
    alert_raise_automatic(
        case=case,
        kind="detention_recorded",
        severity="critical",
        reason="Detained since 2019-01-01 at the Modelo prison.",
        auto_key="detention:1",
    )
    assert AlertEvent.objects.unscoped().get().reason.startswith("Detained since")
    _purge(case)
    assert AlertEvent.objects.unscoped().get().reason == ""
