"""What relocation registers with the apps below it (relocation/hooks.py): the menu entries and
their badges, the case page's panel and timeline, the retention purge."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from alerts.models import Notification
from cases.models import Case
from cases.services.retention import case_purge
from relocation.models import RelocationRequest
from relocation.services.requests import request_transition
from relocation.services.visa import visa_decide, visa_referral_create
from tests.conftest import verified_client
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, share_case
from tests.relocation import factories as f

pytestmark = pytest.mark.django_db


def test_the_menu_follows_the_organisation_kind(ngo_officer, mission_officer):
    city_staff = f.staff(f.city(name="Shelter Tilburg", code="TIL"))
    ngo_page = verified_client(ngo_officer).get(reverse("relocation:list")).content.decode()
    assert 'href="/relocation/"' in ngo_page and "Visa queue" not in ngo_page
    mission_page = verified_client(mission_officer).get(reverse("relocation:list")).content.decode()
    assert 'href="/relocation/visas/"' in mission_page
    city_page = verified_client(city_staff).get(reverse("relocation:city_inbox")).content.decode()
    assert 'href="/relocation/shelter/"' in city_page and 'href="/relocation/"' not in city_page


def test_the_visa_menu_badge_counts_referrals_near_their_deadline(
    consented_case, ngo_officer, the_mission, mission_officer
):
    visa_referral_create(
        relocation_request=f.approved_request(consented_case, ngo_officer),
        mission=the_mission,
        visa_type="humanitarian",
        requested_on=datetime.date.today() - datetime.timedelta(days=9),
        acting_user=ngo_officer,
    )
    page = verified_client(mission_officer).get(reverse("relocation:visa_queue")).content.decode()
    assert 'id="relocation-visa-badge">1</span>' in page


def test_the_kept_visa_badge_follows_each_referral_at_once(
    consented_case,
    ngo_officer,
    the_mission,
    mission_officer,
    badge_cache,
    django_capture_on_commit_callbacks,
):
    """The badge is kept for the organisation a few seconds (one count for every page of
    every member), and forgotten once a write saving one of its referrals commits: a new
    referral and a decision show on the next page, not 30 seconds later."""
    client = verified_client(mission_officer)
    queue = reverse("relocation:visa_queue")
    assert 'id="relocation-visa-badge"></span>' in client.get(queue).content.decode()
    approved = f.approved_request(consented_case, ngo_officer)
    with django_capture_on_commit_callbacks(execute=True):
        referral = visa_referral_create(
            relocation_request=approved,
            mission=the_mission,
            visa_type="humanitarian",
            requested_on=datetime.date.today() - datetime.timedelta(days=9),
            acting_user=ngo_officer,
        )
    assert 'id="relocation-visa-badge">1</span>' in client.get(queue).content.decode()
    colleague = verified_client(UserFactory(organisation=the_mission, role=Role.OFFICER))
    assert 'id="relocation-visa-badge">1</span>' in colleague.get(queue).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        visa_decide(
            referral=referral, decision="refused", acting_user=mission_officer, reason="Not now"
        )
    assert 'id="relocation-visa-badge"></span>' in client.get(queue).content.decode()


def test_the_case_page_panel_lists_requests_for_owner_and_full_partner_only(ngo, ngo_officer):
    owner = OrganisationFactory()
    owner_officer = UserFactory(organisation=owner, role=Role.OFFICER)
    case = CaseFactory(organisation=owner, pseudonym="Guayacan")
    share_case(case, ngo, "full", acting_user=owner_officer)
    feedback_org = OrganisationFactory()
    share_case(case, feedback_org, "feedback", acting_user=owner_officer)
    req = f.make_request(case, ngo_officer, support=["security_training"])
    request_transition(relocation_request=req, to_status="submitted", acting_user=ngo_officer)
    section = reverse("cases:section", args=[case.pk, "relocation"])
    logbook = reverse("cases:section", args=[case.pk, "logbook"])
    partner_page = verified_client(ngo_officer).get(section).content.decode()
    assert "Request relocation" in partner_page and "Security training" in partner_page
    owner = verified_client(owner_officer)
    assert "Security training" in owner.get(section).content.decode()
    # The timeline shows the step to the owner.
    assert "Relocation request by" in owner.get(logbook).content.decode()
    feedback = verified_client(UserFactory(organisation=feedback_org))
    assert feedback.get(section).status_code == 404  # nothing of the relocation for it
    for url in (reverse("cases:detail", args=[case.pk]), logbook):
        feedback_page = feedback.get(url).content.decode()
        assert (
            "Request relocation" not in feedback_page
            and "Relocation request by" not in feedback_page
        )


def test_the_retention_purge_blanks_plans_and_needs(case, ngo_officer, ngo_admin):
    req = f.make_request(
        case, ngo_officer, journey_security_plan="Escort", return_strategy="In 2027"
    )
    request_transition(
        relocation_request=req,
        to_status="cancelled",
        acting_user=ngo_officer,
        reason="Moved abroad",
    )
    # unscoped: closing the case long ago so that retention is due.
    Case.objects.unscoped().filter(pk=case.pk).update(
        status="closed", closed_on=datetime.date(2019, 1, 1), closing_reason="other"
    )
    assert case_purge(case_id=case.pk, today=datetime.date(2026, 11, 23)) is True
    req = RelocationRequest.objects.owned_by(case.organisation).get(pk=req.pk)
    assert (req.medical_needs, req.visa_plan, req.journey_security_plan, req.return_strategy) == (
        "",
        "",
        "",
        "",
    )
    assert req.status == "cancelled" and req.support
    assert all(step.reason == "" for step in req.transitions.all())


def test_the_retention_purge_takes_the_pseudonym_out_of_the_missions_inbox(
    consented_case, ngo_officer, the_mission, mission_officer
):
    """The mission's notification of a visa referral has no case link (the mission cannot
    open the case) but names the pseudonym: the purge finds it by the referral."""
    visa_referral_create(
        relocation_request=f.approved_request(consented_case, ngo_officer),
        mission=the_mission,
        visa_type="humanitarian",
        requested_on=datetime.date(2019, 1, 1),
        acting_user=ngo_officer,
    )
    told = Notification.objects.for_recipient(mission_officer)
    assert told.filter(subject__contains="Ceiba", case=None).exists()
    untouched = Notification.objects.create(
        organisation=the_mission,
        recipient=mission_officer,
        kind="visa_referral",
        subject="Visa referral for Aroma: received",
        dedupe_key="relocation.visa_referral:another:received",
    )
    Case.objects.unscoped().filter(pk=consented_case.pk).update(
        status="closed", closed_on=datetime.date(2019, 1, 1), closing_reason="other"
    )
    assert case_purge(case_id=consented_case.pk, today=datetime.date(2026, 11, 23)) is True
    assert not Notification.objects.unscoped().filter(subject__contains="Ceiba").exists()
    untouched.refresh_from_db()
    assert untouched.subject == "Visa referral for Aroma: received"


def test_importing_the_hooks_registers_nothing_until_register_is_called(mission_officer):
    """Issue 18: the registrations happen in hooks.register(), called by the app's ready();
    importing the module (as any test or tool may) registers nothing."""
    import importlib

    from alerts import due
    from cases.registries import panels, parts, purgers, timeline
    from hrdcase import navigation
    from relocation import hooks

    with (
        navigation.override(),
        due.override(due_sources={}),
        panels.override(),
        parts.override(),
        purgers.override(),
        timeline.override(),
    ):
        importlib.reload(hooks)
        assert navigation.nav_items_for(mission_officer) == []
        assert due.registered_due_sources() == {}
        hooks.register()
        assert [item["url"] for item in navigation.nav_items_for(mission_officer)] == [
            "/relocation/",
            "/relocation/visas/",
        ]
        assert set(due.registered_due_sources()) == {
            "relocation.visa_deadlines",
            "relocation.stays_ending",
            "relocation.answer_reminders",
            "relocation.answer_escalations",
            "relocation.return_plans",
            "relocation.return_risk_reviews",
            "relocation.visa_validity",
        }
