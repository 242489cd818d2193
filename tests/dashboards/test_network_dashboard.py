"""The network dashboard: coordinators of a network see suppressed aggregates of its members."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Organisation, Role
from cases.models import Case
from dashboards.periods import Period
from hrdcase.models import AuditEvent
from tests.conftest import verified_client
from tests.dashboards.figures import network_figures
from tests.factories import (
    CaseFactory,
    DefenderFactory,
    NetworkFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.queries import get_counting


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def network(db):
    """Two missions and a capital desk; 7 open cases in Colombia, 3 in Peru, 1 closed."""
    mission_a = OrganisationFactory(name="Mission A", kind=Organisation.Kind.MISSION)
    mission_b = OrganisationFactory(name="Mission B", kind=Organisation.Kind.MISSION)
    desk = OrganisationFactory(name="Capital desk", kind=Organisation.Kind.CAPITAL)
    network = NetworkFactory(name="Andes network", members=[mission_a, mission_b, desk])
    for _ in range(7):
        CaseFactory(
            organisation=mission_a,
            defender=DefenderFactory(organisation=mission_a, country="CO"),
            opened_on=date(2026, 3, 10),
        )
    for _ in range(3):
        CaseFactory(
            organisation=mission_b,
            defender=DefenderFactory(organisation=mission_b, country="PE"),
            opened_on=date(2026, 4, 2),
        )
    closed = CaseFactory(organisation=mission_b, opened_on=date(2026, 4, 20))
    Case.objects.unscoped().filter(pk=closed.pk).update(
        status=Case.Status.CLOSED, closing_reason="risk_reduced", closed_on=date(2026, 5, 1)
    )
    network.desk = desk
    network.mission_a = mission_a
    return network


@pytest.fixture
def coordinator(network):
    return UserFactory(organisation=network.desk, role=Role.COORDINATOR)


YEAR_2026 = Period(2026)


def _figure(network, key, period=YEAR_2026):
    return next(f for f in network_figures(network, period) if f.key == key)


def test_it_counts_open_cases_by_country_and_suppresses_small_ones(network):
    figure = _figure(network, "open_by_country")
    # Mission B's 3 cases in Peru are hidden; the total adds up what is shown, so it cannot
    # give them back: "at least 8" (7, and at least 1 hidden).
    assert figure.table() == [("Colombia", ["7"]), ("Peru", ["≥ 1"])]
    assert figure.shown_totals == ["≥ 8"]


def test_it_counts_new_cases_per_month_by_hand(network):
    figure = _figure(network, "new_cases_incidents")
    by_month = dict(figure.table())
    assert by_month["2026-03"] == ["7", "0"]
    assert by_month["2026-04"] == ["≥ 1", "0"]  # Mission B's 4
    assert by_month["2026-01"] == ["0", "0"]
    assert len(figure.rows) == 12
    quarter = _figure(network, "new_cases_incidents", Period(2026, quarter=1))
    assert quarter.table() == [
        ("2026-01", ["0", "0"]),
        ("2026-02", ["0", "0"]),
        ("2026-03", ["7", "0"]),
    ]
    assert quarter.shown_totals == ["7", "0"]


def test_it_shows_per_member_activity(network):
    figure = _figure(network, "member_activity")
    assert figure.columns == ["Open cases followed", "Logbook entries", "Diplomatic actions"]
    # Each member's figures on their own: Mission A's 7 stay shown beside Mission B's 3.
    assert figure.table() == [
        ("Capital desk", ["0", "0", "0"]),
        ("Mission A", ["7", "0", "0"]),
        ("Mission B", ["≥ 1", "0", "0"]),
    ]
    assert figure.shown_totals == ["≥ 8", "0", "0"]


def test_it_answers_404_to_a_user_who_is_not_a_coordinator(network):
    officer = UserFactory(organisation=network.desk, role=Role.OFFICER)
    client = verified_client(officer)
    assert client.get(reverse("dashboards:network", args=[network.pk])).status_code == 404
    assert client.get(reverse("dashboards:networks")).status_code == 404


def test_it_answers_404_to_a_coordinator_of_another_network(network):
    elsewhere = OrganisationFactory(name="Other desk", kind=Organisation.Kind.CAPITAL)
    NetworkFactory(name="Sahel network", members=[elsewhere])
    client = verified_client(UserFactory(organisation=elsewhere, role=Role.COORDINATOR))
    assert client.get(reverse("dashboards:network", args=[network.pk])).status_code == 404
    export = reverse("dashboards:network_export", args=[network.pk, "open_by_country"])
    assert client.get(export).status_code == 404


def test_it_shows_the_coordinator_no_pseudonym(network, coordinator):
    response = verified_client(coordinator).get(
        reverse("dashboards:network", args=[network.pk]), {"period": "2026"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    pseudonyms = Case.objects.unscoped().values_list("pseudonym", flat=True)
    assert not [p for p in pseudonyms if p in body]
    assert "Open cases by country" in body and "≥ 1" in body
    assert "Period: 2026 (1 Jan 2026 to 31 Dec 2026)" in body


def test_it_opens_on_the_current_calendar_year_and_offers_months_quarters_and_years(
    network, coordinator
):
    from django.utils import timezone

    response = verified_client(coordinator).get(reverse("dashboards:network", args=[network.pk]))
    assert response.status_code == 200
    year = timezone.localdate().year
    assert response.context["period"] == Period(year)
    body = response.content.decode()
    assert f'<option value="{year}" selected>' in body
    for value in (f"{year}-Q3", f"{year}-11", f"{year - 9}", f"{year - 9}-01"):
        assert f'<option value="{value}"' in body
    assert f'<option value="{year - 10}"' not in body


def test_it_exports_a_chart_as_suppressed_csv_and_audits_it(network, coordinator):
    url = reverse("dashboards:network_export", args=[network.pk, "open_by_country"])
    response = verified_client(coordinator).get(url, {"period": "2026-Q2"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="open_by_country-2026-Q2.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Open cases by country", "2026-Q2"]
    assert rows[2:] == [["Colombia", "7"], ["Peru", "≥ 1"], ["Total", "≥ 8"]]
    event = AuditEvent.objects.get(action="dashboard.export")
    assert event.actor_id == coordinator.pk and event.data["chart"] == "open_by_country"
    assert event.data["period"] == "2026-Q2"


def test_it_runs_a_fixed_number_of_queries_whatever_the_data_size(network, coordinator):
    client = verified_client(coordinator)
    url = reverse("dashboards:network", args=[network.pk])
    cache.clear()
    small = get_counting(client, url, contains=network.name)
    for _ in range(20):
        CaseFactory(organisation=network.mission_a)
    cache.clear()
    large = get_counting(client, url, queries=len(small.queries), contains=network.name)
    # Cached: a second view runs no aggregate again.
    get_counting(client, url, max_queries=len(large.queries) - 1, contains=network.name)


def test_beat_keeps_the_default_period_warm_in_each_coordinators_language(network, coordinator):
    """Coordinators open the dashboard on the default period without waiting for the
    aggregates: beat recomputes it, in their languages, before the cached copy expires."""
    from dashboards.tasks import warm_network_figures_task

    french = UserFactory(organisation=network.mission_a, role=Role.COORDINATOR, language="fr")
    NetworkFactory(name="No coordinator", members=[OrganisationFactory()])
    assert warm_network_figures_task.apply().get() == 2  # this network, in English and French

    # A case opened after the refresh is not counted yet: the page is the copy beat made.
    CaseFactory(
        organisation=network.mission_a,
        defender=DefenderFactory(organisation=network.mission_a, country="CO"),
    )
    url = reverse("dashboards:network", args=[network.pk])
    served = get_counting(verified_client(coordinator), url, contains=network.name)
    english = served.content.decode()
    # Mission A's 7 and Mission B's 3 (hidden): at least 8.
    assert '<th scope="row">not assessed</th><td>≥ 8</td>' in english
    assert not any("cases_defender" in sql for sql in served.queries)
    french_page = verified_client(french).get(url).content.decode()
    # French sets a no-break space after "≥" (locale/fr: "≥\u00a0%(count)s").
    assert '<th scope="row">non évalué</th><td>≥\u00a08</td>' in french_page

    warm_network_figures_task.apply()
    english = verified_client(coordinator).get(url).content.decode()
    assert '<th scope="row">not assessed</th><td>≥ 9</td>' in english


def test_another_period_reuses_todays_open_cases_and_computes_only_its_own(network, coordinator):
    """The open-case figures are as of today on every period's page: beat's copy serves
    them, and a period first viewed runs only its own aggregates (then is cached too)."""
    from dashboards.tasks import warm_network_figures_task

    warm_network_figures_task.apply()
    CaseFactory(  # after the refresh: in no copy yet
        organisation=network.mission_a,
        defender=DefenderFactory(organisation=network.mission_a, country="CO"),
        opened_on=date(2025, 6, 1),
    )
    client = verified_client(coordinator)
    url = reverse("dashboards:network", args=[network.pk])
    first = get_counting(client, url + "?period=2025-Q2", contains="Colombia")
    sqls = " ".join(first.queries)
    assert "cases_defender" not in sqls and "cases_case_threat_types" not in sqls
    assert "cases_incident" in sqls and "relocation_visareferral" in sqls  # the period's own
    html = first.content.decode()
    assert '<th scope="row">not assessed</th><td>≥ 8</td>' in html  # beat's 7 + 3 (hidden)
    assert '<th scope="row">2025-06</th><td>≥ 1</td>' in html  # the new case, by its month
    assert "Days and months are counted in UTC time for every reader" in html
    again = get_counting(client, url + "?period=2025-Q2", contains="Colombia")
    assert "cases_incident" not in " ".join(again.queries)

    warm_network_figures_task.apply()  # the next refresh counts it on every period's page
    html = client.get(url + "?period=2025-Q2").content.decode()
    assert '<th scope="row">not assessed</th><td>≥ 9</td>' in html


def test_access_ends_with_the_network_whatever_the_cache_holds(network, coordinator):
    """Beat's warm copies never stand in for the membership check: a coordinator whose
    organisation left the network gets 404 at once, and a member that left is out of the
    next page and export, before beat's next refresh."""
    from dashboards.tasks import warm_network_figures_task

    warm_network_figures_task.apply()
    client = verified_client(coordinator)
    page = reverse("dashboards:network", args=[network.pk])
    export = reverse("dashboards:network_export", args=[network.pk, "open_by_country"])
    assert "Colombia" in client.get(page).content.decode()
    assert "Colombia" in client.get(page, {"period": "2025"}).content.decode()
    assert "Colombia" in client.get(export).content.decode()

    network.members.remove(network.mission_a)  # its 7 cases in Colombia; no refresh
    assert "Colombia" not in client.get(page).content.decode()
    assert "Colombia" not in client.get(page, {"period": "2025"}).content.decode()
    assert "Colombia" not in client.get(export).content.decode()
    network.mission_a.networks.add(network)  # back, from the organisation's side
    assert "Colombia" in client.get(page).content.decode()

    network.members.remove(network.desk)
    for url in (page, export, reverse("dashboards:network_export_all", args=[network.pk])):
        assert client.get(url, {"period": "2026"}).status_code == 404, url


