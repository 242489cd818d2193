"""The case list's filters narrow each half of the visible id union (own cases, shared
cases) instead of the visible set afterwards: the same cases and the same counts as the
visible set filtered row by row, for owners, full and feedback partners. A feedback partner
cannot filter by what it may not see (risk, threats, the defender's country)."""

from __future__ import annotations

import itertools

import pytest

from accounts.models import Role
from cases.models import Case, ThreatType
from cases.selectors.case import CaseFilters, case_list_for
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, share_case
from tests.queries import counting

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    """Cases of two organisations in every status and risk, some shared in full or for
    feedback with the other one, some tagged with a threat."""
    mission, ngo = OrganisationFactory(), OrganisationFactory()
    threat, _ = ThreatType.objects.get_or_create(code="judicial", defaults={"label": "Judicial"})
    levels = itertools.cycle(["full", "feedback", None])
    for n, (status, risk) in enumerate(
        itertools.product(["open", "monitoring"], ["high", "low", ""])
    ):
        for owner, partner in ((mission, ngo), (ngo, mission)):
            case = CaseFactory(
                organisation=owner, status=status, risk_level=risk, pseudonym=f"Ceiba {n}"
            )
            if n % 2:
                case.threat_types.add(threat)
            level = next(levels)
            if level:
                share_case(case, partner, level)
    return [UserFactory(organisation=org, role=Role.OFFICER) for org in (mission, ngo)]


def _row_by_row(user, filters: CaseFilters) -> set:
    """The visible cases, then each filter checked on each case (what the list must show)."""
    from cases.access import case_access

    shown = set()
    for case in (
        Case.objects.visible_to(user).select_related("defender").prefetch_related("threat_types")
    ):
        access = case_access(user, case)
        if filters.status and case.status != filters.status:
            continue
        if filters.risk and (not access.sees_risk or case.risk_level != filters.risk):
            continue
        if filters.threat and (
            not access.sees_risk or filters.threat not in {t.code for t in case.threat_types.all()}
        ):
            continue
        if filters.country and (
            not access.sees_identity or case.defender.country != filters.country
        ):
            continue
        if filters.scope == "own" and not access.is_owner:
            continue
        if filters.scope == "shared" and access.is_owner:
            continue
        if filters.q and filters.q.lower() not in (case.reference + case.pseudonym).lower():
            continue
        shown.add(case.pk)
    return shown


@pytest.mark.parametrize(
    "filters",
    [
        CaseFilters(status="open"),
        CaseFilters(risk="high"),
        CaseFilters(status="monitoring", risk="low"),
        CaseFilters(threat="judicial", scope="shared"),
        CaseFilters(threat="judicial"),
        CaseFilters(country="CO", status="open"),
        CaseFilters(scope="own", q="ceiba 1"),
        CaseFilters(q="CEIBA 4", status="monitoring"),
    ],
)
def test_it_lists_and_counts_what_the_visible_set_filtered_row_by_row_holds(network, filters):
    for user in network:
        expected = _row_by_row(user, filters)
        listed = case_list_for(user, filters)
        assert {case.pk for case in listed} == expected
        assert listed.count() == len(expected)


def test_the_filtered_count_counts_the_narrowed_ids(network):
    """The paginator's count reads the narrowed id union, not every visible case row."""
    listed = case_list_for(network[0], CaseFilters(status="open", risk="high"))
    with counting(queries=1) as counted:
        listed.count()
    (count_sql,) = counted.sql
    assert "UNION ALL" in count_sql
    assert count_sql.startswith("SELECT COUNT(*) FROM (")
