"""One open alert per case and cause, and nobody alerted about their own action (issue 22,
items 1 and 2): automatic alerts join an open alert of their cause, say what raised them,
and leave their author out of every step; the page that raised one says who was alerted."""

from __future__ import annotations

import datetime
from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import Role
from alerts import due
from alerts.causes import cause_of
from alerts.models import Alert, AlertEvent, Notification
from alerts.services.alerts import alert_acknowledge, alert_raise_automatic, alert_resolve
from alerts.services.policy import escalation_step_add
from alerts.services.sweep import sweep
from cases.services.case import case_override_risk
from cases.services.risk import risk_assessment_create
from hrdcase import notices
from tests.alerts.factories import partner_with, raise_alert
from tests.dates import today
from tests.factories import CaseFactory, UserFactory, record_detention

pytestmark = pytest.mark.django_db


def _critical(case, user):
    """A risk assessment rated critical (physical 5 x 5, limited capacity: 25)."""
    return risk_assessment_create(
        case=case,
        acting_user=user,
        assessed_on=today(),
        threats="Named in a pamphlet with a photograph.",
        vulnerabilities="Lives alone.",
        next_review_date=today() + timedelta(days=30),
        physical_likelihood=5,
        physical_impact=5,
        physical_capacity="limited",
        digital_likelihood=1,
        digital_impact=1,
        digital_capacity="strong",
        psychosocial_likelihood=1,
        psychosocial_impact=1,
        psychosocial_capacity="strong",
    )


def _recipients(alert) -> set[str]:
    return set(alert.notifications.values_list("recipient__email", flat=True))


# --- the mapping ---------------------------------------------------------------------------


def test_the_causes_map_manual_and_automatic_kinds_of_one_event():
    assert cause_of("detained") == cause_of("detention_recorded") == "detention"
    assert cause_of("imminent_threat") == cause_of("risk_high") == cause_of("risk_critical")
    assert cause_of("missing") == cause_of("missed_check_in") == "whereabouts"
    assert cause_of("other") == ""  # by hand: never joined
    assert cause_of("other", "logbooks.hearing_unobserved:42") == "logbooks.hearing_unobserved"


# --- one open alert per case and cause -----------------------------------------------------


def test_a_detention_recorded_joins_the_open_manual_detained_alert(case, officer, admin_user):
    manual = raise_alert(case, admin_user, kind="detained", severity="high")
    detention = record_detention(case, acting_user=officer)
    assert list(case.alerts.all()) == [manual]
    event = manual.events.get()
    assert event.kind == Alert.Kind.DETENTION_RECORDED
    assert event.auto_key == f"detention:{detention.pk}" and event.caused_by == officer
    manual.refresh_from_db()
    assert manual.severity == "critical"  # the more severe event raised the alert's severity
    # nobody alerted again (the first step's notifications only)
    assert manual.notifications.filter(kind="alert").count() == len(_recipients(manual))
    # once per event: the same detention again adds nothing
    assert (
        alert_raise_automatic(
            case=case,
            kind="detention_recorded",
            severity="critical",
            reason="again",
            auto_key=f"detention:{detention.pk}",
        )
        is None
    )
    assert AlertEvent.objects.unscoped().count() == 1


def test_a_critical_assessment_joins_an_open_imminent_threat_alert(case, officer, admin_user):
    manual = raise_alert(case, admin_user, kind="imminent_threat", severity="critical")
    _critical(case, officer)
    assert case.alerts.count() == 1
    assert manual.events.get().kind == Alert.Kind.RISK_CRITICAL


def test_it_opens_a_new_alert_once_the_causes_alert_is_resolved(case, officer, admin_user):
    manual = raise_alert(case, admin_user, kind="detained")
    alert_resolve(alert=manual, acting_user=admin_user, note="Released.")
    record_detention(case, acting_user=officer)
    automatic = case.alerts.exclude(pk=manual.pk).get()
    assert automatic.kind == Alert.Kind.DETENTION_RECORDED and automatic.cause == "detention"


def test_another_cause_opens_its_own_alert(case, officer, admin_user):
    raise_alert(case, admin_user, kind="attacked")
    record_detention(case, acting_user=officer)
    assert sorted(case.alerts.values_list("cause", flat=True)) == ["attacked", "detention"]


def test_an_acknowledged_alert_still_takes_the_event_and_tells_who_is_on_it(
    case, officer, admin_user
):
    manual = raise_alert(case, officer, kind="detained")
    alert_acknowledge(alert=manual, acting_user=admin_user)
    colleague = UserFactory(organisation=case.organisation, role=Role.OFFICER)
    record_detention(case, acting_user=colleague)
    assert case.alerts.count() == 1
    update = Notification.objects.for_recipient(admin_user).get(kind="alert_update")
    assert update.status == Notification.Status.SKIPPED  # in the inbox only
    assert "Detention recorded" in update.subject