def test_a_member_closed_on_the_platform_counts_no_more_from_the_next_page(network, coordinator):
    """A deactivated member's cases leave every figure of its networks at once (the cached
    copies were computed with it), and come back if it is opened again."""
    from accounts.services import organisation_deactivate, organisation_reactivate
    from dashboards.tasks import warm_network_figures_task

    warm_network_figures_task.apply()
    client = verified_client(coordinator)
    page = reverse("dashboards:network", args=[network.pk])
    assert "Colombia" in client.get(page).content.decode()
    staff = UserFactory(organisation=None, is_staff=True, is_superuser=True)

    organisation_deactivate(organisation=network.mission_a, acting_user=staff)  # 7 in Colombia
    assert "Colombia" not in client.get(page).content.decode()
    assert "Colombia" not in client.get(page, {"period": "2025"}).content.decode()
    organisation_reactivate(organisation=network.mission_a, acting_user=staff)
    assert "Colombia" in client.get(page).content.decode()


# --- figures that say what they mean (issue 23, item 5) -------------------------------------


def test_rows_that_do_not_add_up_have_no_total(network, coordinator):
    assert not _figure(network, "shelter_capacity").summable  # guest-days beside place-days
    assert not _figure(network, "open_by_threat").summable  # a case under several types
    assert not _figure(network, "open_by_area").summable
    assert _figure(network, "open_by_country").summable
    page = verified_client(coordinator).get(reverse("dashboards:network", args=[network.pk]))
    html = page.content.decode()
    capacity = html[html.index('id="fig-shelter_capacity-heading"') :]
    capacity = capacity[: capacity.index("</section>")]
    assert "<tfoot>" not in capacity and "Guest-days hosted" in capacity
    country = html[html.index('id="fig-open_by_country-heading"') :]
    assert "<tfoot>" in country[: country.index("</section>")]


