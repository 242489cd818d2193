"""Personal API tokens: created in a verified session, shown once, stored hashed."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from hrdcase.models import AuditEvent

pytestmark = pytest.mark.django_db


def _create_token(client) -> str:
    response = client.post(reverse("accounts:profile"), {"action": "token_create"})
    assert response.status_code == 200
    return response.context["new_token"]


def test_it_creates_a_token_shown_once_and_stored_hashed(officer_client, officer):
    key = _create_token(officer_client)
    assert key
    page = officer_client.get(reverse("accounts:profile")).content.decode()
    assert key not in page  # never shown again
    with connection.cursor() as cursor:
        cursor.execute("SELECT digest, token_key FROM knox_authtoken")
        rows = cursor.fetchall()
    assert rows and all(key not in digest and key != prefix for digest, prefix in rows)
    assert AuditEvent.objects.filter(action="token.create", actor=officer).exists()

    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    me = api.get(reverse("api:me"))
    assert me.status_code == 200
    assert me.json()["email"] == officer.email


def test_it_refuses_a_token_from_a_session_without_second_factor(client, officer, settings):
    settings.HRDCASE_REQUIRE_2FA = False
    client.force_login(officer)
    response = client.post(reverse("accounts:profile"), {"action": "token_create"})
    assert response.status_code == 302
    assert not AuthToken.objects.filter(user=officer).exists()


def test_it_revokes_a_token(officer_client, officer):
    key = _create_token(officer_client)
    token_key = AuthToken.objects.get(user=officer).token_key
    officer_client.post(reverse("accounts:profile"), {"action": "token_revoke", "token": token_key})
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get(reverse("api:me")).status_code == 401


def test_it_refuses_the_token_of_a_deactivated_user(officer, capsys):
    call_command("issue_token", officer.email)
    key = capsys.readouterr().out.strip()
    assert len(key.split()) == 1  # the command prints the key and nothing else
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api:me")).status_code == 200
    officer.is_active = False
    officer.save()
    assert api.get(reverse("api:me")).status_code == 401


def test_it_refuses_a_made_up_token():
    response = Client(HTTP_AUTHORIZATION="Token not-a-real-token").get(reverse("api:me"))
    assert response.status_code == 401


def test_it_logs_out_other_sessions_but_keeps_this_one(officer):
    from tests.conftest import verified_client

    here = verified_client(officer)
    elsewhere = verified_client(officer)
    assert elsewhere.get(reverse("home")).status_code == 200
    here.post(reverse("accounts:profile"), {"action": "sessions_end_others"})
    assert here.get(reverse("home")).status_code == 200
    assert elsewhere.get(reverse("home")).status_code == 302


def test_an_expired_token_is_refused_and_the_hour_s_housekeeping_deletes_the_others(officer):
    """A request reads its own token only (not every token of its user: a query on every API
    call); an expired one is refused and deleted when presented, the others by the hourly
    housekeeping."""
    from datetime import timedelta

    from accounts.tasks import clear_expired
    from tests.queries import counting

    live, live_key = AuthToken.objects.create(user=officer, expiry=timedelta(days=1))
    presented, presented_key = AuthToken.objects.create(user=officer, expiry=timedelta(days=1))
    forgotten, _key = AuthToken.objects.create(user=officer, expiry=timedelta(days=1))
    AuthToken.objects.filter(pk__in=[presented.pk, forgotten.pk]).update(
        expiry=timezone.now() - timedelta(minutes=1)
    )
    api = Client(HTTP_AUTHORIZATION=f"Token {live_key}")
    api.get(reverse("api:me"))
    with counting() as one_request:
        assert api.get(reverse("api:me")).status_code == 200
    assert sum("knox_authtoken" in sql for sql in one_request.sql) == 1

    expired = Client(HTTP_AUTHORIZATION=f"Token {presented_key}").get(reverse("api:me"))
    assert expired.status_code == 401
    assert set(AuthToken.objects.values_list("pk", flat=True)) == {live.pk, forgotten.pk}

    assert clear_expired()["tokens"] == 1
    assert list(AuthToken.objects.values_list("pk", flat=True)) == [live.pk]
    assert api.get(reverse("api:me")).status_code == 200
