"""Headers on every response: nothing a signed-in user sees, and no download, may be kept in
the browser's cache (after logout the identity page stayed readable in the disk cache); and
every page denies the browser features we never use (Permissions-Policy)."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.services import token_create
from hrdcase.middleware import NoStoreMiddleware
from logbooks.services.attachments import attachment_add
from tests.factories import CaseFactory
from tests.logbooks.factories import log

pytestmark = pytest.mark.django_db

FEATURES = ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()")


def _assert_no_store(response) -> None:
    assert response["Cache-Control"] == "no-store", response.get("Cache-Control")
    assert response["Pragma"] == "no-cache"


def test_the_identity_page_is_not_stored(officer, officer_client):
    case = CaseFactory(organisation=officer.organisation)
    response = officer_client.get(reverse("cases:identity", args=[case.pk]))
    assert response.status_code == 200
    assert case.defender.legal_name in response.content.decode()
    _assert_no_store(response)


def test_every_page_of_a_signed_in_user_is_not_stored(officer, officer_client):
    case = CaseFactory(organisation=officer.organisation)
    for url in (reverse("home"), reverse("cases:detail", args=[case.pk]), "/no/such/page/"):
        _assert_no_store(officer_client.get(url))


def test_api_responses_are_not_stored_with_a_session_or_a_token(officer, officer_client):
    CaseFactory(organisation=officer.organisation)
    _assert_no_store(officer_client.get("/api/v1/cases/"))
    _instance, key = token_create(user=officer)
    response = Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/cases/")
    assert response.status_code == 200
    _assert_no_store(response)


def test_a_session_before_its_second_factor_is_not_stored(client, officer):
    client.force_login(officer)  # the password step only
    _assert_no_store(client.get(reverse("home"), follow=True))


def test_downloads_and_exports_are_not_stored(officer, officer_client):
    case = CaseFactory(organisation=officer.organisation)
    entry = log(case, officer, "shared")
    attachment = attachment_add(
        entry=entry, filename="order.pdf", data=b"%PDF-1.4\n%%EOF\n", acting_user=officer
    )
    page = officer_client.get(reverse("logbooks:attachment_download", args=[attachment.pk]))
    api = officer_client.get(f"/api/v1/attachments/{attachment.pk}/download/")
    export = officer_client.post(reverse("logbooks:export", args=[case.pk]), {"format": "csv"})
    chart = officer_client.get(reverse("dashboards:organisation_export", args=["own_status"]))
    for response in (page, api, export, chart):
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        _assert_no_store(response)


def test_a_download_is_not_stored_whoever_asks():
    # No download is open to an anonymous visitor today; the rule does not depend on that.
    def download(request):
        response = HttpResponse(b"a,b\n", content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="x.csv"'
        response["Cache-Control"] = "max-age=3600"
        return response

    request = RequestFactory().get("/x.csv")
    _assert_no_store(NoStoreMiddleware(download)(request))


def test_static_files_keep_their_caching_for_a_signed_in_user(officer_client):
    static = officer_client.get("/static/css/hrdcase.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")


def test_every_page_denies_camera_microphone_geolocation_and_the_like(client, officer_client):
    responses = [
        client.get(reverse("accounts:login")),
        client.get("/api/v1/cases/"),  # 401/403 in JSON
        officer_client.get(reverse("home")),
        officer_client.get("/api/v1/cases/"),
        officer_client.get("/no/such/page/"),
    ]
    for response in responses:
        policy = response["Permissions-Policy"]
        for feature in FEATURES:
            assert feature in policy