def test_a_measure_resting_on_few_says_hidden_in_words(network, coordinator):
    figure = _figure(network, "shelter_capacity")
    assert dict(figure.measures)["Capacity used"] == "—"  # nothing offered: nothing to say
    page = verified_client(coordinator).get(reverse("dashboards:network", args=[network.pk]))
    html = page.content.decode()
    assert "&lt;5" not in html and "“&lt;5”" not in html
    assert "hidden (fewer than 5)" in html  # the explanation says what the page shows


def test_a_long_label_is_cut_to_fit_and_shown_whole_on_hover():
    from dashboards.charts import LABEL_CHARS, chart
    from dashboards.figures import BAR, Figure
    from dashboards.suppression import Published

    long = "Defensores de derechos territoriales y ambientales"
    figure = Figure("area", "Areas", BAR, ["Open cases"], [(long, [Published(7)])])
    shapes = str(chart(figure)["shapes"])
    shown = shapes[shapes.index("</title>", shapes.index("<text")) + len("</title>") :]
    shown = shown[: shown.index("</text>")]
    assert len(shown) == LABEL_CHARS and shown.endswith("…")
    assert f"<title>{long}</title>" in shapes


def test_a_label_with_markup_is_drawn_as_text_in_the_chart_and_its_table():
    """An area of work is typed by an administrator: the chart's marks and the table are
    built as strings (cached with the figures), so each word must be escaped there."""
    from dashboards.charts import chart
    from dashboards.figures import BAR, Figure
    from dashboards.suppression import Published

    label = 'Land <script>alert("x")</script> & water'
    figure = Figure("area", "Areas", BAR, ["Open cases"], [(label, [Published(0, 1)])])
    drawn = chart(figure)
    escaped = "Land &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; water"
    assert "<script>" not in drawn["shapes"] and "<script>" not in drawn["table_rows"]
    assert f"<title>{escaped}: ≥ 1</title>" in drawn["shapes"]
    assert f'<tr><th scope="row">{escaped}</th><td>≥ 1</td></tr>' == drawn["table_rows"]


def test_all_figures_of_the_period_download_as_one_audited_zip(network, coordinator):
    import zipfile

    client = verified_client(coordinator)
    url = reverse("dashboards:network_export_all", args=[network.pk])
    response = client.get(url, {"period": "2026"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert "open_by_country-2026.csv" in names
    assert len(names) == len(network_figures(network, YEAR_2026))
    rows = list(csv.reader(io.StringIO(archive.read("open_by_country-2026.csv").decode())))
    assert rows[2:] == [["Colombia", "7"], ["Peru", "≥ 1"], ["Total", "≥ 8"]]
    capacity = archive.read("shelter_capacity-2026.csv").decode()
    assert "Total" not in capacity
    event = AuditEvent.objects.get(action="dashboard.export_all")
    assert event.data["period"] == "2026" and "open_by_country" in event.data["charts"]
    assert client.get(url, {"period": "1800"}).status_code == 400
    officer = UserFactory(organisation=network.mission_a, role=Role.OFFICER)
    assert verified_client(officer).get(url, {"period": "2026"}).status_code == 404
    assert AuditEvent.objects.filter(action="dashboard.export_all").count() == 1
