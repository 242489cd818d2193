"""Detention: the record, hearings, the benchmark plan from the organisation's template,
marking steps done, the due-benchmarks feed of the alerts sweep, and who may see what."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from cases.models import BenchmarkMilestone, BenchmarkRule, Case, Consent, Detention, Hearing
from cases.selectors.detention import due_benchmarks
from cases.services.consent import consent_record, consent_revoke
from cases.services.detention import benchmark_rules_for, hearing_add
from hrdcase.models import AuditEvent
from tests.conftest import verified_client
from tests.factories import (
    CaseFactory,
    IncidentFactory,
    OrganisationFactory,
    UserFactory,
    record_detention,
    share_case,
)
from tests.queries import counting

pytestmark = pytest.mark.django_db


def _today() -> datetime.date:
    return timezone.localdate()


def _ago(days: int) -> datetime.date:
    return _today() - datetime.timedelta(days=days)


@pytest.fixture
def case(org):
    return CaseFactory(organisation=org, pseudonym="Ceiba")


@pytest.fixture
def detention(case, officer):
    return record_detention(case, acting_user=officer, detained_since=_ago(20))


def _plan(detention) -> list[tuple[str, int, str]]:
    """(kind, days after the arrest, status) of each milestone."""
    return [
        (m.kind, (m.due_on - detention.detained_since).days, m.status)
        for m in detention.milestones.order_by("due_on", "kind")
    ]


def _public_consent(case, officer) -> Consent:
    return consent_record(
        case=case,
        scope=Consent.Scope.PUBLIC_ACTION,
        given_on=_today(),
        method=Consent.Method.IN_PERSON,
        acting_user=officer,
    )


def _partner_client(case, level):
    partner = OrganisationFactory()
    share_case(case, partner, level)
    return verified_client(UserFactory(organisation=partner, role=Role.OFFICER))


def _detention_url(detention) -> str:
    return reverse("cases:detention", args=[detention.incident.case_id, detention.incident_id])


def _api_detention_url(detention) -> str:
    return reverse(
        "api:case-incident-detention", args=[detention.incident.case_id, detention.incident_id]
    )


# --- recording and the plan --------------------------------------------------------------------


def test_an_officer_records_a_detention_and_gets_the_default_plan(officer_client, case, officer):
    incident = IncidentFactory(
        case=case, recorded_by=officer, type="arbitrary_detention", occurred_on=_ago(3)
    )
    url = reverse("cases:detention", args=[case.pk, incident.pk])
    response = officer_client.post(
        url,
        {
            "action": "record",
            "detained_since": _ago(3).isoformat(),
            "place": "La Picota prison",
            "charges": "Rebellion, conspiracy",
            "lawyer": "Ana Lawyer",
        },
    )
    assert response.status_code == 302, response.content
    detention = Detention.objects.owned_by(case.organisation).get(incident=incident)
    assert (detention.place, detention.lawyer) == ("La Picota prison", "Ana Lawyer")
    # 48 h, 7 days, 14 days; no trial observation before a hearing; no public statement
    # without the defender's consent to public action.
    assert _plan(detention) == [
        ("contact", 2, "open"),
        ("enquiry", 7, "open"),
        ("demarche", 14, "open"),
    ]
    page = officer_client.get(url).content.decode()
    assert "La Picota prison" in page and "Contact family and lawyer" in page
    assert AuditEvent.objects.filter(action="detention.record", target_id=str(case.pk)).exists()


def test_the_plan_has_a_public_statement_only_with_public_action_consent(case, officer):
    without = record_detention(case, acting_user=officer, detained_since=_ago(1))
    assert "public_statement" not in [kind for kind, _days, _status in _plan(without)]

    consented = CaseFactory(organisation=case.organisation)
    _public_consent(consented, officer)
    with_consent = record_detention(consented, acting_user=officer, detained_since=_ago(1))
    assert ("public_statement", 30, "open") in _plan(with_consent)


def test_a_plan_refresh_adds_the_public_statement_once_consent_is_recorded(
    officer_client, case, officer
):
    detention = record_detention(case, acting_user=officer, detained_since=_ago(1))
    _public_consent(case, officer)
    response = officer_client.post(_detention_url(detention), {"action": "refresh"})
    assert response.status_code == 302
    assert ("public_statement", 30, "open") in _plan(detention)
    officer_client.post(_detention_url(detention), {"action": "refresh"})
    assert [kind for kind, *_ in _plan(detention)].count("public_statement") == 1


def test_revoked_consent_sets_the_public_statement_aside_and_refuses_marking_it_done(case, officer):
    consent = _public_consent(case, officer)
    detention = record_detention(case, acting_user=officer, detained_since=_ago(31))
    statement = detention.milestones.get(kind="public_statement")
    assert statement in due_benchmarks()

    consent_revoke(consent=consent, acting_user=officer)
    assert statement not in due_benchmarks()  # never remind anyone of a refused public step
    api = verified_client(officer).post(
        reverse("api:case-milestone-done", args=[case.pk, statement.pk]),
        {},
        content_type="application/json",
    )
    assert api.status_code == 400 and "public action" in str(api.json())
    statement.refresh_from_db()
    assert statement.status == "open"

    from cases.services.detention import benchmark_plan_refresh

    assert benchmark_plan_refresh(detention=detention, acting_user=officer) == (0, 1)
    statement.refresh_from_db()
    assert statement.status == BenchmarkMilestone.Status.NOT_NEEDED


def test_the_plan_follows_the_organisations_edited_template(admin_client_org, case, officer, org):
    before = record_detention(case, acting_user=officer, detained_since=_ago(1))
    rules = {rule.kind: rule for rule in benchmark_rules_for(org)}
    edit = reverse("cases:benchmark_rule_edit", args=[rules["contact"].pk])
    assert (
        admin_client_org.post(
            edit,
            {"kind": "contact", "label": "Call the family", "offset_days": 1, "active": "on"},
        ).status_code
        == 302
    )
    assert (
        admin_client_org.post(
            reverse("cases:benchmark_rule_edit", args=[rules["enquiry"].pk]),
            {"kind": "enquiry", "offset_days": 7},  # unticked: inactive
        ).status_code
        == 302
    )
    added = admin_client_org.post(
        reverse("cases:benchmark_rules"),
        {"action": "add", "kind": "prison_visit", "offset_days": 10, "active": "on"},
    )
    assert added.status_code == 302

    after = record_detention(
        CaseFactory(organisation=org), acting_user=officer, detained_since=_ago(1)
    )
    assert _plan(after) == [
        ("contact", 1, "open"),
        ("prison_visit", 10, "open"),
        ("demarche", 14, "open"),
    ]
    assert after.milestones.get(kind="contact").title == "Call the family"
    # A plan already made keeps its steps.
    assert _plan(before) == [
        ("contact", 2, "open"),
        ("enquiry", 7, "open"),
        ("demarche", 14, "open"),
    ]


def test_the_default_template_is_created_lazily_and_can_be_restored(admin_client_org, org):
    assert BenchmarkRule.objects.owned_by(org).count() == 0
    page = admin_client_org.get(reverse("cases:benchmark_rules"))
    assert page.status_code == 200 and "Trial observation" in page.content.decode()
    assert BenchmarkRule.objects.owned_by(org).count() == 5
    BenchmarkRule.objects.owned_by(org).update(active=False)
    response = admin_client_org.post(reverse("cases:benchmark_rules"), {"action": "reset"})
    assert response.status_code == 302
    assert BenchmarkRule.objects.owned_by(org).filter(active=True).count() == 5
    assert AuditEvent.objects.filter(action="benchmark_rules.reset").exists()


def test_only_an_organisation_admin_edits_the_template(officer_client, viewer_client, org):
    rule = benchmark_rules_for(org).get(kind="contact")
    assert officer_client.get(reverse("cases:benchmark_rules")).status_code == 200
    for client in (officer_client, viewer_client):
        add = client.post(
            reverse("cases:benchmark_rules"), {"action": "add", "kind": "other", "offset_days": 3}
        )
        assert add.status_code == 403
        assert client.get(reverse("cases:benchmark_rule_edit", args=[rule.pk])).status_code == 403
        reset = client.post(reverse("cases:benchmark_rules"), {"action": "reset"})
        assert reset.status_code == 403
    assert BenchmarkRule.objects.owned_by(org).count() == 5


def test_another_organisation_cannot_edit_the_template(outsider_client, org):
    rule = benchmark_rules_for(org).get(kind="contact")
    url = reverse("cases:benchmark_rule_edit", args=[rule.pk])
    assert outsider_client.get(url).status_code == 404
    assert outsider_client.post(url, {"kind": "contact", "offset_days": 90}).status_code == 404
    rule.refresh_from_db()
    assert rule.offset_days == 2


def test_the_template_refuses_a_public_statement_without_consent_condition(admin_client_org, org):
    rule = benchmark_rules_for(org).get(kind="public_statement")
    response = admin_client_org.post(
        reverse("cases:benchmark_rule_edit", args=[rule.pk]),
        {"kind": "public_statement", "offset_days": 30, "active": "on"},
    )
    assert response.status_code == 200
    assert "consent to public action" in response.content.decode()
    bad_kind = admin_client_org.post(
        reverse("cases:benchmark_rules"), {"action": "add", "kind": "parade", "offset_days": 3}
    )
    assert bad_kind.status_code == 200
    negative = admin_client_org.post(
        reverse("cases:benchmark_rules"), {"action": "add", "kind": "demarche", "offset_days": -3}
    )
    assert negative.status_code == 200 and "between 0 and" in negative.content.decode()
    rule.refresh_from_db()
    assert rule.requires_public_consent
    assert BenchmarkRule.objects.owned_by(org).count() == 5


# --- hearings -------------------------------------------------------------------------------------


def test_a_hearing_adds_a_trial_observation_due_that_day(officer_client, detention):
    hearing_day = _today() + datetime.timedelta(days=9)
    response = officer_client.post(
        reverse("cases:hearing_add", args=[detention.incident.case_id, detention.incident_id]),
        {"date": hearing_day.isoformat(), "court": "Juzgado 3 penal", "note": "Bail hearing"},
    )
    assert response.status_code == 302
    hearing = detention.hearings.get()
    observation = detention.milestones.get(kind="trial_observation")
    assert (observation.due_on, observation.hearing) == (hearing_day, hearing)
    page = officer_client.get(_detention_url(detention)).content.decode()
    assert "Juzgado 3 penal" in page and "Trial observation" in page


def test_the_api_adds_hearings(officer_client, detention):
    url = reverse(
        "api:case-incident-hearings", args=[detention.incident.case_id, detention.incident_id]
    )
    hearing_day = _today() + datetime.timedelta(days=4)
    response = officer_client.post(
        url,
        {"date": hearing_day.isoformat(), "court": "Tribunal 2"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    second = officer_client.post(
        url,
        {"date": (hearing_day + datetime.timedelta(days=30)).isoformat(), "court": "Tribunal 2"},
        content_type="application/json",
    )
    assert second.status_code == 201
    assert detention.milestones.filter(kind="trial_observation").count() == 2


def test_it_refuses_a_hearing_before_the_arrest(officer_client, detention):
    before = (detention.detained_since - datetime.timedelta(days=1)).isoformat()
    page = officer_client.post(
        reverse("cases:hearing_add", args=[detention.incident.case_id, detention.incident_id]),
        {"date": before, "court": "Juzgado 3"},
    )
    assert page.status_code == 400 and "before the arrest" in page.content.decode()
    api = officer_client.post(
        reverse(
            "api:case-incident-hearings", args=[detention.incident.case_id, detention.incident_id]
        ),
        {"date": before, "court": "Juzgado 3"},
        content_type="application/json",
    )
    assert api.status_code == 400 and "date" in api.json()
    missing_court = officer_client.post(
        reverse(
            "api:case-incident-hearings", args=[detention.incident.case_id, detention.incident_id]
        ),
        {"date": _today().isoformat()},
        content_type="application/json",
    )
    assert missing_court.status_code == 400 and "court" in missing_court.json()
    assert Hearing.objects.owned_by(detention.organisation).count() == 0
    assert not detention.milestones.filter(kind="trial_observation").exists()


# --- milestones -------------------------------------------------------------------------------


def test_an_officer_marks_a_step_done_with_the_logbook_entry(officer_client, officer, detention):
    contact = detention.milestones.get(kind="contact")
    url = reverse("cases:milestone_done", args=[detention.incident.case_id, contact.pk])
    assert officer_client.get(url).status_code == 200
    response = officer_client.post(
        url, {"evidence_ref": "LOG-2026-0042", "note": "Spoke to her sister."}
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.status, contact.done_by, contact.evidence_ref) == (
        "done",
        officer,
        "LOG-2026-0042",
    )
    assert contact.note == "Spoke to her sister." and contact.done_at is not None
    page = officer_client.get(_detention_url(detention)).content.decode()
    assert "LOG-2026-0042" in page
    again = officer_client.post(
        reverse("api:case-milestone-done", args=[detention.incident.case_id, contact.pk]),
        {},
        content_type="application/json",
    )
    assert again.status_code == 409


def test_the_api_marks_a_step_done(officer_client, detention):
    enquiry = detention.milestones.get(kind="enquiry")
    response = officer_client.post(
        reverse("api:case-milestone-done", args=[detention.incident.case_id, enquiry.pk]),
        {"evidence_ref": "https://hrdcase.example/cases/x/log/1", "note": "Note verbale sent"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "done" and response.json()["overdue"] is False


def test_it_refuses_a_script_link_as_evidence(officer_client, detention):
    step = detention.milestones.get(kind="contact")
    case_id = detention.incident.case_id
    api = officer_client.post(
        reverse("api:case-milestone-done", args=[case_id, step.pk]),
        {"evidence_ref": "javascript:alert(1)"},
        content_type="application/json",
    )
    assert api.status_code == 400 and "evidence_ref" in api.json()
    page = officer_client.post(
        reverse("cases:milestone_done", args=[case_id, step.pk]),
        {"evidence_ref": "javascript:alert(1)"},
    )
    assert page.status_code == 200 and "web address" in page.content.decode()
    step.refresh_from_db()
    assert step.status == "open"


def test_overdue_steps_show_as_overdue(officer_client, detention):
    page = officer_client.get(_detention_url(detention)).content.decode()
    assert page.count(">overdue<") == 3  # 2, 7 and 14 days after an arrest 20 days ago
    milestones = officer_client.get(
        reverse("api:case-milestone-list", args=[detention.incident.case_id])
    ).json()["results"]
    assert {row["kind"]: row["overdue"] for row in milestones} == {
        "contact": True,
        "enquiry": True,
        "demarche": True,
    }
    case_page = officer_client.get(
        reverse("cases:section", args=[detention.incident.case_id, "incidents"])
    ).content.decode()
    assert "Detention benchmarks due" in case_page and ">overdue<" in case_page


def test_a_release_sets_aside_the_steps_due_after_it(officer_client, officer, case):
    detention = record_detention(case, acting_user=officer, detained_since=_ago(5))
    hearing_add(
        detention=detention,
        date=_ago(4) + datetime.timedelta(days=30),
        court="T1",
        acting_user=officer,
    )
    response = officer_client.post(
        _detention_url(detention),
        {
            "action": "update",
            "released_on": _ago(0).isoformat(),
            "place": "",
            "charges": "",
            "lawyer": "",
        },
    )
    assert response.status_code == 302
    detention.refresh_from_db()
    assert detention.released_on == _today()
    statuses = {m.kind: m.status for m in detention.milestones.all()}
    assert statuses == {
        "contact": "open",  # due 3 days ago: still to be done
        "enquiry": "not_needed",
        "demarche": "not_needed",
        "trial_observation": "open",  # the trial goes on after the release
    }


def test_it_refuses_a_future_release_or_arrest(officer_client, officer, case, detention):
    tomorrow = (_today() + datetime.timedelta(days=1)).isoformat()
    api = officer_client.patch(
        _api_detention_url(detention), {"released_on": tomorrow}, content_type="application/json"
    )
    assert api.status_code == 400 and "released_on" in api.json()
    detention.refresh_from_db()
    assert detention.released_on is None

    incident = IncidentFactory(case=case, recorded_by=officer, type="arbitrary_detention")
    record = officer_client.post(
        reverse("api:case-incident-detention", args=[case.pk, incident.pk]),
        {"detained_since": tomorrow},
        content_type="application/json",
    )
    assert record.status_code == 400 and "detained_since" in record.json()
    assert not Detention.objects.owned_by(case.organisation).filter(incident=incident).exists()


def test_only_a_detention_incident_has_a_detention(officer_client, officer, case):
    threat = IncidentFactory(case=case, recorded_by=officer, type="threat")
    assert (
        officer_client.get(reverse("cases:detention", args=[case.pk, threat.pk])).status_code == 404
    )
    api = officer_client.post(
        reverse("api:case-incident-detention", args=[case.pk, threat.pk]),
        {},
        content_type="application/json",
    )
    assert api.status_code == 400 and "incident" in api.json()
    assert not Detention.objects.owned_by(case.organisation).exists()


def test_the_api_records_and_reads_a_detention(officer_client, officer, case):
    incident = IncidentFactory(
        case=case, recorded_by=officer, type="arbitrary_detention", occurred_on=_ago(2)
    )
    url = reverse("api:case-incident-detention", args=[case.pk, incident.pk])
    assert officer_client.get(url).status_code == 404  # not recorded yet
    created = officer_client.post(
        url, {"place": "Cell 4", "lawyer": "Ana"}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    body = officer_client.get(url).json()
    assert body["place"] == "Cell 4" and body["detained_since"] == _ago(2).isoformat()
    assert [m["kind"] for m in body["milestones"]] == ["contact", "enquiry", "demarche"]
    again = officer_client.post(url, {}, content_type="application/json")
    assert again.status_code == 400


# --- who sees and who writes -----------------------------------------------------------------


def test_a_viewer_reads_the_plan_but_changes_nothing(viewer_client, detention):
    case_id, incident_id = detention.incident.case_id, detention.incident_id
    step = detention.milestones.get(kind="contact")
    assert viewer_client.get(_detention_url(detention)).status_code == 200
    assert viewer_client.get(_api_detention_url(detention)).status_code == 200
    assert "Mark done" not in viewer_client.get(_detention_url(detention)).content.decode()
    assert (
        viewer_client.post(
            reverse("cases:hearing_add", args=[case_id, incident_id]),
            {"date": _today().isoformat(), "court": "T"},
        ).status_code
        == 403
    )
    assert (
        viewer_client.post(reverse("cases:milestone_done", args=[case_id, step.pk]), {}).status_code
        == 403
    )
    assert (
        viewer_client.post(
            reverse("api:case-milestone-done", args=[case_id, step.pk]),
            {},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert (
        viewer_client.patch(
            _api_detention_url(detention), {"lawyer": "X"}, content_type="application/json"
        ).status_code
        == 403
    )
    step.refresh_from_db()
    assert step.status == "open" and not detention.hearings.exists()


def test_another_organisation_gets_404_everywhere(outsider_client, detention):
    case_id, incident_id = detention.incident.case_id, detention.incident_id
    step = detention.milestones.first()
    for url in (
        _detention_url(detention),
        reverse("cases:milestone_done", args=[case_id, step.pk]),
        _api_detention_url(detention),
        reverse("api:case-milestone-list", args=[case_id]),
        reverse("api:case-milestone-detail", args=[case_id, step.pk]),
    ):
        assert outsider_client.get(url).status_code == 404, url
    assert (
        outsider_client.post(
            reverse("api:case-milestone-done", args=[case_id, step.pk]),
            {},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        outsider_client.post(
            reverse("cases:hearing_add", args=[case_id, incident_id]),
            {"date": _today().isoformat(), "court": "T"},
        ).status_code
        == 404
    )
    step.refresh_from_db()
    assert step.status == "open"


def test_a_feedback_partner_never_sees_the_detention(case, detention):
    client = _partner_client(case, "feedback")
    step = detention.milestones.first()
    for url in (
        _detention_url(detention),
        _api_detention_url(detention),
        reverse("api:case-milestone-list", args=[case.pk]),
        reverse("api:case-milestone-detail", args=[case.pk, step.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for section in ("overview", "logbook", "actions", "sharing"):
        url = (
            reverse("cases:detail", args=[case.pk])
            if section == "overview"
            else reverse("cases:section", args=[case.pk, section])
        )
        page = client.get(url).content.decode()
        # a feedback partner may raise an urgent alert (issue 21): its form offers "Detained"
        page = page.replace('<option value="detained">Detained</option>', "")
        assert "Detained" not in page and "benchmark" not in page.lower(), section
        assert "Central prison" not in page
    assert client.get(reverse("cases:section", args=[case.pk, "incidents"])).status_code == 404


def test_a_full_partner_reads_the_detention_but_marks_nothing(case, detention):
    client = _partner_client(case, "full")
    page = client.get(_detention_url(detention))
    assert page.status_code == 200 and "Central prison, block C" in page.content.decode()
    assert "Mark done" not in page.content.decode()
    assert (
        client.get(_api_detention_url(detention)).json()["lawyer"] == "Ana Lawyer, +57 300 000 0000"
    )
    step = detention.milestones.get(kind="contact")
    assert (
        client.post(
            reverse("api:case-milestone-done", args=[case.pk, step.pk]),
            {},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("cases:milestone_done", args=[case.pk, step.pk]), {}).status_code == 404
    )
    step.refresh_from_db()
    assert step.status == "open"


def test_the_timeline_shows_detention_hearings_and_steps_done(officer_client, officer, detention):
    from cases.services.detention import milestone_mark_done

    hearing_add(detention=detention, date=_ago(1), court="Juzgado 9", acting_user=officer)
    milestone_mark_done(milestone=detention.milestones.get(kind="contact"), acting_user=officer)
    page = officer_client.get(
        reverse("cases:section", args=[detention.incident.case_id, "logbook"])
    ).content.decode()
    assert "Detained" in page and "Hearing: Juzgado 9" in page
    assert "Benchmark done: Contact family and lawyer" in page


# --- the alerts sweep's feed ---------------------------------------------------------------------


def test_due_benchmarks_lists_overdue_and_soon_due_open_steps(officer, org):
    held = record_detention(
        CaseFactory(organisation=org), acting_user=officer, detained_since=_ago(6)
    )
    # contact: due 4 days ago (overdue); enquiry: due tomorrow (soon); demarche: in 8 days (later)
    due = {m.kind: m.overdue for m in due_benchmarks() if m.detention_id == held.pk}
    assert due == {"contact": True, "enquiry": False}

    from cases.services.detention import milestone_mark_done

    milestone_mark_done(milestone=held.milestones.get(kind="contact"), acting_user=officer)
    assert {m.kind for m in due_benchmarks() if m.detention_id == held.pk} == {"enquiry"}

    later = timezone.now() + datetime.timedelta(days=8)
    assert {m.kind for m in due_benchmarks(later) if m.detention_id == held.pk} == {
        "enquiry",
        "demarche",
    }


def test_due_benchmarks_leaves_out_closed_cases(officer, org):
    held = record_detention(
        CaseFactory(organisation=org), acting_user=officer, detained_since=_ago(20)
    )
    assert any(m.detention_id == held.pk for m in due_benchmarks())
    Case.objects.owned_by(org).filter(pk=held.incident.case_id).update(
        status="closed", closed_on=_today(), closing_reason="released"
    )
    assert not any(m.detention_id == held.pk for m in due_benchmarks())


def test_due_benchmarks_serves_every_organisation_in_a_fixed_number_of_queries(
    officer,
):
    for _ in range(3):
        other = OrganisationFactory()
        record_detention(
            CaseFactory(organisation=other),
            acting_user=UserFactory(organisation=other, role=Role.OFFICER),
            detained_since=_ago(20),
        )
    with counting(queries=1):
        rows = list(due_benchmarks())
        orgs = {row.organisation.pk for row in rows}
        leads = [row.detention.incident.case.lead_officer_id for row in rows]
    assert len(orgs) == 3 and len(leads) == 9


def test_the_retention_purge_destroys_incident_and_detention_narratives(officer, case):
    from cases.models import Incident
    from cases.services.detention import milestone_mark_done
    from cases.services.retention import case_purge

    detention = record_detention(case, acting_user=officer, detained_since=_ago(20))
    hearing_add(
        detention=detention,
        date=_ago(2),
        court="Juzgado 9",
        note="Bail refused",
        acting_user=officer,
    )
    milestone_mark_done(
        milestone=detention.milestones.get(kind="contact"),
        acting_user=officer,
        note="Spoke to her sister",
        evidence_ref="LOG-1",
    )
    Case.objects.owned_by(case.organisation).filter(pk=case.pk).update(
        status="closed", closed_on=datetime.date(2000, 1, 1), closing_reason="released"
    )

    assert case_purge(case_id=case.pk) is True

    incident = Incident.objects.unscoped().get(pk=detention.incident_id)
    assert (incident.place, incident.description) == ("", "")
    assert incident.type == "arbitrary_detention"  # dashboards still count it
    detention = Detention.objects.unscoped().get(pk=detention.pk)
    assert (detention.place, detention.charges, detention.lawyer) == ("", "", "")
    hearing = Hearing.objects.unscoped().get(detention=detention)
    assert (hearing.court, hearing.note) == ("", "")
    done = BenchmarkMilestone.objects.unscoped().get(detention=detention, kind="contact")
    assert (done.note, done.evidence_ref, done.status) == ("", "", "done")
