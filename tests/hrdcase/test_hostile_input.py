"""Input a hostile or careless user sends that reached a 500 (the review of 2026-12-07): each
now answers a 4xx, or is refused by name, and writes nothing it should not."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from accounts.models import Role
from accounts.services import token_create
from alerts.models import Alert, Notification
from alerts.services.notify import notify
from cases.models import Consent, SavedCaseFilter
from cases.models.case import MEMBER_COUNT_MAX
from cases.services.consent import consent_record
from hrdcase.forms import FILTER_NOT_UNDERSTOOD
from hrdcase.redirects import safe_next
from tests.alerts.factories import raise_alert
from tests.conftest import verified_client
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db

#: a ``next`` that is not a path: ``redirect()`` read these as URL names (500).
NOT_PATHS = ["x", "nan", "0", "9999-12-31T23:59", "https://evil.example/", "//evil.example/"]


@pytest.mark.parametrize("target", NOT_PATHS)
def test_marking_read_goes_to_the_inbox_whatever_next_says(officer, target):
    (note,) = notify(recipients=[officer], kind="share", subject="Ceiba", dedupe_key="k")
    client = verified_client(officer)
    one = client.post(reverse("alerts:notification_read", args=[note.pk]), {"next": target})
    every = client.post(reverse("alerts:notifications_read_all"), {"next": target})
    for response in (one, every):
        assert (response.status_code, response["Location"]) == (
            302,
            reverse("alerts:notifications"),
        )
    assert Notification.objects.for_recipient(officer).get().read_at is not None


def test_marking_read_goes_back_to_a_page_of_the_site(officer):
    (note,) = notify(recipients=[officer], kind="share", subject="Ceiba", dedupe_key="k")
    response = verified_client(officer).post(
        reverse("alerts:notification_read", args=[note.pk]), {"next": "/cases/?status=open"}
    )
    assert response["Location"] == "/cases/?status=open"


@pytest.mark.parametrize("target", NOT_PATHS)
def test_a_verified_user_sent_to_the_code_page_goes_home(officer, target):
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    response = verified_client(officer).get(reverse("accounts:verify"), {"next": target})
    assert (response.status_code, response["Location"]) == (302, reverse("home"))


def test_safe_next_takes_only_paths_of_this_site(rf):
    assert safe_next(rf.get("/", {"next": "/cases/"}), "/d") == "/cases/"
    for target in NOT_PATHS:
        assert safe_next(rf.get("/", {"next": target}), "/d") == "/d"
    avoided = rf.post("/", {"next": "/cases/1/logbook/"})
    assert safe_next(avoided, "/d", avoid="/cases/1/") == "/d"


@pytest.mark.parametrize("query", [{"when": "bogus"}, {"who": "x"}, {"case": "not-a-uuid"}])
def test_the_task_list_answers_400_to_a_bad_filter(officer, query):
    response = verified_client(officer).get(reverse("cases:tasks"), query)
    assert response.status_code == 400


def test_acknowledging_a_tampered_id_refuses_it_and_acknowledges_the_rest(org, officer):
    alert = raise_alert(CaseFactory(organisation=org), officer)
    response = verified_client(officer).post(
        reverse("alerts:acknowledge_many"), {"alerts": ["not-a-uuid", "a\x00", str(alert.pk)]}
    )
    assert response.status_code == 302
    assert Alert.objects.visible_to(officer).get().status == Alert.Status.ACKNOWLEDGED


def test_a_nul_in_a_token_to_revoke_revokes_nothing(officer):
    token, _raw = token_create(user=officer)
    response = verified_client(officer).post(
        reverse("accounts:profile"), {"action": "token_revoke", "token": token.token_key + "\x00"}
    )
    assert response.status_code < 500
    assert AuthToken.objects.filter(user=officer).count() == 1


@pytest.fixture
def consent(org, officer):
    return consent_record(
        case=CaseFactory(organisation=org),
        scope=Consent.Scope.SHARE_ORGANISATION,
        partner=UserFactory(role=Role.OFFICER).organisation,
        given_on=datetime.date(2026, 3, 2),
        method="in_person",
        acting_user=officer,
    )


@pytest.mark.parametrize(
    ("note", "says"), [("because\x00", "control character"), ("x" * 2001, "2000")]
)
def test_a_consent_revocation_note_is_refused_not_cut(consent, officer, note, says):
    url = reverse("cases:consent_revoke", args=[consent.case_id, consent.pk])
    response = verified_client(officer).post(url, {"note": note}, follow=True)
    assert says in response.content.decode()
    assert Consent.objects.owned_by(consent.organisation).get(pk=consent.pk).revoked_at is None


def test_the_api_refuses_a_revocation_note_too_long_by_name(consent, officer):
    url = reverse("api:case-consent-revoke", args=[consent.case_id, consent.pk])
    response = verified_client(officer).post(
        url, {"note": "x" * 2001}, content_type="application/json"
    )
    assert response.status_code == 400 and "note" in response.json()
    assert Consent.objects.owned_by(consent.organisation).get(pk=consent.pk).revoked_at is None


def test_a_saved_filter_name_with_a_nul_is_refused_by_name(officer):
    response = verified_client(officer).post(
        reverse("cases:filter_save"), {"name": "mine\x00", "query": "status=open"}, follow=True
    )
    assert "control character" in response.content.decode()
    assert not SavedCaseFilter.objects.unscoped().filter(user=officer).exists()


@pytest.mark.parametrize("month", ["0000-01", "0000-12"])
def test_the_calendar_answers_400_to_year_zero(officer, month):
    response = verified_client(officer).get(reverse("work:calendar"), {"month": month})
    assert response.status_code == 400
    assert "YYYY-MM" in response.content.decode()


@pytest.mark.parametrize("name", ["relocation:city_calendar", "relocation:visa_queue"])
def test_platform_staff_without_an_organisation_get_404_not_500(name):
    staff = UserFactory(organisation=None, role=Role.ADMIN, is_staff=True)
    assert verified_client(staff).get(reverse(name)).status_code == 404


def test_the_api_refuses_an_unknown_alert_status_by_name(org, officer):
    raise_alert(CaseFactory(organisation=org), officer)
    client = verified_client(officer)
    response = client.get(reverse("api:alert-list"), {"status": "bogus"})
    assert response.status_code == 400 and "status" in response.json()
    assert client.get(reverse("api:alert-list"), {"status": "all"}).json()["count"] == 1


def test_the_alerts_page_says_it_did_not_understand_the_status(org, officer):
    raise_alert(CaseFactory(organisation=org, pseudonym="Ceiba"), officer)
    response = verified_client(officer).get(reverse("alerts:list"), {"status": "bogus"})
    assert response.status_code == 400
    page = response.content.decode()
    assert str(FILTER_NOT_UNDERSTOOD) in page and "Ceiba" in page


def test_a_collective_of_a_billion_members_is_a_typo(org, officer):
    defender = CaseFactory(organisation=org).defender
    defender.member_count = 2_147_483_647
    with pytest.raises(ValidationError) as error:
        defender.full_clean()
    assert "member_count" in error.value.message_dict
    defender.member_count = MEMBER_COUNT_MAX
    defender.full_clean()
