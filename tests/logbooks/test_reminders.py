"""Registered sources: follow-up reminders, the hearing-without-observation alert, the
retention purger, and benchmarks marked done by an entry or an action."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.due import registered_alert_sources, registered_due_sources
from cases.models import BenchmarkMilestone, Hearing
from cases.registries.purgers import registered_purgers
from logbooks.models import Attachment, AttachmentContent, DiplomaticAction, LogEntry
from logbooks.services.actions import action_transition
from logbooks.services.attachments import attachment_add
from tests.factories import CaseFactory, record_detention
from tests.logbooks.factories import demarche, log

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(org, officer):
    return CaseFactory(organisation=org, lead_officer=officer)


def _due(now=None):
    return list(registered_due_sources()["logbooks.follow_ups"](now or timezone.now()))


def _alerts(now=None):
    return list(
        registered_alert_sources()["logbooks.hearing_without_observation"](now or timezone.now())
    )


def test_a_follow_up_due_today_reminds_the_author(case, officer):
    entry = log(case, officer, follow_up_on=timezone.localdate())
    log(case, officer, follow_up_on=timezone.localdate() + datetime.timedelta(days=1))
    items = _due()
    assert len(items) == 1
    assert items[0].recipients == [officer]
    assert items[0].key.endswith(timezone.localdate().isoformat())
    assert case.defender.legal_name not in items[0].subject
    assert str(entry.pk) in items[0].url


def test_a_follow_up_of_a_departed_author_goes_to_the_lead_officer(case, officer, org):
    from accounts.models import Role
    from tests.factories import UserFactory

    author = UserFactory(organisation=org, role=Role.OFFICER)
    log(case, author, follow_up_on=timezone.localdate())
    author.is_active = False
    author.save(update_fields=["is_active"])
    assert _due()[0].recipients == [officer]


def test_an_action_with_follow_up_due_reminds(case, officer):
    action = demarche(case, officer)
    action_transition(action=action, to="follow_up_due", acting_user=officer)
    items = [item for item in _due() if "action" in item.extra]
    assert len(items) == 1 and items[0].recipients == [officer]


def test_a_hearing_within_48_hours_without_observation_raises_an_alert(case, officer):
    detention = record_detention(case, acting_user=officer)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    hearing = Hearing.objects.create(
        organisation=case.organisation,
        detention=detention,
        date=tomorrow,
        court="Juzgado 3",
        recorded_by=officer,
    )
    Hearing.objects.create(
        organisation=case.organisation,
        detention=detention,
        date=tomorrow + datetime.timedelta(days=10),
        court="Juzgado 3",
        recorded_by=officer,
    )
    alerts = _alerts()
    assert [(a.key, a.severity, a.kind) for a in alerts] == [
        (f"logbooks.hearing_unobserved:{hearing.pk}", "high", "other")
    ]
    assert case.defender.legal_name not in alerts[0].reason
    demarche(case, officer, type="trial_observation", status="planned", taken_on=tomorrow)
    assert _alerts() == []


def test_no_alert_once_the_defender_is_released(case, officer):
    detention = record_detention(case, acting_user=officer)
    Hearing.objects.create(
        organisation=case.organisation,
        detention=detention,
        date=timezone.localdate() + datetime.timedelta(days=1),
        court="Juzgado 3",
        recorded_by=officer,
    )
    detention.released_on = timezone.localdate()
    detention.save(update_fields=["released_on"])
    assert _alerts() == []


def test_the_purger_blanks_summaries_outcomes_and_destroys_attachments(case, officer):
    entry = log(case, officer, summary="Sensitive narrative")
    attachment_add(entry=entry, filename="name.pdf", data=b"%PDF-1.4 x", acting_user=officer)
    demarche(case, officer, outcome="Sensitive outcome")
    registered_purgers()["logbooks"](case)
    registered_purgers()["logbooks"](case)  # idempotent
    assert LogEntry.objects.unscoped().get(pk=entry.pk).summary == ""
    assert DiplomaticAction.objects.unscoped().get(case=case).outcome == ""
    assert not AttachmentContent.objects.exists()
    purged = Attachment.objects.unscoped().get()
    assert purged.filename == "" and purged.purged_at is not None


def test_an_entry_marks_a_benchmark_done_and_the_milestone_shows_it(officer_client, case, officer):
    detention = record_detention(case, acting_user=officer)
    milestone = detention.milestones.filter(status="open").first()
    response = officer_client.post(
        reverse("logbooks:entry_create", args=[case.pk]),
        {
            "kind": "call",
            "summary": "Called the family and the lawyer.",
            "visibility": "internal",
            "milestone": milestone.pk,
        },
    )
    assert response.status_code == 302
    entry = LogEntry.objects.unscoped().get(case=case)
    milestone = BenchmarkMilestone.objects.unscoped().get(pk=milestone.pk)
    assert milestone.status == "done"
    assert milestone.evidence_ref == reverse("logbooks:entry_detail", args=[entry.pk])
    assert entry.milestone_id == milestone.pk


def test_an_action_marks_its_benchmark_done_when_done(officer_client, case, officer):
    detention = record_detention(case, acting_user=officer)
    milestone = detention.milestones.filter(status="open").first()
    response = officer_client.post(
        f"/api/v1/cases/{case.pk}/actions/",
        {
            "type": "formal_enquiry",
            "authority": "Prosecutor",
            "taken_on": timezone.localdate().isoformat(),
            "status": "planned",
            "milestone": str(milestone.pk),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert BenchmarkMilestone.objects.unscoped().get(pk=milestone.pk).status == "open"
    officer_client.post(
        f"/api/v1/actions/{response.json()['id']}/transition/",
        {"to": "done"},
        content_type="application/json",
    )
    assert BenchmarkMilestone.objects.unscoped().get(pk=milestone.pk).status == "done"


def test_a_benchmark_of_another_case_is_refused(officer_client, case, officer, org):
    other = CaseFactory(organisation=org)
    milestone = record_detention(other, acting_user=officer).milestones.first()
    response = officer_client.post(
        f"/api/v1/cases/{case.pk}/entries/",
        {"kind": "note", "summary": "x", "milestone": str(milestone.pk)},
        content_type="application/json",
    )
    assert response.status_code == 400 and "milestone" in response.json()
    assert not LogEntry.objects.unscoped().exists()
