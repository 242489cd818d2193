"""The registries of the case page (cases/registries/): the page is one loop over the panels
registered with it, ``cases``' own included, and a test changes a registry for one block
with its ``override()`` instead of patching its internals."""

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


def _page(client, case) -> str:
    response = client.get(reverse("cases:detail", args=[case.pk]))
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
        assert "Prison visit by the consul" in _page(officer_client, case)
    assert "Prison visit by the consul" not in _page(officer_client, case)


def test_the_case_page_draws_only_the_registered_panels(officer_client, case):
    """Everything below the case's facts is a registered panel: the identity, the risk, the
    timeline, consent and sharing, who viewed the case, the other apps' panels."""
    page = _page(officer_client, case)
    for heading in ("Defender", "Risk", "Timeline", "Consent and sharing", "Who viewed this case"):
        assert f">{heading}</h2>" in page
    with panels.override(only=True):
        bare = _page(officer_client, case)
    for heading in ("Defender", "Risk", "Timeline", "Consent and sharing", "Who viewed this case"):
        assert f">{heading}</h2>" not in bare
    assert case.reference in bare  # the facts stay


def test_a_panel_registered_for_a_block_is_drawn_in_its_place(officer_client, case):
    """Order 150: below the timeline (100), above consent and sharing (200)."""
    other = CaseFactory(organisation=case.organisation, defender=case.defender, pseudonym="Roble")
    extra = Panel(
        "tests.other_cases_again",
        "cases/_other_cases_panel.html",
        lambda request, case, access: {"cases": [other]},
        150,
    )
    with panels.override({extra.name: extra}):
        page = _page(officer_client, case)
    timeline_at = page.index(">Timeline</h2>")
    sharing_at = page.index(">Consent and sharing</h2>")
    drawn = [i for i in range(len(page)) if page.startswith(">Other cases of this defender<", i)]
    assert len(drawn) == 2  # the registered one, and cases' own at 220
    assert timeline_at < drawn[0] < sharing_at < drawn[1]


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
    assert ">Timeline</h2>" in _page(officer_client, case)
