"""The signed-in user comes with their organisation: one query, not two, on every page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.backends import UserBackend
from tests.queries import counting, get_counting

pytestmark = pytest.mark.django_db


def test_it_reads_the_user_and_their_organisation_in_one_query(officer):
    with counting(queries=1):
        user = UserBackend().get_user(officer.pk)
        assert user.organisation.name == officer.organisation.name


def test_it_refuses_a_deactivated_user(officer):
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert UserBackend().get_user(officer.pk) is None


def test_a_page_reads_the_organisation_with_the_user(officer_client):
    page = get_counting(officer_client, reverse("home"), contains="You work for Embassy A")
    organisation_reads = [
        sql for sql in page.queries if sql.startswith('SELECT "accounts_organisation"')
    ]
    assert organisation_reads == []


def test_a_token_request_reads_the_organisation_with_the_user(officer):
    """The token lookup joins the organisation: checking that it is active (and the tenancy
    scopes reading it) costs no query of its own."""
    from django.test import Client

    from accounts.services import token_create

    _instance, key = token_create(user=officer)
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    me = get_counting(api, reverse("api:me"), contains=officer.email)
    assert me.json()["organisation"]["name"] == officer.organisation.name
    organisation_reads = [
        sql for sql in me.queries if sql.startswith('SELECT "accounts_organisation"')
    ]
    assert organisation_reads == []


def test_it_refuses_a_member_of_a_deactivated_organisation(officer):
    type(officer.organisation).objects.filter(pk=officer.organisation_id).update(is_active=False)
    assert UserBackend().get_user(officer.pk) is None
