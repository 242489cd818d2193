"""The three differencing attacks on the network dashboard (issue 16, item 3), tried as a
coordinator would: each subtracts published figures to get a count the suppression hid.

1. Two period totals a day apart gave the count of that day.
2. Two networks sharing members gave one member's exact count.
3. A shelter city's guest-days gave one stay's length, and sliding the period its dates.
"""

from __future__ import annotations

import csv
import datetime
import io
from datetime import date
from fractions import Fraction
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Role
from dashboards.periods import MONTH, QUARTER, YEAR, Period
from dashboards.suppression import GROUPS
from relocation.models import ShelterReferral
from tests.conftest import verified_client
from tests.factories import (
    CaseFactory,
    DefenderFactory,
    NetworkFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.relocation.factories import approved_request, city

FREE_RANGE_REFUSED = "The dashboard shows calendar months, quarters and years only"
NODES = [(YEAR, 0), *((QUARTER, q) for q in range(1, 5)), *((MONTH, m) for m in range(1, 13))]
PERIODS_2026 = [
    Period(2026),
    *(Period(2026, quarter=q) for q in range(1, 5)),
    *(Period(2026, month=m) for m in range(1, 13)),
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def desk(db):
    return OrganisationFactory(name="Capital desk", kind=Organisation.Kind.CAPITAL)


@pytest.fixture
def client(desk):
    return verified_client(UserFactory(organisation=desk, role=Role.COORDINATOR))


def _mission(name: str) -> Organisation:
    return OrganisationFactory(name=name, kind=Organisation.Kind.MISSION)


def _open_cases(organisation, count: int, *, country: str = "CO", opened_on=date(2026, 3, 2)):
    for _ in range(count):
        CaseFactory(
            organisation=organisation,
            defender=DefenderFactory(organisation=organisation, country=country),
            opened_on=opened_on,
        )


def _csv(client, network, key: str, period: str) -> dict[str, list[str]]:
    """A chart's CSV export as ``{row label: shown values}`` (the totals under "Total")."""
    url = reverse("dashboards:network_export", args=[network.pk, key])
    response = client.get(url, {"period": period})
    assert response.status_code == 200, response.content
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    return {row[0]: row[1:] for row in rows[2:]}


def _exact(shown: str) -> int | None:
    return int(shown) if shown.isdigit() else None


def determined(known: dict, target) -> int | None:
    """What a coordinator can work out for ``target`` from the published exact values of a
    calendar year's nodes, knowing that the year is the sum of its quarters and a quarter
    of its months: its value when the sums and the known values fix it, else None."""
    if target in known:
        return known[target]
    unknown = [node for node in NODES if node not in known]
    column = {node: index for index, node in enumerate(unknown)}
    rows: list[list[Fraction]] = []
    for parent, children in GROUPS:
        row = [Fraction(0)] * (len(unknown) + 1)
        for node, sign in [(parent, 1), *((child, -1) for child in children)]:
            if node in known:
                row[-1] -= sign * known[node]
            else:
                row[column[node]] += sign
        rows.append(row)
    # Reduced row echelon form: the target is fixed when its pivot row has nothing else.
    pivot_row = 0
    pivots: dict[int, int] = {}
    for col in range(len(unknown)):
        found = next((r for r in range(pivot_row, len(rows)) if rows[r][col] != 0), None)
        if found is None:
            continue
        rows[pivot_row], rows[found] = rows[found], rows[pivot_row]
        lead = rows[pivot_row][col]
        rows[pivot_row] = [value / lead for value in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[pivot_row], strict=True)]
        pivots[col] = pivot_row
        pivot_row += 1
    row = pivots.get(column[target])
    if row is None:
        return None
    others = [i for i, value in enumerate(rows[row][:-1]) if value != 0 and i != column[target]]
    return None if others else int(rows[row][-1])


def test_the_solver_finds_a_month_given_back_by_its_quarter():
    """The attack the tests below defeat, on figures published without protection."""
    known = {(QUARTER, 1): 16, (MONTH, 1): 6, (MONTH, 2): 7}
    assert determined(known, (MONTH, 3)) == 3
    assert determined({(QUARTER, 1): 16, (MONTH, 2): 7}, (MONTH, 3)) is None


# --- 1. two period totals -------------------------------------------------------------------


def test_two_free_date_ranges_a_day_apart_are_refused(client, desk):
    """Cases opened from 1 January to 9 March, then to 10 March: the difference was the
    count of 10 March. Neither range is computed now, on the page or in the CSV."""
    mission = _mission("Mission A")
    network = NetworkFactory(members=[desk, mission])
    _open_cases(mission, 13, opened_on=date(2026, 2, 2))
    _open_cases(mission, 3, opened_on=date(2026, 3, 10))
    page = reverse("dashboards:network", args=[network.pk])
    export = reverse("dashboards:network_export", args=[network.pk, "new_cases_incidents"])
    for end in ("2026-03-09", "2026-03-10"):
        response = client.get(page, {"start": "2026-01-01", "end": end})
        assert response.status_code == 400
        assert FREE_RANGE_REFUSED in response.content.decode()
        assert response.context["figures"] == []
        response = client.get(export, {"start": "2026-01-01", "end": end})
        assert response.status_code == 400
        assert FREE_RANGE_REFUSED in response.content.decode()
    # A period named to the day is no period either.
    response = client.get(page, {"period": "2026-03-10"})
    assert response.status_code == 400
    assert "“2026-03-10” is not a period" in response.content.decode()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-13", "“2026-13” is not a period"),
        ("2026-Q5", "“2026-Q5” is not a period"),
        ("last week", "“last week” is not a period"),
        ("0001", "Choose a year from"),
        ("9999-Q1", "Choose a year from"),
    ],
)
def test_it_answers_a_bad_period_with_400_and_the_message(client, desk, value, message):
    network = NetworkFactory(members=[desk])
    page = client.get(reverse("dashboards:network", args=[network.pk]), {"period": value})
    assert page.status_code == 400
    assert message in page.content.decode()
    export = reverse("dashboards:network_export", args=[network.pk, "open_by_country"])
    response = client.get(export, {"period": value})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_year_its_quarters_and_its_months_never_give_a_hidden_month_back(client, desk):
    """Mission A opened 6 cases in January, 7 in February, 3 in March, 5 in May. Every
    month, quarter and year of 2026 is asked for: the 3 of March cannot be worked out from
    any combination of what they publish (Q1 - January - February, the year - the other
    quarters...), and each month shows the same thing on every page it is on."""
    mission = _mission("Mission A")
    network = NetworkFactory(members=[desk, mission])
    for month, count in ((1, 6), (2, 7), (3, 3), (5, 5)):
        _open_cases(mission, count, opened_on=date(2026, month, 10))
    shown: dict = {}
    for period in PERIODS_2026:
        table = _csv(client, network, "new_cases_incidents", period.label)
        pairs = [(period.node, table.pop("Total")[0])]
        pairs += [((MONTH, int(label[5:])), values[0]) for label, values in table.items()]
        for node, value in pairs:
            assert shown.setdefault(node, value) == value, f"{node} differs between pages"
    known = {node: _exact(value) for node, value in shown.items() if _exact(value) is not None}
    assert determined(known, (MONTH, 3)) is None
    assert shown[(MONTH, 3)] == "≥ 1"
    # What is not at risk stays shown: the year, the first quarter, May.
    assert (shown[(YEAR, 0)], shown[(QUARTER, 1)], shown[(MONTH, 5)]) == ("21", "16", "5")


