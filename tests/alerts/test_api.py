"""The alerts and notifications API: same services and access rules as the pages."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from alerts.models import Alert, Notification
from tests.alerts.factories import partner_with, raise_alert
from tests.conftest import verified_client
from tests.factories import CaseFactory, UserFactory
from tests.queries import get_counting

pytestmark = pytest.mark.django_db


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_it_raises_an_alert_through_the_api(case, officer_client, admin_user):
    response = _post(
        officer_client,
        reverse("api:alert-list"),
        {"case": str(case.pk), "kind": "raid", "severity": "critical", "message": "Office raided."},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "raised" and body["message"] == "Office raided."
    assert body["pseudonym"] == case.pseudonym
    assert Notification.objects.for_recipient(admin_user).count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"message": ""}, "message"),
        ({"kind": "kidnapped"}, "kind"),
        ({"case": str(uuid.uuid4())}, "case"),
        ({"case": "not-a-uuid"}, "case"),
    ],
)
def test_it_answers_400_to_bad_input_and_writes_nothing(case, officer_client, payload, field):
    data = {"case": str(case.pk), "kind": "raid", "severity": "high", "message": "x"} | payload
    response = _post(officer_client, reverse("api:alert-list"), data)
    assert response.status_code == 400
    assert field in response.json()
    assert not Alert.objects.unscoped().exists()
    assert not Notification.objects.unscoped().exists()


def test_it_refuses_foreign_and_closed_cases(org, officer_client, other_org):
    foreign = CaseFactory(organisation=other_org)
    closed = CaseFactory(
        organisation=org, status="closed", closed_on="2026-03-05", closing_reason="other"
    )
    for case in (foreign, closed):
        response = _post(
            officer_client,
            reverse("api:alert-list"),
            {"case": str(case.pk), "kind": "raid", "message": "x"},
        )
        assert response.status_code == 400 and "case" in response.json()
    assert not Alert.objects.unscoped().exists()


def test_viewers_read_but_do_not_write(case, officer, viewer_client):
    alert = raise_alert(case, officer)
    assert viewer_client.get(reverse("api:alert-detail", args=[alert.pk])).status_code == 200
    response = _post(
        viewer_client,
        reverse("api:alert-list"),
        {"case": str(case.pk), "kind": "raid", "message": "x"},
    )
    assert response.status_code == 403
    assert (
        _post(viewer_client, reverse("api:alert-acknowledge", args=[alert.pk])).status_code == 403
    )


def test_acknowledge_and_resolve_with_conflicts(case, officer, officer_client):
    alert = raise_alert(case, UserFactory(organisation=case.organisation, role="officer"))
    url = reverse("api:alert-acknowledge", args=[alert.pk])
    assert _post(officer_client, url).json()["status"] == "acknowledged"
    response = _post(officer_client, url)
    assert response.status_code == 409 and response.json()["allowed"] == ["resolve"]
    resolve = reverse("api:alert-resolve", args=[alert.pk])
    assert _post(officer_client, resolve, {"note": ""}).status_code == 400
    assert _post(officer_client, resolve, {"note": "Released."}).json()["status"] == "resolved"
    assert _post(officer_client, resolve, {"note": "Again."}).status_code == 409


def test_a_full_partner_acknowledges_but_cannot_resolve(case, officer):
    _p, partner_officer, _v = partner_with(case, "full", acting_user=officer)
    alert = raise_alert(case, officer)
    client = verified_client(partner_officer)
    assert client.get(reverse("api:alert-list")).json()["count"] == 1
    assert _post(client, reverse("api:alert-acknowledge", args=[alert.pk])).status_code == 200
    assert (
        _post(client, reverse("api:alert-resolve", args=[alert.pk]), {"note": "ok"}).status_code
        == 403
    )


def test_the_list_is_scoped_and_has_a_fixed_query_count(
    org, officer, officer_client, outsider_client
):
    raise_alert(CaseFactory(organisation=org), officer)
    url = reverse("api:alert-list")
    one = get_counting(officer_client, url, max_queries=10, contains='"count":1,')
    for _ in range(4):
        raise_alert(CaseFactory(organisation=org), officer)
    five = get_counting(officer_client, url, queries=len(one.queries), contains='"count":5,')
    assert five.json()["count"] == 5  # and no N+1: the same queries as for one
    assert outsider_client.get(reverse("api:alert-list")).json()["count"] == 0


def test_notifications_are_only_my_own(case, officer, admin_user):
    for _ in range(3):
        raise_alert(case, UserFactory(organisation=case.organisation, role="officer"))
    client = verified_client(officer)
    body = get_counting(
        client, reverse("api:notification-list"), max_queries=8, contains='"count":3,'
    ).json()
    assert body["count"] == 3
    ids = {row["id"] for row in body["results"]}
    assert ids == {
        str(pk) for pk in Notification.objects.for_recipient(officer).values_list("pk", flat=True)
    }
    theirs = Notification.objects.for_recipient(admin_user).first()
    assert _post(client, reverse("api:notification-read", args=[theirs.pk])).status_code == 404
    mine = Notification.objects.for_recipient(officer).first()
    assert _post(client, reverse("api:notification-read", args=[mine.pk])).json()["read_at"]
    assert client.get(reverse("api:notification-list") + "?unread=1").json()["count"] == 2
    assert _post(client, reverse("api:notification-read-all")).json() == {"marked_read": 2}
    assert Notification.objects.for_recipient(admin_user).filter(read_at=None).count() == 3


def test_a_viewer_may_mark_own_notifications_read(case, officer, viewer):
    from alerts.services.notify import notify

    notify(recipients=[viewer], kind="follow_up", subject="Follow-up due", dedupe_key="t")
    client = verified_client(viewer)
    note = Notification.objects.for_recipient(viewer).get()
    assert _post(client, reverse("api:notification-read", args=[note.pk])).status_code == 200
    assert _post(client, reverse("api:notification-read-all")).status_code == 200


def test_the_escalation_policy_api(org, admin_client_org, officer_client, viewer_client):
    from tests.factories import NetworkFactory

    url = reverse("api:alert-escalation-step-list")
    steps = officer_client.get(url).json()
    assert [s["after_minutes"] for s in steps] == [15, 60]
    payload = {"after_minutes": 30, "target": "role", "role": "officer"}
    assert _post(officer_client, url, payload).status_code == 403
    assert _post(viewer_client, url, payload).status_code == 403
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
        response = _post(admin_client_org, url, bad)
        assert response.status_code == 400, bad
    assert len(officer_client.get(url).json()) == 2
    created = _post(admin_client_org, url, payload)
    assert created.status_code == 201
    detail = reverse("api:alert-escalation-step-detail", args=[created.json()["id"]])
    assert officer_client.delete(detail).status_code == 403
    assert admin_client_org.delete(detail).status_code == 204
    assert _post(admin_client_org, reverse("api:alert-escalation-step-reset")).status_code == 200
