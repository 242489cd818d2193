"""Feedback partners raise urgent alerts on the cases they follow (issue 21, item 2): the
alert reaches the owner's on-call chain under the owner's escalation policy; the partner
sees its acknowledgement (yes or no, when, by which organisation), never the owner's
internals. Per persona: the partner's officer and viewer, the owner's people, a full
partner, a relocation partner, an outsider."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Role
from alerts.models import Alert, Notification
from alerts.services.alerts import alert_acknowledge, alert_resolve
from alerts.services.sweep import sweep
from cases.models import CaseShare
from cases.services.sharing import share_revoke
from tests.alerts.factories import partner_with, post_json, raise_alert
from tests.conftest import verified_client
from tests.factories import UserFactory
from tests.queries import counting, get_counting

pytestmark = pytest.mark.django_db


@pytest.fixture
def feedback(case, officer):
    """A feedback partner of ``case``: (organisation, officer, viewer)."""
    return partner_with(case, "feedback", acting_user=officer)


def _recipients(alert) -> set[str]:
    return set(alert.notifications.values_list("recipient__email", flat=True))


def test_a_feedback_partner_raises_an_alert_that_reaches_the_owners_chain(
    case, officer, admin_user, viewer, feedback
):
    partner, partner_officer, partner_viewer = feedback
    _full, full_officer, _fv = partner_with(case, "full", acting_user=officer)
    alert = raise_alert(case, partner_officer, kind="raid", message="Police at the office.")
    assert alert.organisation == case.organisation  # the owner's alert: its policy escalates
    assert alert.raised_by_organisation == partner
    assert _recipients(alert) == {officer.email, admin_user.email, full_officer.email}
    assert partner_viewer.email not in _recipients(alert)
    # the owner's escalation policy (the default: the owner's administrators at 15 minutes)
    other_admin = UserFactory(organisation=case.organisation, role=Role.ADMIN)
    sweep(now=alert.created_at + timedelta(minutes=16))
    escalated = alert.notifications.filter(kind="alert_escalation")
    assert other_admin.email in set(escalated.values_list("recipient__email", flat=True))
    # the owner sees and acknowledges it like any alert
    assert list(Alert.objects.visible_to(officer)) == [alert]


def test_the_partners_viewer_a_relocation_partner_and_an_outsider_cannot_raise(
    case, officer, outsider, feedback
):
    partner, _po, partner_viewer = feedback
    _r, relocation_officer, _rv = partner_with(case, "relocation", acting_user=officer)
    coordinator = UserFactory(organisation=partner, role=Role.COORDINATOR)
    for user in (partner_viewer, coordinator, relocation_officer, outsider):
        with pytest.raises(PermissionDenied):
            raise_alert(case, user)
    assert verified_client(partner_viewer).post(
        reverse("alerts:raise", args=[case.pk]),
        {"kind": "raid", "severity": "high", "message": "x"},
    ).status_code in (403, 404)
    for user in (relocation_officer, outsider):
        page = verified_client(user).get(reverse("alerts:raise", args=[case.pk]))
        assert page.status_code == 404


def test_the_partner_raises_from_the_case_page_and_sees_the_acknowledgement(
    case, officer, admin_user, feedback
):
    _partner, partner_officer, partner_viewer = feedback
    client = verified_client(partner_officer)
    page = client.get(reverse("alerts:raise", args=[case.pk]))
    assert b"on-call people of the organisation that holds this case" in page.content
    response = client.post(
        reverse("alerts:raise", args=[case.pk]),
        {"kind": "raid", "severity": "critical", "message": "Police at the office."},
        follow=True,
    )
    alert = Alert.objects.unscoped().get(case=case)
    assert response.redirect_chain[-1][0] == reverse("alerts:detail", args=[alert.pk])
    shown = [str(m) for m in response.context["messages"]]
    # Neutral: the owner's organisation, never its on-call people's names nor its policy.
    assert (
        f"An urgent alert was raised and sent to the on-call people of {case.organisation.name}."
        in shown
    )
    for person in (officer, admin_user):
        assert not any(person.full_name in m or person.email in m for m in shown)
    assert b"Not yet" in response.content

    alert_acknowledge(alert=alert, acting_user=admin_user)
    for user in (partner_officer, partner_viewer):
        page = verified_client(user).get(reverse("alerts:detail", args=[alert.pk]))
        text = page.content.decode()
        assert page.status_code == 200
        assert f"by {case.organisation.name}." in text  # which organisation
        assert admin_user.full_name not in text and admin_user.email not in text  # not who
        assert "Notifications sent" not in text and officer.full_name not in text
    # the partner's officer is told in the inbox, with the link to its view
    told = Notification.objects.for_recipient(partner_officer).get(kind="alert_acknowledged")
    assert told.url == reverse("alerts:detail", args=[alert.pk])
    assert case.organisation.name in told.subject
    # the case page's panel shows it
    page = verified_client(partner_officer).get(reverse("cases:detail", args=[case.pk]))
    assert f"Acknowledged by {case.organisation.name}".encode() in page.content


def test_the_partner_never_sees_the_owners_notes_nor_acts_on_the_alert(
    case, officer, admin_user, feedback
):
    _p, partner_officer, _pv = feedback
    alert = raise_alert(case, partner_officer, kind="missing")
    alert_resolve(alert=alert, acting_user=admin_user, note="Found at the cousin's house.")
    client = verified_client(partner_officer)
    text = client.get(reverse("alerts:detail", args=[alert.pk])).content.decode()
    assert "Resolved on" in text and "cousin" not in text
    data = client.get(reverse("api:partner-alert-detail", args=[alert.pk])).json()
    assert data["resolved"] is True and data["acknowledged"] is True
    assert data["acknowledged_by_organisation"] == case.organisation.name
    assert not {"resolution_note", "raised_by", "acknowledged_by", "escalation_step"} & set(data)
    # the owner's pages and routes stay closed to it
    for name in ("alerts:acknowledge", "alerts:resolve"):
        assert client.post(reverse(name, args=[alert.pk])).status_code == 404
    assert client.get(reverse("api:alert-detail", args=[alert.pk])).status_code == 404
    assert post_json(client, reverse("api:alert-acknowledge", args=[alert.pk])).status_code == 404


def test_the_partner_api_raises_lists_and_shows_its_alerts(case, officer, admin_user, feedback):
    _p, partner_officer, partner_viewer = feedback
    client = verified_client(partner_officer)
    response = post_json(
        client,
        reverse("api:partner-alert-list"),
        {"case": str(case.pk), "kind": "attacked", "severity": "high", "message": "Beaten."},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["acknowledged"] is False and data["acknowledged_by_organisation"] is None
    listed = verified_client(partner_viewer).get(reverse("api:partner-alert-list")).json()
    assert [row["id"] for row in listed["results"]] == [data["id"]]
    # bad input names the field; the viewer may not raise
    response = post_json(
        client, reverse("api:partner-alert-list"), {"case": str(case.pk), "kind": "x"}
    )
    assert response.status_code == 400 and "kind" in response.json()
    response = post_json(
        verified_client(partner_viewer),
        reverse("api:partner-alert-list"),
        {"case": str(case.pk), "kind": "raid", "severity": "high", "message": "x"},
    )
    assert response.status_code == 403
    # the owner raises through alerts/, not here
    response = post_json(
        verified_client(officer),
        reverse("api:partner-alert-list"),
        {"case": str(case.pk), "kind": "raid", "severity": "high", "message": "x"},
    )
    assert response.status_code == 400 and "case" in response.json()


def test_a_relocation_partner_or_outsider_cannot_raise_through_the_api(case, officer, outsider):
    _r, relocation_officer, _rv = partner_with(case, "relocation", acting_user=officer)
    for user in (relocation_officer, outsider):
        response = post_json(
            verified_client(user),
            reverse("api:partner-alert-list"),
            {"case": str(case.pk), "kind": "raid", "severity": "high", "message": "x"},
        )
        assert response.status_code == 400 and "case" in response.json()


def test_outsiders_and_a_partner_whose_share_ended_get_404(
    case, officer, outsider, feedback, admin_user
):
    partner, partner_officer, _pv = feedback
    alert = raise_alert(case, partner_officer, kind="raid")
    _other, other_partner_officer, _ov = partner_with(case, "feedback", acting_user=officer)
    for user in (outsider, other_partner_officer):
        client = verified_client(user)
        assert client.get(reverse("alerts:detail", args=[alert.pk])).status_code == 404
        assert client.get(reverse("api:partner-alert-detail", args=[alert.pk])).status_code == 404
    share = CaseShare.objects.unscoped().get(case=case, partner=partner, ended_at=None)
    share_revoke(share=share, acting_user=officer)
    client = verified_client(partner_officer)
    assert client.get(reverse("alerts:detail", args=[alert.pk])).status_code == 404
    assert client.get(reverse("api:partner-alert-list")).json()["results"] == []
    # the owner's alert lives on
    assert Alert.objects.visible_to(admin_user).filter(pk=alert.pk).exists()


def test_the_alerts_list_shows_the_partners_own_alerts(case, officer, admin_user, feedback):
    _p, partner_officer, partner_viewer = feedback
    alert = raise_alert(case, partner_officer, kind="raid")
    alert_acknowledge(alert=alert, acting_user=officer)
    page = verified_client(partner_viewer).get(reverse("alerts:list"))
    text = page.content.decode()
    assert "Alerts your organisation raised on partners" in text
    assert f"by {case.organisation.name}." in text and officer.full_name not in text
    assert not page.context["alerts"]  # none of the owner's own list


def test_the_partner_list_reads_a_fixed_number_of_queries(case, officer, admin_user, feedback):
    _p, partner_officer, _pv = feedback
    client = verified_client(partner_officer)
    first = raise_alert(case, partner_officer, kind="raid")
    alert_acknowledge(alert=first, acting_user=admin_user)
    url = reverse("api:partner-alert-list")
    client.get(url)  # the session's first request reads more (its user, its OTP device)
    with counting() as one:
        assert len(client.get(url).json()["results"]) == 1
    for kind in ("attacked", "missing", "other"):
        alert_acknowledge(alert=raise_alert(case, partner_officer, kind=kind), acting_user=officer)
    get_counting(client, url, contains=str(first.pk), queries=len(one))
    page = verified_client(partner_officer).get(reverse("alerts:list"))
    assert page.content.decode().count(f"by {case.organisation.name}.") == 4


def test_the_owner_sees_which_partner_raised_it(case, officer, admin_client_org, feedback):
    partner, partner_officer, _pv = feedback
    alert = raise_alert(case, partner_officer, kind="raid")
    text = admin_client_org.get(reverse("alerts:detail", args=[alert.pk])).content.decode()
    assert f"{partner_officer.full_name} ({partner.name})" in text


def test_an_automatic_event_never_joins_a_partners_alert(case, officer, feedback):
    """The partner sees its alert's severity: an owner's critical assessment joining it
    would tell the partner the owner's risk level. The owner's event opens its own alert."""
    from tests.alerts.test_causes import _critical

    _p, partner_officer, _pv = feedback
    partners = raise_alert(case, partner_officer, kind="imminent_threat", severity="medium")
    client = verified_client(partner_officer)
    before = set(Notification.objects.for_recipient(partner_officer).values_list("pk", flat=True))
    _critical(case, officer)
    partners.refresh_from_db()
    assert partners.severity == "medium" and not partners.events.exists()
    owners = Alert.objects.unscoped().get(case=case, raised_by_organisation__isnull=True)
    assert owners.kind == Alert.Kind.RISK_CRITICAL and owners.severity == "critical"
    # The partner sees nothing new: its one alert, medium, no event; no new line.
    listed = client.get(reverse("api:partner-alert-list")).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [(row["id"], row["severity"]) for row in rows] == [(str(partners.pk), "medium")]
    page = client.get(reverse("alerts:detail", args=[partners.pk])).content.decode()
    assert "Critical" not in page and "critical" not in page
    assert client.get(reverse("alerts:detail", args=[owners.pk])).status_code == 404
    after = set(Notification.objects.for_recipient(partner_officer).values_list("pk", flat=True))
    assert after == before
