"""Risk assessments: the formula, versions that are never changed, the case's level that
follows the latest version unless overridden, and who sees what (pages and API)."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from accounts.models import Role
from cases.access import case_access
from cases.models import Case, RiskAssessment
from cases.models.risk import ImmutableRecordError, compute_risk, dimension_score, level_for_score
from cases.registries.purgers import registered_purgers
from cases.registries.timeline import case_timeline
from cases.selectors.risk import cases_due_for_review
from cases.services.case import case_close, case_override_risk
from cases.services.risk import risk_assessment_create
from hrdcase.models import AuditEvent
from tests.conftest import verified_client
from tests.dates import in_days, today
from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    RiskAssessmentFactory,
    UserFactory,
    share_case,
)
from tests.queries import get_counting


def _ratings(**overrides) -> dict:
    """Physical 4x4 partial (13, high), digital 3x3 limited (9, medium), psychosocial 2x3
    strong (4, low): overall 13, high."""
    ratings = {
        "physical_likelihood": 4,
        "physical_impact": 4,
        "physical_capacity": "partial",
        "digital_likelihood": 3,
        "digital_impact": 3,
        "digital_capacity": "limited",
        "psychosocial_likelihood": 2,
        "psychosocial_impact": 3,
        "psychosocial_capacity": "strong",
    }
    ratings.update(overrides)
    return ratings


def _input(**overrides) -> dict:
    data = {
        "assessed_on": today() - datetime.timedelta(days=1),
        "threats": "Death threats by text message after the land hearing.",
        "vulnerabilities": "Travels alone to the community; phone not encrypted.",
        "capacities": "Lawyer on call; community alert network.",
        "mitigation": "Accompaniment to hearings; Signal set-up.",
        "next_review_date": today() + datetime.timedelta(days=90),
        **_ratings(),
    }
    data.update(overrides)
    return data


def _post_data(**overrides) -> dict:
    """The same input as a browser or an API client sends it (dates as ISO strings)."""
    data = _input(**overrides)
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in data.items()}


def _assess(case, user, **overrides) -> RiskAssessment:
    return risk_assessment_create(case=case, acting_user=user, **_input(**overrides))


def _reload(case) -> Case:
    return Case.objects.owned_by(case.organisation).get(pk=case.pk)


def _count(case) -> int:
    return RiskAssessment.objects.owned_by(case.organisation).filter(case=case).count()


@pytest.fixture
def case(org):
    return CaseFactory(organisation=org, pseudonym="Ceiba")


@pytest.fixture
def assessed(case, officer):
    return _assess(case, officer)


@pytest.fixture
def partner_org(db):
    return OrganisationFactory(name="NGO C", code="CCC", kind="ngo")


@pytest.fixture
def full_partner(case, partner_org, officer):
    share_case(case, partner_org, "full", acting_user=officer)
    return UserFactory(organisation=partner_org, role=Role.OFFICER)


@pytest.fixture
def feedback_partner(case, partner_org, officer):
    share_case(case, partner_org, "feedback", acting_user=officer)
    return UserFactory(organisation=partner_org, role=Role.ADMIN)


# --- the formula (a pure function) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (1, "low"),
        (4, "low"),
        (5, "medium"),
        (9, "medium"),
        (10, "high"),
        (15, "high"),
        (16, "critical"),
        (25, "critical"),
    ],
)
def test_it_bands_scores(score, level):
    assert level_for_score(score) == level


@pytest.mark.parametrize("score", [0, 26, -3])
def test_it_refuses_a_score_outside_1_to_25(score):
    with pytest.raises(ValueError):
        level_for_score(score)


@pytest.mark.parametrize(
    ("likelihood", "impact", "capacity", "score", "level"),
    [
        (4, 4, "limited", 16, "critical"),
        (4, 4, "partial", 13, "high"),  # 12.8 rounds up
        (4, 4, "strong", 10, "high"),  # 9.6 rounds up: never into a lower band by rounding
        (5, 5, "strong", 15, "high"),  # strong capacities never make a 5x5 threat small
        (5, 5, "limited", 25, "critical"),
        (5, 1, "partial", 4, "low"),
        (1, 1, "strong", 1, "low"),  # at least 1
        (3, 3, "limited", 9, "medium"),
    ],
)
def test_it_scores_a_dimension(likelihood, impact, capacity, score, level):
    result = dimension_score(
        dimension="physical", likelihood=likelihood, impact=impact, capacity=capacity
    )
    assert (result.raw, result.score, result.level) == (likelihood * impact, score, level)


def test_the_overall_level_is_the_most_exposed_dimension():
    result = compute_risk(
        {
            "physical": (1, 2, "strong"),
            "digital": (5, 4, "limited"),
            "psychosocial": (2, 2, "partial"),
        }
    )
    assert [d.score for d in result.dimensions] == [2, 20, 4]
    assert (result.score, result.level) == (20, "critical")


@pytest.mark.parametrize(
    "ratings",
    [
        {
            "physical": (0, 3, "limited"),
            "digital": (1, 1, "limited"),
            "psychosocial": (1, 1, "limited"),
        },
        {
            "physical": (6, 3, "limited"),
            "digital": (1, 1, "limited"),
            "psychosocial": (1, 1, "limited"),
        },
        {
            "physical": (True, 3, "limited"),
            "digital": (1, 1, "limited"),
            "psychosocial": (1, 1, "limited"),
        },
        {
            "physical": (3, 3, "none"),
            "digital": (1, 1, "limited"),
            "psychosocial": (1, 1, "limited"),
        },
        {"physical": (3, 3, "limited"), "digital": (1, 1, "limited")},
    ],
)
def test_the_formula_refuses_bad_ratings(ratings):
    with pytest.raises(ValueError):
        compute_risk(ratings)


# --- versions and the case's level ---------------------------------------------------------


def test_it_records_versions_and_the_case_level_follows_the_latest(case, officer):
    first = _assess(case, officer)
    assert (first.version, first.score, first.level) == (1, 13, "high")
    assert _reload(case).risk_level == "high"
    event = AuditEvent.objects.filter(action="risk.assess").get()
    assert event.data["level"] == "high"

    second = _assess(
        case, officer, physical_likelihood=5, physical_impact=5, physical_capacity="limited"
    )
    assert (second.version, second.level) == (2, "critical")
    reloaded = _reload(case)
    assert (reloaded.risk_level, reloaded.risk_assessed_level) == ("critical", "critical")
    # the first version is as it was
    first_again = RiskAssessment.objects.owned_by(case.organisation).get(pk=first.pk)
    assert (first_again.level, first_again.physical_likelihood) == ("high", 4)


def test_an_override_keeps_the_level_when_a_new_assessment_arrives(case, officer):
    _assess(case, officer)
    case_override_risk(
        case=_reload(case),
        level="critical",
        reason="Arrest warrant issued today.",
        acting_user=officer,
    )
    _assess(case, officer, physical_likelihood=1, physical_impact=1, digital_likelihood=1)
    reloaded = _reload(case)
    assert reloaded.risk_assessed_level == "low"
    assert reloaded.risk_level == "critical"
    assert reloaded.risk_override_reason == "Arrest warrant issued today."


def test_clearing_the_override_returns_to_the_latest_assessed_level(case, officer):
    _assess(case, officer)
    case_override_risk(
        case=_reload(case), level="low", reason="Relocated abroad.", acting_user=officer
    )
    _assess(case, officer, physical_likelihood=5, physical_impact=5, physical_capacity="limited")
    case_override_risk(case=_reload(case), level="", reason="", acting_user=officer)
    reloaded = _reload(case)
    assert (reloaded.risk_level, reloaded.risk_override_reason) == ("critical", "")


def test_an_assessment_is_never_updated_or_deleted(assessed):
    assessment = RiskAssessment.objects.owned_by(assessed.organisation).get(pk=assessed.pk)
    assessment.physical_likelihood = 1
    with pytest.raises(ImmutableRecordError):
        assessment.save()
    with pytest.raises(ImmutableRecordError):
        assessment.delete()
    with pytest.raises(ImmutableRecordError):
        RiskAssessment.objects.owned_by(assessed.organisation).update(level="low")
    again = RiskAssessment.objects.owned_by(assessed.organisation).get(pk=assessed.pk)
    assert (again.physical_likelihood, again.level) == (4, "high")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"physical_likelihood": 0}, "physical_likelihood"),
        ({"digital_impact": 6}, "digital_impact"),
        ({"psychosocial_capacity": "huge"}, "psychosocial_capacity"),
        ({"threats": "   "}, "threats"),
        ({"threats": "x" * 20_001}, "threats"),
    ],
)
def test_the_service_names_the_bad_field_and_writes_nothing(case, officer, overrides, field):
    with pytest.raises(ValidationError) as error:
        _assess(case, officer, **overrides)
    assert field in error.value.message_dict
    assert _count(case) == 0
    assert _reload(case).risk_level == ""


#: (field, days from today) on the wrong side of today: assessed tomorrow, a review already due.
#: Offsets, not dates: the date is read when the test runs, not when it is collected.
WRONG_SIDE_OF_TODAY = [("assessed_on", 1), ("next_review_date", -1), ("next_review_date", -5)]


@pytest.mark.parametrize(("field", "days"), WRONG_SIDE_OF_TODAY)
def test_the_service_refuses_a_date_on_the_wrong_side_of_today(case, officer, field, days):
    with pytest.raises(ValidationError) as error:
        _assess(case, officer, **{field: in_days(days)})
    assert field in error.value.message_dict
    assert _count(case) == 0
    assert _reload(case).risk_level == ""


def test_a_version_cannot_be_dated_before_the_previous_one(case, officer):
    _assess(case, officer)
    with pytest.raises(ValidationError) as error:
        _assess(case, officer, assessed_on=today() - datetime.timedelta(days=30))
    assert "assessed_on" in error.value.message_dict
    assert _count(case) == 1


def test_a_closed_case_is_not_assessed(case, officer):
    case_close(case=case, reason="relocated", acting_user=officer)
    with pytest.raises(ValidationError):
        _assess(case, officer)
    assert _count(case) == 0


def test_only_the_owner_organisations_writers_assess(case, viewer, full_partner):
    for user in (viewer, full_partner):
        with pytest.raises(PermissionDenied):
            _assess(case, user)
    assert _count(case) == 0


# --- pages -------------------------------------------------------------------------------------


def test_an_officer_records_an_assessment_from_the_page(officer_client, case):
    response = officer_client.get(reverse("cases:risk_create", args=[case.pk]))
    assert response.status_code == 200
    assert "How the level is computed" in response.content.decode()
    response = officer_client.post(reverse("cases:risk_create", args=[case.pk]), _post_data())
    assessment = RiskAssessment.objects.owned_by(case.organisation).get(case=case)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:risk_detail", args=[case.pk, assessment.pk])
    assert _reload(case).risk_level == "high"

    page = officer_client.get(response["Location"]).content.decode()
    # the formula with this assessment's numbers
    assert "4 \N{MULTIPLICATION SIGN} 4 = 16" in page
    assert "16 \N{MULTIPLICATION SIGN} 80 %, rounded up = <strong>13</strong>" in page
    assert "Death threats by text message" in page


def test_the_new_version_form_starts_from_the_latest(officer_client, case, assessed):
    page = officer_client.get(reverse("cases:risk_create", args=[case.pk])).content.decode()
    assert "Death threats by text message" in page


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"physical_likelihood": 0}, "physical_likelihood"),
        ({"physical_likelihood": 6}, "physical_likelihood"),
    ],
)
def test_the_form_shows_bad_input_and_writes_nothing(officer_client, case, overrides, field):
    response = officer_client.post(
        reverse("cases:risk_create", args=[case.pk]), _post_data(**overrides)
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert _count(case) == 0


@pytest.mark.parametrize(("field", "days"), WRONG_SIDE_OF_TODAY)
def test_the_form_refuses_a_date_on_the_wrong_side_of_today(officer_client, case, field, days):
    response = officer_client.post(
        reverse("cases:risk_create", args=[case.pk]), _post_data(**{field: in_days(days)})
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert _count(case) == 0


def test_the_list_shows_the_trend(officer_client, case, officer):
    _assess(case, officer, physical_likelihood=2, physical_impact=2, digital_likelihood=1)
    _assess(case, officer)
    page = officer_client.get(reverse("cases:risk_list", args=[case.pk])).content.decode()
    assert "<svg" in page and "v1 Low → v2 High" in page
    assert "<script" not in page.split("<main", 1)[1]


def test_the_case_page_shows_the_risk_panel_and_timeline(officer_client, case, assessed):
    page = officer_client.get(reverse("cases:section", args=[case.pk, "risk"])).content.decode()
    assert 'id="risk-heading"' in page
    assert reverse("cases:risk_detail", args=[case.pk, assessed.pk]) in page
    timeline = officer_client.get(
        reverse("cases:section", args=[case.pk, "logbook"])
    ).content.decode()
    assert "Risk assessment, version 1: High" in timeline
    assert reverse("cases:risk_detail", args=[case.pk, assessed.pk]) in timeline


def test_a_viewer_reads_but_does_not_write(viewer_client, case, assessed):
    assert viewer_client.get(reverse("cases:risk_list", args=[case.pk])).status_code == 200
    detail = reverse("cases:risk_detail", args=[case.pk, assessed.pk])
    assert viewer_client.get(detail).status_code == 200
    for name in ("cases:risk_create", "cases:risk_override"):
        assert viewer_client.get(reverse(name, args=[case.pk])).status_code == 403
    response = viewer_client.post(reverse("cases:risk_create", args=[case.pk]), _post_data())
    assert response.status_code == 403
    response = viewer_client.post(
        reverse("cases:risk_override", args=[case.pk]),
        {"risk_level": "low", "risk_override_reason": "x"},
    )
    assert response.status_code == 403
    assert _count(case) == 1
    assert _reload(case).risk_level == "high"


def test_a_full_partner_reads_the_risk(case, assessed, full_partner):
    client = verified_client(full_partner)
    assert client.get(reverse("cases:risk_list", args=[case.pk])).status_code == 200
    page = client.get(reverse("cases:risk_detail", args=[case.pk, assessed.pk])).content.decode()
    assert "Death threats by text message" in page
    assert (
        'id="risk-heading"'
        in client.get(reverse("cases:section", args=[case.pk, "risk"])).content.decode()
    )
    # writing is the owner's
    assert client.get(reverse("cases:risk_create", args=[case.pk])).status_code == 404
    assert (
        client.post(reverse("cases:risk_create", args=[case.pk]), _post_data()).status_code == 404
    )
    assert (
        client.post(
            reverse("cases:risk_override", args=[case.pk]),
            {"risk_level": "low", "risk_override_reason": "x"},
        ).status_code
        == 404
    )
    assert _count(case) == 1


def test_a_feedback_partner_never_sees_the_risk(case, assessed, feedback_partner):
    client = verified_client(feedback_partner)
    for url in (
        reverse("cases:risk_list", args=[case.pk]),
        reverse("cases:risk_detail", args=[case.pk, assessed.pk]),
        reverse("cases:risk_create", args=[case.pk]),
        reverse("cases:risk_override", args=[case.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:section", args=[case.pk, "logbook"]),
    ):
        page = client.get(url).content.decode()
        assert 'id="risk-heading"' not in page
        assert "Risk assessment, version" not in page
    assert client.get(reverse("cases:section", args=[case.pk, "risk"])).status_code == 404
    access = case_access(feedback_partner, case)
    assert [item for item in case_timeline(case, access) if item.kind == "assessment"] == []


def test_another_organisation_gets_404(outsider_client, case, assessed):
    for url in (
        reverse("cases:risk_list", args=[case.pk]),
        reverse("cases:risk_detail", args=[case.pk, assessed.pk]),
        reverse("cases:risk_create", args=[case.pk]),
        reverse("cases:risk_override", args=[case.pk]),
    ):
        assert outsider_client.get(url).status_code == 404, url
        assert outsider_client.post(url, _post_data()).status_code in (404, 405), url


def test_an_assessment_of_another_case_is_not_found_under_this_one(
    officer_client, case, officer, org
):
    other = CaseFactory(organisation=org)
    assessment = _assess(other, officer)
    url = reverse("cases:risk_detail", args=[case.pk, assessment.pk])
    assert officer_client.get(url).status_code == 404


def test_an_officer_overrides_and_clears_the_level_from_the_page(officer_client, case, assessed):
    url = reverse("cases:risk_override", args=[case.pk])
    response = officer_client.post(url, {"risk_level": "critical", "risk_override_reason": ""})
    assert response.status_code == 400
    assert "risk_override_reason" in response.context["form"].errors
    assert _reload(case).risk_level == "high"

    response = officer_client.post(
        url, {"risk_level": "critical", "risk_override_reason": "Arrest warrant issued."}
    )
    assert response.status_code == 302
    reloaded = _reload(case)
    assert (reloaded.risk_level, reloaded.risk_override_reason) == (
        "critical",
        "Arrest warrant issued.",
    )
    assert (
        "Arrest warrant issued."
        in officer_client.get(reverse("cases:risk_list", args=[case.pk])).content.decode()
    )

    response = officer_client.post(url, {"risk_level": "", "risk_override_reason": "ignored"})
    assert response.status_code == 302
    reloaded = _reload(case)
    assert (reloaded.risk_level, reloaded.risk_override_reason) == ("high", "")


def test_an_overlong_override_reason_is_refused(officer_client, case, assessed):
    response = officer_client.post(
        reverse("cases:risk_override", args=[case.pk]),
        {"risk_level": "low", "risk_override_reason": "x" * 2001},
    )
    assert response.status_code == 400
    assert _reload(case).risk_level == "high"


# --- API ---------------------------------------------------------------------------------------


def _api(case, name="assessments", **extra):
    return reverse(f"api:case-risk-{name}", kwargs={"pk": case.pk, **extra})


def test_the_api_creates_lists_and_retrieves(officer_client, case):
    response = officer_client.post(_api(case), _post_data(), content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["version"], body["score"], body["level"]) == (1, 13, "high")
    assert body["dimensions"][0] == {
        "dimension": "physical",
        "likelihood": 4,
        "impact": 4,
        "capacity": "partial",
        "capacity_percent": 80,
        "raw": 16,
        "score": 13,
        "level": "high",
    }
    assert _reload(case).risk_level == "high"
    officer_client.post(_api(case), _post_data(), content_type="application/json")
    officer_client.post(_api(case), _post_data(), content_type="application/json")

    listing = get_counting(
        officer_client, _api(case), max_queries=12, contains='"version":3'
    ).json()
    assert [row["version"] for row in listing["results"]] == [3, 2, 1]

    one = officer_client.get(_api(case, "assessment", assessment_pk=body["id"])).json()
    assert one["threats"].startswith("Death threats")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"physical_likelihood": 0}, "physical_likelihood"),
        ({"physical_likelihood": 6}, "physical_likelihood"),
        ({"digital_impact": "high"}, "digital_impact"),
        ({"psychosocial_capacity": "huge"}, "psychosocial_capacity"),
        ({"threats": ""}, "threats"),
    ],
)
def test_the_api_answers_400_naming_the_field(officer_client, case, overrides, field):
    response = officer_client.post(
        _api(case), _post_data(**overrides), content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert _count(case) == 0


@pytest.mark.parametrize(("field", "days"), WRONG_SIDE_OF_TODAY)
def test_the_api_refuses_a_date_on_the_wrong_side_of_today(officer_client, case, field, days):
    response = officer_client.post(
        _api(case), _post_data(**{field: in_days(days)}), content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert _count(case) == 0


def test_the_api_refuses_to_change_or_delete_an_assessment(officer_client, case, assessed):
    url = _api(case, "assessment", assessment_pk=assessed.pk)
    for method in ("put", "patch", "delete"):
        response = getattr(officer_client, method)(
            url, {"physical_likelihood": 1}, content_type="application/json"
        )
        assert response.status_code == 405
        assert "new version" in response.json()["detail"]
    again = RiskAssessment.objects.owned_by(case.organisation).get(pk=assessed.pk)
    assert (again.physical_likelihood, again.level) == (4, "high")


def test_the_api_override(officer_client, case, assessed):
    url = _api(case, "override")
    response = officer_client.post(url, {"risk_level": "critical"}, content_type="application/json")
    assert response.status_code == 400
    assert "risk_override_reason" in response.json()
    response = officer_client.post(
        url, {"risk_level": "urgent", "risk_override_reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 400 and "risk_level" in response.json()

    response = officer_client.post(
        url,
        {"risk_level": "critical", "risk_override_reason": "Arrest warrant issued."},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "case": str(case.pk),
        "risk_level": "critical",
        "risk_assessed_level": "high",
        "overridden": True,
        "risk_override_reason": "Arrest warrant issued.",
    }
    response = officer_client.post(url, {"risk_level": ""}, content_type="application/json")
    assert response.json()["risk_level"] == "high"
    assert response.json()["overridden"] is False


def test_the_api_viewer_reads_only(viewer_client, case, assessed):
    assert viewer_client.get(_api(case)).status_code == 200
    assert viewer_client.get(_api(case, "override")).status_code == 200
    assert (
        viewer_client.post(_api(case), _post_data(), content_type="application/json").status_code
        == 403
    )
    response = viewer_client.post(
        _api(case, "override"),
        {"risk_level": "low", "risk_override_reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert _count(case) == 1


def test_the_api_full_partner_reads_only(case, assessed, full_partner):
    client = verified_client(full_partner)
    assert client.get(_api(case)).json()["count"] == 1
    assert client.get(_api(case, "assessment", assessment_pk=assessed.pk)).status_code == 200
    assert client.get(_api(case, "override")).json()["risk_level"] == "high"
    assert client.post(_api(case), _post_data(), content_type="application/json").status_code == 404
    assert (
        client.post(
            _api(case, "override"),
            {"risk_level": "low", "risk_override_reason": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert _count(case) == 1


def test_the_api_hides_the_risk_from_feedback_partners_and_strangers(
    case, assessed, feedback_partner, outsider_client
):
    for client in (verified_client(feedback_partner), outsider_client):
        for url in (
            _api(case),
            _api(case, "assessment", assessment_pk=assessed.pk),
            _api(case, "override"),
        ):
            assert client.get(url).status_code == 404, url
            assert client.post(url, _post_data(), content_type="application/json").status_code in (
                404,
                405,
            )
    assert _count(case) == 1


# --- timeline, reviews due, purge ---------------------------------------------------------


def test_the_timeline_shows_assessments_to_who_sees_the_risk(case, assessed, officer, full_partner):
    for user in (officer, full_partner):
        items = [i for i in case_timeline(case, case_access(user, case)) if i.kind == "assessment"]
        assert [i.title for i in items] == ["Risk assessment, version 1: High"]


def test_cases_due_for_review(org, other_org, officer):
    due = CaseFactory(organisation=org)
    RiskAssessmentFactory(
        case=due, assessed_on=datetime.date(2026, 1, 5), next_review_date=datetime.date(2026, 4, 5)
    )
    renewed = CaseFactory(organisation=org)
    RiskAssessmentFactory(
        case=renewed,
        assessed_on=datetime.date(2026, 1, 5),
        next_review_date=datetime.date(2026, 2, 5),
    )
    RiskAssessmentFactory(
        case=renewed,
        assessed_on=datetime.date(2026, 2, 5),
        next_review_date=datetime.date(2026, 9, 5),
    )
    closed = CaseFactory(organisation=org)
    RiskAssessmentFactory(
        case=closed,
        assessed_on=datetime.date(2026, 1, 5),
        next_review_date=datetime.date(2026, 2, 5),
    )
    case_close(case=closed, reason="relocated", acting_user=officer)
    CaseFactory(organisation=org)  # never assessed: not "due for review"
    elsewhere = CaseFactory(organisation=other_org)
    RiskAssessmentFactory(
        case=elsewhere,
        assessed_on=datetime.date(2026, 1, 5),
        next_review_date=datetime.date(2026, 3, 1),
    )

    on = datetime.date(2026, 5, 1)
    assert [c.pk for c in cases_due_for_review(today=on, organisation=org)] == [due.pk]
    rows = list(cases_due_for_review(today=on))
    assert [c.pk for c in rows] == [elsewhere.pk, due.pk]
    assert rows[1].review_due == datetime.date(2026, 4, 5)
    assert list(cases_due_for_review(today=datetime.date(2026, 4, 4), organisation=org)) == []
    assert [
        c.pk for c in cases_due_for_review(today=datetime.date(2026, 4, 5), organisation=org)
    ] == [due.pk]


def test_the_retention_purge_destroys_the_narratives_and_keeps_the_levels(case, assessed):
    registered_purgers()["cases.assessments"](case)
    purged = RiskAssessment.objects.owned_by(case.organisation).get(pk=assessed.pk)
    assert (purged.threats, purged.vulnerabilities, purged.capacities, purged.mitigation) == (
        "",
        "",
        "",
        "",
    )
    assert (purged.level, purged.score, purged.physical_likelihood) == ("high", 13, 4)


def test_an_assessment_keeps_the_cases_next_review_date(case, officer):
    """The case carries its latest assessment's next review date (what Home, the dashboard and
    the reminders read): a new version replaces it."""
    first = _assess(case, officer, next_review_date=in_days(30))
    case.refresh_from_db()
    assert case.risk_review_on == first.next_review_date == in_days(30)
    _assess(case, officer, next_review_date=in_days(9))
    case.refresh_from_db()
    assert case.risk_review_on == in_days(9)
    organisation = case.organisation
    assert [c.pk for c in cases_due_for_review(today=in_days(9), organisation=organisation)] == [
        case.pk
    ]
    assert list(cases_due_for_review(today=in_days(8), organisation=organisation)) == []


def test_migration_0013_gives_assessed_cases_their_latest_review_date(case, org):
    RiskAssessmentFactory(
        case=case, assessed_on=datetime.date(2026, 1, 5), next_review_date=datetime.date(2026, 2, 5)
    )
    RiskAssessmentFactory(
        case=case, assessed_on=datetime.date(2026, 2, 5), next_review_date=datetime.date(2026, 8, 5)
    )
    never = CaseFactory(organisation=org)
    Case.objects.unscoped().update(risk_review_on=None)  # as before the migration
    migration = importlib.import_module("cases.migrations.0013_case_risk_review_on")
    state = MigrationLoader(connection).project_state(("cases", "0013_case_risk_review_on"))
    migration.backfill(state.apps, None)

    case.refresh_from_db()
    never.refresh_from_db()
    assert case.risk_review_on == datetime.date(2026, 8, 5)
    assert never.risk_review_on is None
