"""An entry as a line of the case page: the Logbook section's timeline, the quick log's latest
entries and the line the quick log adds. One builder (``logbooks.selectors.entries
.entry_item``) draws all three."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from logbooks.services.entries import entry_correct
from tests.logbooks.factories import log

pytestmark = pytest.mark.django_db

LONG = "Met the prosecutor. " * 20  # 400 characters: the page shows the first 240


def _line(body: str, url: str) -> str:
    """The timeline line (``<li>``) that links to ``url``."""
    match = re.search(
        rf'<li class="timeline-item timeline-entry">((?:(?!</li>).)*{url}.*?)</li>', body, re.S
    )
    assert match, f"no line links to {url}"
    return match.group(1)


@pytest.fixture
def case(org, officer):
    from tests.factories import CaseFactory

    return CaseFactory(organisation=org, lead_officer=officer)


def test_the_logbook_section_draws_each_entry_with_its_tags_author_and_summary(
    officer_client, case, officer
):
    internal = log(case, officer, kind="call", summary="Called the family.")
    shared = log(case, officer, visibility="shared", kind="note", summary=LONG)
    corrected = entry_correct(
        entry=shared, kind="note", summary=LONG, visibility="shared", acting_user=officer
    )
    body = officer_client.get(reverse("cases:section", args=[case.pk, "logbook"])).content.decode()

    line = _line(body, reverse("logbooks:entry_detail", args=[internal.pk]))
    assert ">Call</a>" in line
    assert '<span class="tag">internal</span>' in line
    assert "version" not in line
    assert f"{case.organisation.name} · {officer.full_name or officer.email}" in line
    assert "Called the family." in line

    line = _line(body, reverse("logbooks:entry_detail", args=[corrected.pk]))
    assert '<span class="tag shared">shared</span>' in line
    assert '<span class="tag">version 2</span>' in line
    summary = re.search(r'<p class="muted" dir="auto">(.*?)</p>', line, re.S).group(1)
    assert summary.startswith("Met the prosecutor.") and summary.endswith("…")
    assert len(summary) == 240
    # the first version is not a line of its own
    assert reverse("logbooks:entry_detail", args=[shared.pk]) not in body


def test_the_quick_log_adds_the_same_line_and_overview_lists_the_latest(
    officer_client, case, officer
):
    response = officer_client.post(
        reverse("logbooks:quick_log", args=[case.pk]),
        {"kind": "note", "summary": "Lawyer visited.", "visibility": "shared"},
        HTTP_HX_REQUEST="true",
    )
    added = re.search(
        r'<ol hx-swap-oob="afterbegin:#quick-log-new">(.*?)</ol>', response.content.decode(), re.S
    )
    assert added and '<span class="tag shared">shared</span>' in added.group(1)
    assert "Lawyer visited." in added.group(1)

    overview = officer_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Lawyer visited." in overview
    assert overview.count('<li class="timeline-item timeline-entry">') == 1
