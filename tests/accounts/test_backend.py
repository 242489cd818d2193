"""The signed-in user comes with their organisation: one query, not two, on every page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.backends import UserBackend

pytestmark = pytest.mark.django_db


def test_it_reads_the_user_and_their_organisation_in_one_query(officer):
    with CaptureQueriesContext(connection) as ctx:
        user = UserBackend().get_user(officer.pk)
        assert user.organisation.name == officer.organisation.name
    assert len(ctx.captured_queries) == 1


def test_it_refuses_a_deactivated_user(officer):
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert UserBackend().get_user(officer.pk) is None


def test_a_page_reads_the_organisation_with_the_user(officer_client):
    with CaptureQueriesContext(connection) as ctx:
        assert officer_client.get(reverse("home")).status_code == 200
    organisation_reads = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith('SELECT "accounts_organisation"')
    ]
    assert organisation_reads == []


def test_a_token_request_reads_the_organisation_with_the_user(officer):
    """The token lookup joins the organisation: checking that it is active (and the tenancy
    scopes reading it) costs no query of its own."""
    from django.test import Client

    from accounts.services import token_create

    _instance, key = token_create(user=officer)
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    with CaptureQueriesContext(connection) as ctx:
        me = api.get(reverse("api:me"))
    assert me.status_code == 200
    assert me.json()["organisation"]["name"] == officer.organisation.name
    organisation_reads = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith('SELECT "accounts_organisation"')
    ]
    assert organisation_reads == []


def test_it_refuses_a_member_of_a_deactivated_organisation(officer):
    type(officer.organisation).objects.filter(pk=officer.organisation_id).update(is_active=False)
    assert UserBackend().get_user(officer.pk) is None
