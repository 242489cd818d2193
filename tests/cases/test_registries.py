"""The registries of the case page (cases/registries/): each section of the page is one loop
over the panels registered with it, ``cases``' own included, and a test changes a registry
for one block with its ``override()`` instead of patching its internals."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.registries import panels, parts, purgers, timeline
from cases.registries.panels import Panel
from cases.registries.timeline import TimelineItem
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(org, officer):
    return CaseFactory(organisation=org, pseudonym="Ceiba", lead_officer=officer)


def _page(client, case, section: str = "overview") -> str:
    if section == "overview":
        url = reverse("cases:detail", args=[case.pk])
    else:
        url = reverse("cases:section", args=[case.pk, section])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _visit(case, access):
    yield TimelineItem(
        at=timezone.now() - datetime.timedelta(hours=1),
        kind="visit",
        title="Prison visit by the consul",
    )


def test_a_timeline_provider_registered_for_a_block_shows_on_the_case_page_then_goes(
    officer_client, case
):
    with timeline.override({"tests.visit": _visit}):
        assert "Prison visit by the consul" in _page(officer_client, case, "logbook")
    assert "Prison visit by the consul" not in _page(officer_client, case, "logbook")


#: a heading of each section's panels (the owner's writer's view of a new case).
SECTION_HEADINGS = {
    "overview": ("Urgent alerts", "Logbook", "Defender"),
    "logbook": ("Timeline",),
    "actions": ("Diplomatic actions", "Diplomatic support"),
    "risk": ("Risk",),
    "sharing": ("Consent and sharing", "Who viewed this case"),
}


def test_the_case_page_draws_only_the_registered_panels(officer_client, case):
    """Everything below the summary header and the sub-navigation is a registered panel of
    the section: the identity, the risk, the timeline, consent and sharing, who viewed the
    case, the other apps' panels."""
    for section, headings in SECTION_HEADINGS.items():
        page = _page(officer_client, case, section)
        for heading in headings:
            assert f">{heading}</h2>" in page, (section, heading)
    with panels.override(only=True):
        for section, headings in SECTION_HEADINGS.items():
            bare = _page(officer_client, case, section)
            for heading in headings:
                assert f">{heading}</h2>" not in bare, (section, heading)
            assert case.reference in bare  # the summary header stays
            assert 'aria-label="Case sections"' in bare


def test_a_section_draws_its_own_panels_and_runs_no_other(officer_client, case):
    """A panel of one section: its context function runs on that section alone."""
    ran = []

    def context(request, case, access):
        ran.append(request.path)
        return {"cases": []}

    extra = Panel("tests.risk_only", "cases/_other_cases_panel.html", context, 50, "risk")
    with panels.override({extra.name: extra}):
        for section in ("overview", "logbook", "actions", "incidents", "relocation", "sharing"):
            _page(officer_client, case, section)
        assert ran == []
        _page(officer_client, case, "risk")
    assert ran == [reverse("cases:section", args=[case.pk, "risk"])]


def test_a_panel_registered_for_a_block_is_drawn_in_its_place(officer_client, case):
    """Order 150 in "Sharing and consent": above consent and sharing (200) and the defender's
    other cases (220); on no other section."""
    other = CaseFactory(organisation=case.organisation, defender=case.defender, pseudonym="Roble")
    extra = Panel(
        "tests.other_cases_again",
        "cases/_other_cases_panel.html",
        lambda request, case, access: {"cases": [other]},
        150,
        "sharing",
    )
    with panels.override({extra.name: extra}):
        page = _page(officer_client, case, "sharing")
        overview = _page(officer_client, case)
    sharing_at = page.index(">Consent and sharing</h2>")
    drawn = [i for i in range(len(page)) if page.startswith(">Other cases of this defender<", i)]
    assert len(drawn) == 2  # the registered one, and cases' own at 220
    assert drawn[0] < sharing_at < drawn[1]
    assert ">Other cases of this defender<" not in overview


def test_override_puts_every_registry_back_as_it_was(officer_client, case):
    purgers_before = purgers.registered_purgers()
    with (
        purgers.override(only=True),
        timeline.override(only=True),
        panels.override(only=True),
        parts.override(only=True),
    ):
        purgers.register_purger("tests.part", lambda case: None)
        assert list(purgers.registered_purgers()) == ["tests.part"]
        assert not parts.is_registered("cases.incidents")
    assert purgers.registered_purgers() == purgers_before
    assert parts.is_registered("cases.incidents")
    assert ">Timeline</h2>" in _page(officer_client, case, "logbook")


def test_a_section_registered_for_a_block_has_its_url_and_link_then_goes(officer_client, case):
    from django.utils.translation import gettext_lazy

    from cases.registries.panels import Section

    extra = Section("visits", gettext_lazy("Prison visits"), 35)
    panel = Panel(
        "tests.visits", "cases/_other_cases_panel.html", lambda r, c, a: {"cases": []}, 1, "visits"
    )
    with panels.override({panel.name: panel}, sections={"visits": extra}):
        page = _page(officer_client, case, "visits")
        assert 'aria-current="page">Prison visits</a>' in page
        assert ">Other cases of this defender</h2>" in page
        # between Risk (30) and Incidents and court (40)
        assert page.index(">Risk</a>") < page.index(">Prison visits</a>")
        assert page.index(">Prison visits</a>") < page.index(">Incidents and court</a>")
    url = reverse("cases:section", args=[case.pk, "visits"])
    assert officer_client.get(url).status_code == 404
    assert "Prison visits" not in _page(officer_client, case)
