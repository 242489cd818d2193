"""The main menu: every app adds its entries once, from its hooks; a test can replace them
(``hrdcase.navigation.override``) and the apps' entries come back after it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from hrdcase.navigation import NavItem, override
from tests.conftest import verified_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _menu(client) -> list[str]:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return [item["label"] for item in response.context["nav"]["items"]]


def test_the_menu_shows_every_app_s_entries_for_the_role(org, officer_client):
    coordinator = verified_client(UserFactory(organisation=org, role=Role.COORDINATOR))
    assert "Network dashboard" in _menu(coordinator)
    officer_menu = _menu(officer_client)
    assert "Network dashboard" not in officer_menu
    assert {"Dashboard", "Alerts", "Inbox", "Tasks", "Calendar"} <= set(officer_menu)
    # one inbox: the former Notifications and Updates entries are gone
    assert not {"Notifications", "Updates"} & set(officer_menu)


def test_platform_staff_have_no_calendar(db):
    staff = UserFactory(organisation=None, is_staff=True, is_superuser=True)
    assert "Calendar" not in _menu(verified_client(staff))


def test_an_override_replaces_the_menu_and_the_apps_entries_come_back(officer_client):
    registered = _menu(officer_client)
    with override(NavItem("logbooks:inbox", "Only this")):
        assert _menu(officer_client) == ["Only this"]
    assert _menu(officer_client) == registered
