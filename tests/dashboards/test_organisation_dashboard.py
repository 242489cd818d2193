"""Every organisation's own dashboard: its caseload and what is due this week."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.factories import CaseFactory, RiskAssessmentFactory, record_detention


def test_it_shows_the_own_caseload_with_small_counts(officer, officer_client, outsider):
    CaseFactory(organisation=officer.organisation)
    CaseFactory(organisation=officer.organisation)
    CaseFactory(organisation=outsider.organisation)
    response = officer_client.get(reverse("dashboards:organisation"))
    assert response.status_code == 200
    status = next(f for f, _g in response.context["caseload"] if f.key == "own_status")
    assert dict((label, shown[0]) for label, shown in status.table())["Open"] == "2"


def test_it_lists_risk_reviews_and_benchmarks_due_this_week(officer, officer_client, outsider):
    today = timezone.localdate()
    mine = CaseFactory(organisation=officer.organisation, pseudonym="Heron")
    RiskAssessmentFactory(case=mine, next_review_date=today + timedelta(days=3))
    theirs = CaseFactory(organisation=outsider.organisation, pseudonym="Falcon")
    RiskAssessmentFactory(case=theirs, next_review_date=today + timedelta(days=3))
    record_detention(mine, acting_user=officer, detained_since=today - timedelta(days=10))
    response = officer_client.get(reverse("dashboards:organisation"))
    sections = {section["key"]: section for section in response.context["due"]}
    assert [item["case"].pseudonym for item in sections["risk_reviews"]["items"]] == ["Heron"]
    assert sections["benchmarks"]["count"] >= 1
    assert {item["case"].pseudonym for item in sections["benchmarks"]["items"]} == {"Heron"}
    assert "Falcon" not in response.content.decode()


def test_it_says_when_nothing_is_due(officer_client):
    response = officer_client.get(reverse("dashboards:organisation"))
    assert "Nothing due." in response.content.decode()


def test_it_costs_the_same_queries_with_more_cases(officer, officer_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = timezone.localdate()
    case = CaseFactory(organisation=officer.organisation)
    RiskAssessmentFactory(case=case, next_review_date=today)
    with CaptureQueriesContext(connection) as small:
        officer_client.get(reverse("dashboards:organisation"))
    for _ in range(8):
        more = CaseFactory(organisation=officer.organisation)
        RiskAssessmentFactory(case=more, next_review_date=today)
    with CaptureQueriesContext(connection) as large:
        officer_client.get(reverse("dashboards:organisation"))
    assert len(large) == len(small)