def test_manual_alerts_are_never_joined(case, officer, admin_user):
    raise_alert(case, officer, kind="detained")
    raise_alert(case, admin_user, kind="detained")
    assert case.alerts.count() == 2


def test_a_feature_source_names_its_own_cause(case):
    def hearings(now):
        return [
            due.AutoAlert(
                key=f"test.hearing:{n}",
                case=case,
                kind="hearing_unobserved",
                severity="high",
                reason=f"Hearing {n} in 48 h without an observer.",
                cause=f"hearing:{n}",
            )
            for n in (1, 2)
        ] + [
            due.AutoAlert(
                key="test.hearing:1:again",
                case=case,
                kind="hearing_unobserved",
                severity="high",
                reason="Hearing 1 still without an observer.",
                cause="hearing:1",
            )
        ]

    with due.override(alert_sources={"test.hearings": hearings}):
        sweep()
        sweep()
    assert sorted(case.alerts.values_list("cause", flat=True)) == ["hearing:1", "hearing:2"]
    assert AlertEvent.objects.unscoped().get().alert.cause == "hearing:1"


def test_existing_alerts_keep_working_with_their_old_kinds(case, admin_user):
    """An automatic "Imminent threat" raised before causes existed (migration 0004 gave it
    the risk cause) takes the next risk event."""
    old = Alert.objects.create(
        organisation=case.organisation,
        case=case,
        kind="imminent_threat",
        severity="high",
        message="The case's risk level rose from medium to high.",
        source="automatic",
        auto_key=f"risk:{case.pk}:high:2026-01-01",
        cause="risk",
    )
    case_override_risk(case=case, level="critical", reason="Worse", acting_user=admin_user)
    assert list(case.alerts.all()) == [old]
    assert old.events.get().kind == "risk_critical"


# --- what an automatic alert says ------------------------------------------------------------


def test_a_critical_assessment_raises_risk_raised_to_critical_by_it(case, officer):
    assessment = _critical(case, officer)
    alert = case.alerts.get()
    assert alert.kind == Alert.Kind.RISK_CRITICAL and alert.get_kind_display() == (
        "Risk raised to critical"
    )
    assert f"by risk assessment v{assessment.version} of {today().isoformat()}" in alert.message
    assert "Imminent threat" not in alert.message
    assert alert.caused_by == officer and alert.raised_by is None


# --- nobody is alerted about their own action ------------------------------------------------


def test_the_assessor_is_not_alerted_the_rest_of_the_chain_is(case, officer, admin_user):
    _p, partner_officer, _v = partner_with(case, "full", acting_user=officer)
    alert = _critical(case, officer).case.alerts.get()
    assert officer.email not in _recipients(alert)  # the lead officer assessed
    assert {admin_user.email, partner_officer.email} <= _recipients(alert)


def test_the_author_is_left_out_of_escalation_steps_and_reminders(org, officer, admin_user):
    other_admin = UserFactory(organisation=org, role=Role.ADMIN)
    case = CaseFactory(organisation=org, lead_officer=officer)
    record_detention(case, acting_user=admin_user)  # an administrator records it
    alert = case.alerts.get()
    assert admin_user.email not in _recipients(alert)
    later = alert.created_at + timedelta(minutes=16)  # the default step: administrators
    sweep(now=later)
    sweep(now=later + timedelta(minutes=11))  # and a reminder of that step
    escalated = alert.notifications.filter(kind__in=["alert_escalation", "alert_reminder"])
    emails = set(escalated.values_list("recipient__email", flat=True))
    assert other_admin.email in emails and admin_user.email not in emails


def test_the_raiser_by_hand_is_left_out_of_escalation_steps(org, officer, admin_user):
    escalation_step_add(
        organisation=org, after_minutes=5, target="role", role=Role.OFFICER, acting_user=admin_user
    )
    case = CaseFactory(organisation=org)
    alert = raise_alert(case, officer)
    sweep(now=alert.created_at + timedelta(minutes=6))
    step = alert.notifications.filter(kind="alert_escalation")
    assert officer.email not in set(step.values_list("recipient__email", flat=True))


def test_acknowledging_still_tells_the_raiser(case, officer, admin_user):
    alert = raise_alert(case, officer)
    alert_acknowledge(alert=alert, acting_user=admin_user)
    assert Notification.objects.for_recipient(officer).filter(kind="alert_acknowledged").exists()


