"""The escalation policy: its steps, edited by the organisation's administrators (services,
page and API), and the escalation and re-notification the sweep drives by them, with a
moved clock (``now=``)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from alerts.models import Alert, EscalationStep, Notification
from alerts.services.alerts import alert_acknowledge
from alerts.services.policy import (
    escalation_policy_reset,
    escalation_step_add,
    escalation_step_remove,
    policy_for,
    policy_steps,
)
from alerts.services.sweep import sweep
from hrdcase.models import AuditEvent
from tests.alerts.factories import post_json, raise_alert
from tests.factories import NetworkFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(org):
    other = OrganisationFactory(kind="secretariat")
    NetworkFactory(members=[org, other])
    return UserFactory(organisation=other, role=Role.COORDINATOR, email="coord@net.example")


def _kinds(user) -> list[str]:
    return list(
        Notification.objects.for_recipient(user)
        .order_by("created_at")
        .values_list("kind", flat=True)
    )


def test_it_creates_the_default_policy_on_first_use(org):
    steps = policy_steps(policy_for(org))
    assert [(s.after_seconds, s.target, s.role) for s in steps] == [
        (900, "role", "admin"),
        (3600, "network_coordinators", ""),
    ]
    assert policy_for(org).pk == steps[0].policy_id


def test_it_escalates_to_admins_then_coordinators_on_time(case, officer, admin_user, coordinator):
    alert = raise_alert(case, officer)
    start = alert.created_at
    assert _kinds(admin_user) == ["alert"]

    sweep(now=start + timedelta(minutes=9))
    assert _kinds(admin_user) == ["alert"]

    sweep(now=start + timedelta(minutes=15, seconds=1))
    assert _kinds(admin_user) == ["alert", "alert_escalation"]
    assert _kinds(coordinator) == []
    alert.refresh_from_db()
    assert alert.escalation_step == 1
    assert alert.next_escalation_at == start + timedelta(minutes=60)

    sweep(now=start + timedelta(minutes=60, seconds=1))
    assert _kinds(coordinator) == ["alert_escalation"]
    # The coordinator's organisation has no access to the case: no link, no case.
    note = Notification.objects.for_recipient(coordinator).get()
    assert note.url == "" and note.case_id is None
    assert case.pseudonym in note.subject
    alert.refresh_from_db()
    assert alert.escalation_step == 2 and alert.next_escalation_at is None


def test_a_doubled_or_late_sweep_is_harmless(case, officer, admin_user, coordinator):
    alert = raise_alert(case, officer)
    late = alert.created_at + timedelta(minutes=61)
    sweep(now=late)
    sweep(now=late)  # a doubled beat tick
    assert _kinds(admin_user).count("alert_escalation") == 1
    assert _kinds(coordinator) == ["alert_escalation"]


def test_it_renotifies_the_current_step_every_ten_minutes_until_acknowledged(
    case, officer, admin_user
):
    alert = raise_alert(case, officer)
    start = alert.created_at
    sweep(now=start + timedelta(minutes=10, seconds=1))
    assert _kinds(admin_user) == ["alert", "alert_reminder"]
    sweep(now=start + timedelta(minutes=10, seconds=30))  # not yet due again
    assert _kinds(admin_user).count("alert_reminder") == 1
    sweep(now=start + timedelta(minutes=15, seconds=1))  # step 1: admins
    sweep(now=start + timedelta(minutes=25, seconds=2))  # re-notify step 1 (admins)
    assert _kinds(admin_user) == ["alert", "alert_reminder", "alert_escalation", "alert_reminder"]
    alert_acknowledge(alert=Alert.objects.unscoped().get(pk=alert.pk), acting_user=admin_user)
    before = Notification.objects.unscoped().count()
    sweep(now=start + timedelta(hours=5))
    assert Notification.objects.unscoped().count() == before


def test_an_acknowledged_alert_never_escalates(case, officer, admin_user, coordinator):
    alert = raise_alert(case, officer)
    alert_acknowledge(alert=alert, acting_user=officer)
    sweep(now=alert.created_at + timedelta(hours=3))
    assert "alert_escalation" not in _kinds(admin_user)
    assert _kinds(coordinator) == []


def test_a_policy_in_seconds_escalates_to_a_role(case, officer, org, viewer):
    policy = policy_for(org)
    policy.steps.all().delete()
    EscalationStep.objects.create(
        organisation=org, policy=policy, after_seconds=5, target="role", role=Role.VIEWER
    )
    alert = raise_alert(case, officer)
    sweep(now=alert.created_at + timedelta(seconds=6))
    assert _kinds(viewer) == ["alert_escalation"]


def test_admins_edit_the_policy_with_validation_and_audit(org, admin_user, officer):
    network = NetworkFactory(members=[org])
    foreign_network = NetworkFactory()
    step = escalation_step_add(
        organisation=org, after_minutes=30, target="role", role=Role.OFFICER, acting_user=admin_user
    )
    assert [s.after_seconds for s in policy_steps(policy_for(org))] == [900, 1800, 3600]
    escalation_step_add(
        organisation=org,
        after_minutes=120,
        target="network_coordinators",
        network=network,
        acting_user=admin_user,
    )
    bad = [
        ({"after_minutes": -5, "target": "role", "role": "admin"}, "after_minutes"),
        ({"after_minutes": 0, "target": "role", "role": "admin"}, "after_minutes"),
        ({"after_minutes": 30, "target": "role", "role": "admin"}, "after_minutes"),
        ({"after_minutes": 45, "target": "role", "role": ""}, "role"),
        ({"after_minutes": 45, "target": "everyone"}, "target"),
        (
            {"after_minutes": 45, "target": "network_coordinators", "network": foreign_network},
            "network",
        ),
    ]
    for kwargs, field in bad:
        with pytest.raises(ValidationError) as error:
            escalation_step_add(organisation=org, acting_user=admin_user, **kwargs)
        assert field in error.value.message_dict, kwargs
    assert policy_for(org).steps.count() == 4
    with pytest.raises(PermissionDenied):
        escalation_step_add(
            organisation=org, after_minutes=50, target="role", role="admin", acting_user=officer
        )
    escalation_step_remove(step=step, acting_user=admin_user)
    escalation_policy_reset(organisation=org, acting_user=admin_user)
    assert [s.after_seconds for s in policy_steps(policy_for(org))] == [900, 3600]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"alerts.policy.step_add", "alerts.policy.step_remove", "alerts.policy.reset"} <= actions


def test_the_escalation_policy_api(org, admin_client_org, officer_client, viewer_client):
    from tests.factories import NetworkFactory

    url = reverse("api:alert-escalation-step-list")
    steps = officer_client.get(url).json()
    assert [s["after_minutes"] for s in steps] == [15, 60]
    payload = {"after_minutes": 30, "target": "role", "role": "officer"}
    assert post_json(officer_client, url, payload).status_code == 403
    assert post_json(viewer_client, url, payload).status_code == 403
    for bad in (
        {"after_minutes": -1, "target": "role", "role": "admin"},
        {"after_minutes": 15, "target": "role", "role": "admin"},
        {"after_minutes": 20, "target": "network_coordinators", "network": str(uuid.uuid4())},
        {
            "after_minutes": 20,
            "target": "network_coordinators",
            "network": str(NetworkFactory().pk),
        },
    ):
        response = post_json(admin_client_org, url, bad)
        assert response.status_code == 400, bad
    assert len(officer_client.get(url).json()) == 2
    created = post_json(admin_client_org, url, payload)
    assert created.status_code == 201
    detail = reverse("api:alert-escalation-step-detail", args=[created.json()["id"]])
    assert officer_client.delete(detail).status_code == 403
    assert admin_client_org.delete(detail).status_code == 204
    assert (
        post_json(admin_client_org, reverse("api:alert-escalation-step-reset")).status_code == 200
    )


def test_admins_edit_the_policy_page(org, admin_client_org, officer_client):
    page = admin_client_org.get(reverse("alerts:policy"))
    assert b"15 min unacknowledged" in page.content
    response = admin_client_org.post(
        reverse("alerts:policy"), {"after_minutes": "-3", "target": "role", "role": "admin"}
    )
    assert response.status_code == 400
    response = admin_client_org.post(
        reverse("alerts:policy"), {"after_minutes": "15", "target": "role", "role": "officer"}
    )
    assert response.status_code == 400 and b"already fires after 15" in response.content
    response = admin_client_org.post(
        reverse("alerts:policy"), {"after_minutes": "5", "target": "role", "role": "officer"}
    )
    assert response.status_code == 302
    assert officer_client.get(reverse("alerts:policy")).status_code == 200
    assert officer_client.post(reverse("alerts:policy_reset")).status_code == 403
    steps = page.context["steps"]
    assert (
        officer_client.post(reverse("alerts:policy_step_remove", args=[steps[0].pk])).status_code
        == 403
    )
    admin_client_org.post(reverse("alerts:policy_step_remove", args=[steps[0].pk]))
    admin_client_org.post(reverse("alerts:policy_reset"))
