"""A page of the case list is read from the first rows of each half of the visible set (own
cases, shared cases), sorted and cut before the union (issue 24; PostgreSQL: SQLite cannot
order part of a compound query and reads the whole set). Either way every page holds the
same cases in the same order as sorting the whole visible set."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.db import connection

from accounts.models import Role
from cases.models import Case
from cases.selectors.case import SORTS, CaseFilters, case_list_for
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, share_case
from tests.queries import counting

pytestmark = pytest.mark.django_db

PAGE = 4


@pytest.fixture
def officer():
    """An organisation's 9 cases and 6 of another's shared with it (one relocation-only:
    not listed), opened on 3 days only: many ties for the sort to break."""
    own, other = OrganisationFactory(), OrganisationFactory()
    days = itertools.cycle(datetime.date(2026, 3, d) for d in (1, 2, 3))
    for n in range(9):
        CaseFactory(organisation=own, opened_on=next(days), pseudonym=f"Own {n % 4}")
    for n, level in enumerate(["full", "feedback", "full", "feedback", "full", "relocation"]):
        case = CaseFactory(organisation=other, opened_on=next(days), pseudonym=f"Shared {n % 3}")
        share_case(case, own, level)
    CaseFactory(organisation=other)  # not shared
    return UserFactory(organisation=own, role=Role.OFFICER)


def _whole_then_cut(user, filters: CaseFilters) -> list:
    """The visible set sorted as a whole in Python, then cut into pages."""
    listed = case_list_for(user, filters)
    order = listed.query.order_by
    rows = list(Case.objects.visible_to(user).filter(pk__in=[c.pk for c in listed]))
    for field in reversed(order):
        name = field.lstrip("-")
        rows.sort(key=lambda case, n=name: getattr(case, n), reverse=field.startswith("-"))
    return [case.pk for case in rows]


@pytest.mark.parametrize("sort", ["", *SORTS])
def test_every_page_holds_what_sorting_the_whole_set_gives(officer, sort):
    filters = CaseFilters(sort=sort)
    expected = _whole_then_cut(officer, filters)
    assert len(expected) == 14
    for start in range(0, 16, PAGE):
        page = [case.pk for case in case_list_for(officer, filters)[start : start + PAGE]]
        assert page == expected[start : start + PAGE], f"page from {start}, sort {sort!r}"


@pytest.mark.parametrize(
    "filters", [CaseFilters(scope="shared"), CaseFilters(q="own 1"), CaseFilters(status="open")]
)
def test_a_filtered_page_too(officer, filters):
    expected = _whole_then_cut(officer, filters)
    assert expected
    assert [case.pk for case in case_list_for(officer, filters)[:PAGE]] == expected[:PAGE]


def test_the_page_query_cuts_each_half_on_postgresql(officer):
    with counting(queries=3) as counted:  # the page, its owners and threats (prefetched)
        list(case_list_for(officer)[:PAGE])
    sql = counted.sql[0]
    # the halves sorted and cut before the union where the database can (PostgreSQL);
    # SQLite sorts the whole union
    cut_halves = connection.features.supports_slicing_ordering_in_compound
    assert sql.count(f"LIMIT {PAGE}") == (3 if cut_halves else 1)
    assert connection.vendor != "postgresql" or cut_halves


def test_the_count_and_a_further_filter_read_the_whole_set(officer):
    listed = case_list_for(officer)
    assert listed.count() == 14
    assert listed.filter(status="open")[:PAGE].count() <= PAGE
    assert len(listed[:100]) == 14