# --- 2. two overlapping networks ------------------------------------------------------------


def test_a_network_and_the_same_network_with_one_more_member_do_not_give_that_member_away(
    client, desk
):
    """Andes = desk + Mission A; Andes and Peru = the same + Mission B, whose 3 cases are in
    Peru. Every figure of both networks, subtracted cell by cell, gives no count from 1 to 4."""
    mission_a, mission_b = _mission("Mission A"), _mission("Mission B")
    andes = NetworkFactory(name="Andes", members=[desk, mission_a])
    wider = NetworkFactory(name="Andes and Peru", members=[desk, mission_a, mission_b])
    _open_cases(mission_a, 7)
    _open_cases(mission_b, 3, country="PE")
    keys = ["open_by_country", "open_by_risk", "open_by_threat", "open_by_area"]
    keys += ["new_cases_incidents", "member_activity"]
    revealed = []
    for key in keys:
        small, large = _csv(client, andes, key, "2026"), _csv(client, wider, key, "2026")
        for label, values in large.items():
            for column, value in enumerate(values):
                before = small.get(label, ["0"] * len(values))[column]
                if _exact(value) is not None and _exact(before) is not None:
                    difference = _exact(value) - _exact(before)
                    if 0 < difference < 5:
                        revealed.append((key, label, difference))
    assert revealed == []
    assert _csv(client, wider, "open_by_risk", "2026")["not assessed"] == ["≥ 8"]


