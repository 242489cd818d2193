"""Isolation of the network dashboard's routes beyond the 404 (test_every_route.py):

- the period is read only once the network is known to be the user's, so a malformed or free
  period still answers 404 to another organisation (a 400 would say the network exists);
- a coordinator whose organisation belongs to two networks cannot learn another member
  organisation's hidden count by subtracting the two networks' figures, on the page or in
  the CSV export (issue 16, item 3).
"""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Organisation, Role
from tests.conftest import verified_client
from tests.factories import (
    CaseFactory,
    DefenderFactory,
    NetworkFactory,
    OrganisationFactory,
    UserFactory,
)

OUTSIDER_ROLES = [Role.ADMIN, Role.OFFICER, Role.VIEWER, Role.COORDINATOR]
BAD_PERIODS = [{"period": "9999"}, {"period": "2026-03-10"}, {"start": "2026-01-01"}]


@pytest.fixture
def networks(db):
    """A desk in two networks: the first with Mission A (7 open cases), the second with
    Mission A and Mission B (3 open cases, Mission B's only ones)."""
    desk = OrganisationFactory(name="Capital desk", kind=Organisation.Kind.CAPITAL)
    mission_a = OrganisationFactory(name="Mission A", kind=Organisation.Kind.MISSION)
    mission_b = OrganisationFactory(name="Mission B", kind=Organisation.Kind.MISSION)
    for organisation, count in ((mission_a, 7), (mission_b, 3)):
        for _ in range(count):
            CaseFactory(
                organisation=organisation,
                defender=DefenderFactory(organisation=organisation, country="PE"),
                opened_on=date(2026, 3, 2),
            )
    first = NetworkFactory(name="First", members=[desk, mission_a])
    second = NetworkFactory(name="Second", members=[desk, mission_a, mission_b])
    coordinator = UserFactory(organisation=desk, role=Role.COORDINATOR)
    return first, second, verified_client(coordinator)


@pytest.mark.parametrize("params", BAD_PERIODS)
@pytest.mark.parametrize("role", OUTSIDER_ROLES)
def test_another_organisation_gets_404_whatever_the_period(networks, role, params):
    _first, second, _client = networks
    outsider = verified_client(UserFactory(organisation=OrganisationFactory(), role=role))
    for url in (
        reverse("dashboards:network", args=[second.pk]),
        reverse("dashboards:network_export", args=[second.pk, "open_by_country"]),
    ):
        assert outsider.get(url, params).status_code == 404, url


def _page_cells(client, network, key: str) -> dict[str, list[str]]:
    """The figure's table as the page shows it (its rows and its "Total" row)."""
    response = client.get(reverse("dashboards:network", args=[network.pk]), {"period": "2026"})
    assert response.status_code == 200
    body = response.content.decode()
    section = body[body.index(f'aria-labelledby="fig-{key}-heading"') :]
    section = section[: section.index("</section>")]
    rows = re.findall(r'<th scope="row">(.*?)</th>((?:<td>.*?</td>)+)</tr>', section)
    return {html.unescape(label): re.findall(r"<td>(.*?)</td>", cells) for label, cells in rows}


def _csv_cells(client, network, key: str) -> dict[str, list[str]]:
    url = reverse("dashboards:network_export", args=[network.pk, key])
    response = client.get(url, {"period": "2026"})
    assert response.status_code == 200
    return {row[0]: row[1:] for row in list(csv.reader(io.StringIO(response.content.decode())))[2:]}


@pytest.mark.parametrize("read", [_page_cells, _csv_cells], ids=["page", "csv"])
@pytest.mark.parametrize("key", ["open_by_country", "open_by_risk", "member_activity"])
def test_two_networks_of_a_coordinator_do_not_subtract_into_another_members_count(
    networks, read, key
):
    first, second, client = networks
    small, large = read(client, first, key), read(client, second, key)
    assert "Total" in small and "Total" in large
    for label, values in large.items():
        for column, value in enumerate(values):
            before = small.get(label, ["0"] * len(values))[column]
            if value.isdigit() and before.isdigit():
                assert not 0 < int(value) - int(before) < 5, (key, label, value, before)
