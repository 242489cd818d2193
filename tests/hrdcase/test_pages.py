"""Health, API docs and the base layout: no third-party assets anywhere."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r"""(?:src|href)=["'](?:https?:)?//""", re.IGNORECASE)


def test_healthz_reports_database_and_broker(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_fails_when_the_broker_is_unreachable(client, monkeypatch):
    from functools import partial

    from hrdcase.celery import app

    # Nothing listens on port 1: the broker is down.
    dead = partial(app.connection_for_write, "redis://127.0.0.1:1/0")
    monkeypatch.setattr(app, "connection_for_write", dead)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "database": "ok", "broker": "fail"}


def test_the_login_page_loads_only_our_own_assets(client):
    response = client.get(reverse("accounts:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert not EXTERNAL.search(html)
    assert "/static/vendor/htmx/htmx.min.js" in html
    assert "/static/css/hrdcase.css" in html
    # the design system, vendored, before our own stylesheet; left to right in English
    bootstrap = html.index("/static/vendor/bootstrap/bootstrap.min.css")
    assert bootstrap < html.index("/static/css/hrdcase.css")
    assert "bootstrap.rtl" not in html


def test_a_right_to_left_language_loads_bootstraps_rtl_build(client):
    client.cookies["django_language"] = "ar"
    html = client.get(reverse("accounts:login"), headers={"accept-language": "ar"}).content.decode()
    assert 'dir="rtl"' in html
    assert "/static/vendor/bootstrap/bootstrap.rtl.min.css" in html
    assert "bootstrap.min.css" not in html
    assert not EXTERNAL.search(html)


def test_the_vendored_assets_are_served(client):
    for path in [
        "/static/vendor/htmx/htmx.min.js",
        "/static/css/hrdcase.css",
        "/static/vendor/bootstrap/bootstrap.min.css",
        "/static/vendor/bootstrap/bootstrap.rtl.min.css",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path


def test_the_api_schema_and_docs_are_served_without_a_cdn(officer_client):
    schema = officer_client.get(reverse("schema"))
    assert schema.status_code == 200
    assert b"/api/v1/users/" in schema.content
    docs = officer_client.get(reverse("api-docs"))
    html = docs.content.decode()
    assert docs.status_code == 200
    assert not EXTERNAL.search(html)
    assert "swagger-ui" in html


def test_the_language_switch_is_remembered_on_the_profile(officer_client, officer):
    response = officer_client.post(
        reverse("accounts:set_language"), {"language": "fr", "next": "/"}
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.language == "fr"
    page = officer_client.get(reverse("home"))
    assert page["Content-Language"] == "fr"
    assert '<html lang="fr"' in page.content.decode()
    assert "Se déconnecter" in page.content.decode()  # the French catalogue is shipped


def test_the_navigation_follows_the_role(admin_client_org, viewer_client):
    admin_page = admin_client_org.get(reverse("home")).content.decode()
    viewer_page = viewer_client.get(reverse("home")).content.decode()
    assert reverse("accounts:users") in admin_page
    assert reverse("accounts:users") not in viewer_page