def test_two_networks_sharing_a_member_show_it_the_same_and_cannot_be_subtracted(client, desk):
    """Network 1: Missions A (3 open cases) and B (7); network 2: B and C (20). The
    complementary suppression of each network's own table hid B in one and showed it in the
    other, so network 1's total minus B gave A's 3. Each member is now suppressed on its
    own: B shows the same everywhere, and no total is exact where A is hidden."""
    a, b, c = _mission("Mission A"), _mission("Mission B"), _mission("Mission C")
    first = NetworkFactory(name="First", members=[desk, a, b])
    second = NetworkFactory(name="Second", members=[desk, b, c])
    for organisation, count in ((a, 3), (b, 7), (c, 20)):
        _open_cases(organisation, count)
    one = _csv(client, first, "member_activity", "2026")
    two = _csv(client, second, "member_activity", "2026")
    assert one["Mission B"] == two["Mission B"] == ["7", "0", "0"]
    assert one["Mission A"][0] == "≥ 1"
    assert one["Total"][0] == "≥ 8"
    # Every exact total of network 1 is the sum of its exact members: nothing hidden in it.
    assert two["Total"][0] == "27"


# --- 3. a shelter stay's guest-days ---------------------------------------------------------


@pytest.fixture
def shelter(desk):
    mission = _mission("Mission A")
    officer = UserFactory(organisation=mission, role=Role.OFFICER)
    utrecht = city(name="Shelter City Utrecht", periods=[(date(2026, 1, 1), date(2026, 12, 31), 4)])
    network = NetworkFactory(members=[desk, mission, utrecht])
    case = CaseFactory(organisation=mission)
    request = approved_request(case, officer)

    def stay(start: date, end: date) -> ShelterReferral:
        return ShelterReferral.objects.create(
            organisation=mission,
            request=request,
            case=case,
            city=utrecht,
            created_by=officer,
            start=start,
            end=end,
            status="completed",
        )

    network.stay = stay
    return network


def test_one_stays_guest_days_are_never_shown_and_cannot_be_slid(client, shelter):
    """One guest from 1 to 10 March: "10 guest-days" told the stay's length, and moving the
    start of a free range a day at a time until the figure dropped told its dates."""
    shelter.stay(date(2026, 3, 1), date(2026, 3, 10))
    for period in PERIODS_2026:
        table = _csv(client, shelter, "shelter_capacity", period.label)
        assert _exact(table["Guest-days hosted"][0]) in (None, 0), period.label
    page = reverse("dashboards:network", args=[shelter.pk])
    figures = client.get(page, {"period": "2026-03"}).context["figures"]
    capacity = next(figure for figure, _chart in figures if figure.key == "shelter_capacity")
    # 10 of 124 place-days would be 8 %: the rate would give the 10 back.
    assert dict(capacity.measures)["Capacity used"] == "hidden (fewer than 5)"
    for start in ("2026-03-02", "2026-03-03"):
        response = client.get(page, {"start": start, "end": "2026-12-31"})
        assert response.status_code == 400
        assert FREE_RANGE_REFUSED in response.content.decode()


def test_a_lone_stay_beside_published_ones_cannot_be_subtracted_out_of_its_year(client, shelter):
    """Five stays in January (published) and one in May alone: the year minus January and
    the other months would give May's, that is the lone stay's length."""
    for day in (2, 4, 6, 8, 10):
        shelter.stay(date(2026, 1, day), date(2026, 1, day + 9))
    shelter.stay(date(2026, 5, 4), date(2026, 5, 20))
    shown = {}
    for period in PERIODS_2026:
        table = _csv(client, shelter, "shelter_capacity", period.label)
        shown[period.node] = table["Guest-days hosted"][0]
    known = {node: _exact(value) for node, value in shown.items() if _exact(value) is not None}
    assert determined(known, (MONTH, 5)) is None
    # January is hidden with May's quarter; the year, resting on six stays, stays shown.
    assert shown[(YEAR, 0)] == "67"
    assert shown[(MONTH, 5)] == shown[(QUARTER, 2)] == "≥ 1"


@pytest.mark.parametrize(
    ("zone", "utc_now", "current_year"),
    [
        # 1 January 01:00 in Kiritimati: the figures' year (UTC's) is still 2026.
        ("Pacific/Kiritimati", datetime.datetime(2026, 12, 31, 11, 0, tzinfo=datetime.UTC), 2026),
        # 31 December 19:00 in Honolulu: UTC's 2027 has begun, with its first events.
        ("Pacific/Honolulu", datetime.datetime(2027, 1, 1, 5, 0, tzinfo=datetime.UTC), 2027),
    ],
)
def test_the_periods_offered_follow_the_figures_calendar_not_the_readers(
    zone, utc_now, current_year
):
    from dashboards.forms import PeriodForm

    # on the reader's page: the reader's zone is the active one
    with (
        mock.patch("django.utils.timezone.now", return_value=utc_now),
        timezone.override(ZoneInfo(zone)),
    ):
        assert PeriodForm().initial["period"] == str(current_year)
        assert PeriodForm({"period": str(current_year)}).is_valid()
        assert not PeriodForm({"period": str(current_year + 1)}).is_valid()
