"""Every organisation's own dashboard: its caseload and what is due this week."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.factories import CaseFactory, RiskAssessmentFactory, record_detention
from tests.queries import get_counting


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
    today = timezone.localdate()
    url = reverse("dashboards:organisation")
    case = CaseFactory(organisation=officer.organisation)
    RiskAssessmentFactory(case=case, next_review_date=today)
    small = get_counting(officer_client, url, contains=case.pseudonym)
    for _ in range(8):
        more = CaseFactory(organisation=officer.organisation)
        RiskAssessmentFactory(case=more, next_review_date=today)
    get_counting(officer_client, url, queries=len(small.queries), contains=more.pseudonym)


def test_it_lists_follow_ups_visa_deadlines_and_arrivals_of_the_week(officer, officer_client):
    import datetime

    from relocation.models import ShelterReferral, VisaReferral
    from tests.logbooks.factories import log
    from tests.relocation.factories import approved_request, city

    today = timezone.localdate()
    case = CaseFactory(organisation=officer.organisation, pseudonym="Heron")
    log(case, officer, follow_up_on=today + timedelta(days=2))
    request = approved_request(case, officer)
    # A referral addressed to the officer's own mission (it processes visas too).
    VisaReferral.objects.create(
        organisation=officer.organisation,
        request=request,
        case=case,
        mission=officer.organisation,
        created_by=officer,
        visa_type=VisaReferral.VisaType.HUMANITARIAN,
        requested_on=today - timedelta(days=9),
        deadline=today + timedelta(days=1),
    )
    shelter = city(periods=[(today, today + datetime.timedelta(days=120), 3)])
    ShelterReferral.objects.create(
        organisation=officer.organisation,
        request=request,
        case=case,
        city=shelter,
        created_by=officer,
        start=today + timedelta(days=3),
        end=today + timedelta(days=60),
        status=ShelterReferral.Status.CONFIRMED,
    )
    response = officer_client.get(reverse("dashboards:organisation"))
    sections = {section["key"]: section for section in response.context["due"]}
    assert sections["follow_ups"]["count"] == 1
    assert sections["visa_deadlines"]["count"] == 1
    assert sections["arrivals"]["count"] == 1
    assert "Humanitarian — Heron" in response.content.decode()


def test_it_lists_open_alerts_the_user_may_see(officer, officer_client, outsider):
    from alerts.services.alerts import alert_raise

    mine = CaseFactory(organisation=officer.organisation, pseudonym="Heron")
    theirs = CaseFactory(organisation=outsider.organisation, pseudonym="Falcon")
    alert_raise(case=mine, kind="detained", severity="critical", message="x", acting_user=officer)
    alert_raise(case=theirs, kind="missing", severity="high", message="y", acting_user=outsider)
    response = officer_client.get(reverse("dashboards:organisation"))
    assert [alert.case.pseudonym for alert in response.context["alerts"]] == ["Heron"]
    html = response.content.decode()
    assert "Falcon" not in html
    line = html[
        html.index('id="alerts-heading"') : html.index("</section>", html.index("alerts-heading"))
    ]
    assert "Heron" in line and "Detained" in line and 'class="tag danger">Raised' in line


def test_it_exports_an_own_chart_as_csv_and_audits_it(officer, officer_client):
    import csv
    import io

    from hrdcase.models import AuditEvent

    CaseFactory(organisation=officer.organisation)
    response = officer_client.get(reverse("dashboards:organisation_export", args=["own_status"]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["Open", "1"] in rows
    assert AuditEvent.objects.filter(action="dashboard.export", actor_id=officer.pk).exists()
    missing = officer_client.get(reverse("dashboards:organisation_export", args=["nope"]))
    assert missing.status_code == 404


def test_each_due_section_counts_every_item_and_lists_the_first_ten_in_one_query(officer):
    """Twelve follow-ups due: the section says 12 and lists the ten soonest, overdue first;
    each of the five sections costs one query (its count is read with its first rows)."""
    from dashboards.organisation import LIST_LIMIT, due_this_week
    from tests.logbooks.factories import log
    from tests.queries import counting

    today = timezone.localdate()
    case = CaseFactory(organisation=officer.organisation)
    earlier = timezone.now() - timedelta(days=5)
    for days in range(-2, 10):
        log(case, officer, occurred_at=earlier, follow_up_on=today + timedelta(days=min(days, 7)))
    with counting(queries=5):
        sections = {section["key"]: section for section in due_this_week(officer)}
    follow_ups = sections["follow_ups"]
    assert (follow_ups["count"], len(follow_ups["items"])) == (12, LIST_LIMIT)
    assert [item["overdue"] for item in follow_ups["items"][:3]] == [True, True, False]
    assert sections["benchmarks"]["count"] == 0 and sections["benchmarks"]["items"] == []
