"""Detention benchmarks marked done from the logbook: by the owner's entry, by its action once
done, never one of another case."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import BenchmarkMilestone
from logbooks.models import LogEntry
from tests.factories import CaseFactory, record_detention

pytestmark = pytest.mark.django_db


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
