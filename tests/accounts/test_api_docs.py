"""The API schema and its documentation page are for signed-in users only: the schema maps
every endpoint, field and filter of the platform, a reconnaissance gift to an attacker."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.services import token_create

pytestmark = pytest.mark.django_db


def test_it_refuses_the_schema_to_an_anonymous_request(client):
    response = client.get(reverse("schema"))
    assert response.status_code in (401, 403)
    assert b"/api/v1/" not in response.content


def test_it_sends_an_anonymous_visitor_of_the_docs_page_to_the_login(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_refuses_both_to_a_session_without_second_factor(client, officer):
    client.force_login(officer)  # the password step only
    for name in ("schema", "api-docs"):
        response = client.get(reverse(name))
        assert response.status_code == 403, name
        assert b"/api/v1/" not in response.content


def test_it_serves_both_to_a_signed_in_user(officer_client):
    schema = officer_client.get(reverse("schema"))
    assert schema.status_code == 200
    assert b"/api/v1/users/" in schema.content
    assert officer_client.get(reverse("api-docs")).status_code == 200


def test_it_serves_the_schema_to_an_api_token(officer):
    _instance, key = token_create(user=officer)
    response = Client(HTTP_AUTHORIZATION=f"Token {key}").get(reverse("schema"))
    assert response.status_code == 200
    assert b"/api/v1/users/" in response.content
