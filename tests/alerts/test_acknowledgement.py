"""Acknowledging in bulk (the alerts list, the API) and from the notification itself (a
signed, single-use, short-lived link behind the login and second factor): issue 22, item 3."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from alerts.models import Alert, AlertLinkUse, Notification
from alerts.services.alerts import alert_acknowledge, alerts_acknowledge
from alerts.services.links import action_link_path, action_link_token, action_links
from tests.alerts.factories import partner_with, post_json, raise_alert
from tests.conftest import verified_client
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def _status(alert) -> str:
    return Alert.objects.unscoped().get(pk=alert.pk).status


# --- in bulk -------------------------------------------------------------------------------


def test_it_acknowledges_the_selected_alerts_it_may(org, officer, admin_user, outsider):
    mine = [raise_alert(CaseFactory(organisation=org), admin_user) for _ in range(3)]
    alert_acknowledge(alert=mine[2], acting_user=admin_user)
    foreign = raise_alert(CaseFactory(organisation=outsider.organisation), outsider)
    result = alerts_acknowledge(
        alert_ids=[mine[0].pk, mine[1].pk, mine[2].pk, foreign.pk], acting_user=officer
    )
    assert {a.pk for a in result.acknowledged} == {mine[0].pk, mine[1].pk}
    assert [a.pk for a in result.already] == [mine[2].pk]
    assert result.refused == [str(foreign.pk)]
    assert _status(foreign) == "raised"
    assert Alert.objects.unscoped().get(pk=mine[0].pk).acknowledged_by == officer


def test_the_list_acknowledges_the_checked_alerts_with_clear_messages(
    org, officer, admin_user, officer_client
):
    first, second, third = (raise_alert(CaseFactory(organisation=org), admin_user) for _ in "abc")
    alert_acknowledge(alert=third, acting_user=admin_user)
    page = officer_client.get(reverse("alerts:list"))
    assert f'name="alerts" value="{first.pk}"'.encode() in page.content
    assert f'name="alerts" value="{third.pk}"'.encode() not in page.content  # not raised
    response = officer_client.post(
        reverse("alerts:acknowledge_many"),
        {"alerts": [first.pk, second.pk, third.pk]},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert "2 alerts acknowledged: their escalation has stopped." in shown
    assert "1 alert was already acknowledged or resolved." in shown
    assert _status(first) == _status(second) == "acknowledged"


def test_the_list_refuses_nothing_selected_and_viewers(org, admin_user, officer_client, viewer):
    alert = raise_alert(CaseFactory(organisation=org), admin_user)
    response = officer_client.post(reverse("alerts:acknowledge_many"), {}, follow=True)
    assert "Select the alerts to acknowledge." in [str(m) for m in response.context["messages"]]
    assert b'name="alerts"' not in verified_client(viewer).get(reverse("alerts:list")).content
    response = verified_client(viewer).post(
        reverse("alerts:acknowledge_many"), {"alerts": [alert.pk]}
    )
    assert response.status_code == 403 and _status(alert) == "raised"


def test_a_get_of_the_bulk_route_changes_nothing(org, admin_user, officer_client):
    alert = raise_alert(CaseFactory(organisation=org), admin_user)
    assert officer_client.get(reverse("alerts:acknowledge_many")).status_code == 405
    assert _status(alert) == "raised"


def test_the_api_acknowledges_in_bulk(org, admin_user, officer_client, outsider):
    alert = raise_alert(CaseFactory(organisation=org), admin_user)
    foreign = raise_alert(CaseFactory(organisation=outsider.organisation), outsider)
    url = reverse("api:alert-acknowledge-many")
    response = post_json(officer_client, url, {"alerts": [str(alert.pk), str(foreign.pk)]})
    assert response.status_code == 200
    assert response.json() == {
        "acknowledged": [str(alert.pk)],
        "already": [],
        "refused": [str(foreign.pk)],
    }
    response = post_json(officer_client, url, {"alerts": []})
    assert response.status_code == 400 and "alerts" in response.json()
    response = post_json(officer_client, url, {"alerts": ["not-an-id"]})
    assert response.status_code == 400 and "alerts" in response.json()


def test_a_full_partner_acknowledges_in_bulk_too(case, officer):
    _p, partner_officer, _v = partner_with(case, "full", acting_user=officer)
    alert = raise_alert(case, officer)
    result = alerts_acknowledge(alert_ids=[alert.pk], acting_user=partner_officer)
    assert [a.pk for a in result.acknowledged] == [alert.pk]


# --- from the notification -----------------------------------------------------------------


def _notification(alert, user) -> Notification:
    return alert.notifications.get(recipient=user, kind="alert")


def test_the_notification_carries_acknowledge_and_resolve_links(case, officer, admin_user):
    alert = raise_alert(case, admin_user)
    labels = [label for label, _url in action_links(_notification(alert, officer))]
    assert labels == ["Acknowledge", "Resolve"]
    url = action_links(_notification(alert, officer))[0][1]
    assert "/alerts/act/" in url and str(alert.pk) not in url  # the id is signed inside


def test_a_link_opens_a_confirm_page_and_acts_only_on_post(case, officer, admin_user):
    alert = raise_alert(case, admin_user)
    path = action_link_path(notification=_notification(alert, officer), action="acknowledge")
    client = verified_client(officer)
    page = client.get(path)
    assert page.status_code == 200 and b"Acknowledge: I am on it" in page.content
    assert _status(alert) == "raised"  # a GET changes nothing
    response = client.post(path)
    assert response.status_code == 302 and _status(alert) == "acknowledged"
    assert AlertLinkUse.objects.get().used_by == officer


def test_a_link_requires_the_login_and_second_factor(case, officer, admin_user, client):
    alert = raise_alert(case, admin_user)
    path = action_link_path(notification=_notification(alert, officer), action="acknowledge")
    response = client.post(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(officer)  # a session without its second factor
    response = client.post(path)
    assert response.status_code == 302 and _status(alert) == "raised"
    assert "/accounts/" in response["Location"]


def test_a_link_works_once(case, officer, admin_user):
    alert = raise_alert(case, admin_user)
    notification = _notification(alert, officer)
    token = action_link_token(notification=notification, action="resolve")
    client = verified_client(officer)
    url = reverse("alerts:act", args=[token])
    assert client.post(url, {"note": ""}).status_code == 400  # the note is required
    assert client.post(url, {"note": "Released, safe at home."}).status_code == 302
    assert _status(alert) == "resolved"
    again = client.post(url, {"note": "again"})
    assert again.status_code == 410 and b"already used" in again.content
    assert client.get(url).status_code == 410


def test_an_expired_link_is_refused(case, officer, admin_user):
    alert = raise_alert(case, admin_user)
    three_hours_ago = (timezone.now() - timedelta(hours=3)).timestamp()
    with mock.patch("time.time", return_value=three_hours_ago):  # the link's time stamp
        token = action_link_token(notification=_notification(alert, officer), action="acknowledge")
    response = verified_client(officer).post(reverse("alerts:act", args=[token]))
    assert response.status_code == 410 and b"expired" in response.content
    assert _status(alert) == "raised" and not AlertLinkUse.objects.exists()


def test_a_link_of_another_member_is_refused(case, officer, admin_user):
    alert = raise_alert(case, admin_user)
    colleague = UserFactory(organisation=case.organisation, role=Role.OFFICER)
    path = action_link_path(notification=_notification(alert, officer), action="acknowledge")
    response = verified_client(colleague).post(path)
    assert response.status_code == 403 and b"sent to another member" in response.content
    assert _status(alert) == "raised"


def test_a_link_of_another_organisation_answers_404(case, officer, admin_user, outsider):
    alert = raise_alert(case, admin_user)
    path = action_link_path(notification=_notification(alert, officer), action="acknowledge")
    assert verified_client(outsider).get(path).status_code == 404
    assert verified_client(outsider).post(path).status_code == 404
    assert _status(alert) == "raised"


def test_a_forged_link_answers_404(officer):
    token = signing.dumps({"n": "x", "a": "acknowledge", "x": "y"}, salt="another salt")
    assert verified_client(officer).get(reverse("alerts:act", args=[token])).status_code == 404


def test_a_link_of_an_alert_already_acknowledged_says_so(case, officer, admin_user):
    alert = raise_alert(case, admin_user)
    path = action_link_path(notification=_notification(alert, officer), action="acknowledge")
    alert_acknowledge(alert=alert, acting_user=admin_user)
    response = verified_client(officer).post(path, follow=True)
    assert "This alert is already Acknowledged." in [str(m) for m in response.context["messages"]]
