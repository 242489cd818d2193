"""Issue 20 with a REAL Celery worker (and its embedded beat), the broker and the database
of tests/integration/test_alerts_pipeline.py (its fixtures): an emergency visa referral whose
deadline passes is escalated to the mission's admins by the beat sweep, through the worker,
once — the next sweeps (every second here) send nothing more."""

from __future__ import annotations

import time

import pytest

from tests.integration.test_alerts_pipeline import (  # noqa: F401 (the fixtures)
    database_url,
    pipeline,
    shared_sqlite,
    wait_for,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.timeout(180),
    pytest.mark.django_db(transaction=True),
]


def _overdue(run, address: str) -> list:
    return [m for m in run.mails_to(address) if "Overdue:" in m["Subject"]]


def test_a_passed_visa_deadline_is_escalated_once_to_the_missions_admins(pipeline):  # noqa: F811
    from django.utils import timezone

    from accounts.models import Role
    from alerts.models import EscalationStep
    from alerts.services.policy import policy_for
    from relocation.models import VisaReferral
    from relocation.services.visa import visa_referral_create
    from tests.factories import CaseFactory, OrganisationFactory, UserFactory
    from tests.relocation import factories as f

    ngo = OrganisationFactory(kind="ngo")
    ngo_officer = UserFactory(organisation=ngo, role=Role.OFFICER)
    mission = f.mission(name="Embassy of NL")
    mission_officer = UserFactory(organisation=mission, role=Role.OFFICER)
    mission_admin = UserFactory(organisation=mission, role=Role.ADMIN)
    # The mission's policy: its admins two seconds after the deadline.
    policy = policy_for(mission)
    policy.steps.all().delete()
    EscalationStep.objects.create(
        organisation=mission, policy=policy, after_seconds=2, target="role", role=Role.ADMIN
    )
    case = CaseFactory(organisation=ngo, pseudonym="Ceiba")
    f.give_relocation_consent(case, ngo_officer)
    referral = visa_referral_create(
        relocation_request=f.approved_request(case, ngo_officer, urgency="emergency"),
        mission=mission,
        visa_type="humanitarian",
        acting_user=ngo_officer,
    )
    pipeline.start_worker()
    # The deadline passes now (two working days do not fit in a test).
    # unscoped: test set-up of the deadline.
    VisaReferral.objects.unscoped().filter(pk=referral.pk).update(due_at=timezone.now())
    passed = time.monotonic()
    wait_for(lambda: _overdue(pipeline, mission_admin.email), 30, "the escalation", pipeline)
    assert time.monotonic() - passed >= 1.5  # not before its step's delay
    time.sleep(4)  # four more sweeps: room for a duplicate
    (mail,) = _overdue(pipeline, mission_admin.email)
    assert "visa decision for Ceiba at Embassy of NL" in mail["Subject"]
    assert "Emergency" in mail["Subject"]
    body = mail.get_payload(decode=True).decode()
    assert f"/relocation/visas/{referral.pk}/" in body or str(referral.pk) in body
    assert _overdue(pipeline, mission_officer.email) == []
    assert case.defender.legal_name not in body + mail["Subject"]