# --- the page says so ------------------------------------------------------------------------


def test_the_service_tells_the_author_who_was_alerted(case, officer, admin_user):
    with notices.collect() as told:
        _critical(case, officer)
    assert told == [
        f"An urgent alert (Risk raised to critical) was raised and sent to {admin_user.full_name}."
    ]
    with notices.collect() as told:
        case_override_risk(case=case, level="high", reason="x", acting_user=officer)
        record_detention(case, acting_user=officer)
    assert "was raised and sent to" in told[0]


def test_it_says_when_nobody_else_is_on_the_first_step(org):
    lone = UserFactory(organisation=org, role=Role.OFFICER)
    case = CaseFactory(organisation=org, lead_officer=lone)
    with notices.collect() as told:
        record_detention(case, acting_user=lone)
    assert "nobody else is on its first step" in told[0]
    assert "administrator of the organisation after 15 minutes" in told[0].lower()


def test_the_risk_page_says_an_alert_was_raised_and_to_whom(
    case, officer, officer_client, admin_user
):
    data = {
        k: v.isoformat() if isinstance(v, datetime.date) else v
        for k, v in {
            "assessed_on": today(),
            "threats": "Named in a pamphlet.",
            "vulnerabilities": "Alone.",
            "next_review_date": today() + timedelta(days=30),
            "physical_likelihood": 5,
            "physical_impact": 5,
            "physical_capacity": "limited",
            "digital_likelihood": 1,
            "digital_impact": 1,
            "digital_capacity": "strong",
            "psychosocial_likelihood": 1,
            "psychosocial_impact": 1,
            "psychosocial_capacity": "strong",
        }.items()
    }
    response = officer_client.post(reverse("cases:risk_create", args=[case.pk]), data, follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert any("was raised and sent to " + admin_user.full_name in m for m in shown), shown


def test_a_joined_event_is_said_on_the_page_too(case, officer, admin_user):
    raise_alert(case, admin_user, kind="detained")
    with notices.collect() as told:
        record_detention(case, acting_user=officer)
    assert told == [
        "Detention recorded: the case already has an open alert for this (Detained); it was "
        "added to that alert's history and nobody was alerted again."
    ]


def test_the_alert_page_names_the_change_that_raised_it_and_what_joined(
    case, officer, admin_client_org, admin_user
):
    _critical(case, officer)
    alert = case.alerts.get()
    case_override_risk(case=case, level="", reason="", acting_user=officer)  # back to assessed
    raise_alert(case, admin_user, kind="detained")
    record_detention(case, acting_user=officer)
    text = admin_client_org.get(reverse("alerts:detail", args=[alert.pk])).content.decode()
    assert f"after a change by {officer.full_name}" in text
    assert "by risk assessment v1" in text
    detained = case.alerts.get(kind="detained")
    text = admin_client_org.get(reverse("alerts:detail", args=[detained.pk])).content.decode()
    assert "Added to this alert" in text and "Detention recorded (detained since" in text


def test_migration_0004_gives_existing_alerts_their_cause_and_raiser(case, officer):
    """Rows from before causes: the backfill of alerts.0004 (run here on today's models)."""
    import importlib

    from django.apps import apps

    backfill = importlib.import_module("alerts.migrations.0004_alert_causes").backfill
    manual = raise_alert(case, officer, kind="missing")
    risk = Alert.objects.create(
        organisation=case.organisation,
        case=case,
        kind="imminent_threat",
        severity="critical",
        message="The case's risk level rose from high to critical.",
        source="automatic",
        auto_key=f"risk:{case.pk}:critical:2026-01-01",
    )
    detained = Alert.objects.create(
        organisation=case.organisation,
        case=case,
        kind="detained",
        severity="critical",
        message="A detention was recorded.",
        source="automatic",
        auto_key="detention:1",
    )
    hearing = Alert.objects.create(
        organisation=case.organisation,
        case=case,
        kind="other",
        severity="high",
        message="Hearing.",
        source="automatic",
        auto_key="logbooks.hearing_unobserved:9",
    )
    Alert.objects.unscoped().update(cause="", raised_by_organisation=None)
    backfill(apps, None)
    causes = dict(Alert.objects.unscoped().values_list("pk", "cause"))
    assert causes == {
        manual.pk: "whereabouts",
        risk.pk: "risk",
        detained.pk: "detention",
        hearing.pk: "logbooks.hearing_unobserved",
    }
    manual.refresh_from_db()
    assert manual.raised_by_organisation_id == officer.organisation_id
