"""Every URL pattern of hrdcase, classified. The isolation test walks the URL resolver and
fails on a route missing here, so a new page or endpoint cannot ship unclassified.

Kinds:
- PUBLIC: reachable before login (login, health, invitation link); serves no tenant data.
- STAFF: Django admin, platform staff only.
- OWN: no object in the URL; answers with the requesting user's own data only.
- Object(make): the URL names an object. ``make(world)`` creates that object inside the
  owner organisation and returns the URL kwargs; every user of another organisation, in
  every role, must get 404 for every method.
"""

from __future__ import annotations

from typing import Any

from tests.isolation.registry_kinds import OWN, PUBLIC, STAFF, Object
from tests.isolation.routes_alerts import ROUTES as _alerts_routes
from tests.isolation.routes_court import ROUTES as _court_routes
from tests.isolation.routes_logbooks import ROUTES as _logbooks_routes
from tests.isolation.routes_relocation import ROUTES as _relocation_routes
from tests.isolation.routes_work import ROUTES as _work_routes

__all__ = ["OWN", "PREFIXES", "PUBLIC", "ROUTES", "STAFF", "Object"]


def _member(world) -> dict[str, Any]:
    return {"pk": world.owner_colleague.pk}


def _owned_case(world):
    from tests.factories import CaseFactory

    return CaseFactory(organisation=world.owner_org)


def _case(world) -> dict[str, Any]:
    return {"pk": _owned_case(world).pk}


def _case_section(world) -> dict[str, Any]:
    """A section of the case page other than Overview (tests/isolation/test_case_sections.py
    tries every section)."""
    return {"pk": _owned_case(world).pk, "section": "risk"}


def _share(world):
    """A case of the owner shared (full) with a third organisation, not the prying one."""
    from tests.factories import OrganisationFactory, share_case

    case = _owned_case(world)
    return share_case(case, OrganisationFactory(), "full", acting_user=world.owner_colleague)


def _case_share(world) -> dict[str, Any]:
    share = _share(world)
    return {"pk": share.case_id, "share_pk": share.pk}


def _case_consent(world) -> dict[str, Any]:
    share = _share(world)
    consent = share.case.consents.unscoped().first()
    return {"pk": share.case_id, "consent_pk": consent.pk}


def _saved_filter(world) -> dict[str, Any]:
    """A saved filter of a member of the owner organisation."""
    from cases.models import SavedCaseFilter

    saved = SavedCaseFilter.objects.create(
        organisation=world.owner_org, user=world.owner_colleague, name="Open", query="status=open"
    )
    return {"pk": saved.pk}


def _coordination(world) -> dict[str, Any]:
    """A request addressed to the owner organisation by a third one."""
    from cases.models import CoordinationRequest
    from tests.factories import CaseFactory, UserFactory

    holder_case = _owned_case(world)
    requester_case = CaseFactory()
    request = CoordinationRequest.objects.create(
        organisation=requester_case.organisation,
        case=holder_case,
        requester_case=requester_case,
        holder=world.owner_org,
        requested_by=UserFactory(organisation=requester_case.organisation),
        message="Shall we coordinate?",
    )
    return {"request_pk": request.pk}


def _share_to_owner(world) -> dict[str, Any]:
    """A third organisation's case shared (full) with the owner organisation: the owner's
    writers may answer it; every other organisation gets 404."""
    from tests.factories import CaseFactory, share_case

    share = share_case(CaseFactory(), world.owner_org, "full")
    return {"share_pk": share.pk, "step": "accept"}


def _case_break_glass(world) -> dict[str, Any]:
    """A case of the owner shared (feedback) with a third organisation whose admin opened it
    under break-glass."""
    from accounts.models import Role
    from cases.services.break_glass import break_glass_open
    from tests.factories import OrganisationFactory, UserFactory, share_case

    case = _owned_case(world)
    partner = OrganisationFactory()
    share_case(case, partner, "feedback", acting_user=world.owner_colleague)
    opening = break_glass_open(
        case=case,
        reason="Detained overnight, owner mission unreachable since noon.",
        acting_user=UserFactory(organisation=partner, role=Role.ADMIN),
    )
    return {"pk": case.pk, "access_pk": opening.pk}


def _owned_detention(world):
    from tests.factories import record_detention

    return record_detention(_owned_case(world), acting_user=world.owner_colleague)


def _case_incident(world) -> dict[str, Any]:
    from tests.factories import IncidentFactory

    incident = IncidentFactory(case=_owned_case(world), recorded_by=world.owner_colleague)
    return {"pk": incident.case_id, "incident_pk": incident.pk}


def _case_detention(world) -> dict[str, Any]:
    detention = _owned_detention(world)
    return {"pk": detention.incident.case_id, "incident_pk": detention.incident_id}


def _case_milestone(world) -> dict[str, Any]:
    detention = _owned_detention(world)
    return {"pk": detention.incident.case_id, "milestone_pk": detention.milestones.first().pk}


def _benchmark_rule(world) -> dict[str, Any]:
    from cases.services.detention import benchmark_rules_for

    return {"rule_pk": benchmark_rules_for(world.owner_org).first().pk}


def _api_case(world) -> dict[str, Any]:
    return {"case_pk": _owned_case(world).pk}


def _api_incident(world) -> dict[str, Any]:
    detention = _owned_detention(world)
    return {"case_pk": detention.incident.case_id, "pk": detention.incident_id}


def _api_milestone(world) -> dict[str, Any]:
    detention = _owned_detention(world)
    return {"case_pk": detention.incident.case_id, "pk": detention.milestones.first().pk}


def _assessment(world):
    from tests.factories import RiskAssessmentFactory

    return RiskAssessmentFactory(case=_owned_case(world))


def _case_assessed(world) -> dict[str, Any]:
    return {"pk": _assessment(world).case_id}


def _case_assessment(world) -> dict[str, Any]:
    assessment = _assessment(world)
    return {"pk": assessment.case_id, "assessment_pk": assessment.pk}


def _task(world) -> dict[str, Any]:
    from django.utils import timezone

    from cases.services.task import task_create

    task = task_create(
        case=_owned_case(world),
        title="Call the lawyer back",
        due_on=timezone.localdate(),
        acting_user=world.owner_colleague,
    )
    return {"task_pk": task.pk}


def _task_step(world) -> dict[str, Any]:
    return {**_task(world), "step": "done"}


def _api_task(world) -> dict[str, Any]:
    return {"pk": _task(world)["task_pk"]}


def _network(world) -> dict[str, Any]:
    from tests.factories import NetworkFactory

    return {"pk": NetworkFactory(members=[world.owner_org]).pk}


def _network_chart(world) -> dict[str, Any]:
    return {**_network(world), "key": "open_by_country"}


ROUTES: dict[str, Any] = {
    "home": OWN,
    "healthz": PUBLIC,
    # Signed-in users only (tests/accounts/test_api_docs.py): the schema maps every endpoint.
    "schema": OWN,
    "api-docs": OWN,
    "accounts:login": PUBLIC,
    "accounts:logout": OWN,
    "accounts:verify": OWN,
    "accounts:enrol": OWN,
    "accounts:profile": OWN,
    "accounts:set_language": PUBLIC,
    # The token in the URL is the secret; tested in tests/accounts (wrong token -> 404).
    "accounts:invitation_accept": PUBLIC,
    "accounts:organisation": OWN,
    "accounts:users": OWN,
    "accounts:user_edit": Object(_member),
    "accounts:password_change": OWN,
    # Before login by design; the link's uid and token are the secret (tests/accounts).
    "accounts:password_reset": PUBLIC,
    "accounts:password_reset_done": PUBLIC,
    "accounts:password_reset_confirm": PUBLIC,
    "accounts:password_reset_complete": PUBLIC,
    "api:me": OWN,
    "api:member-list": OWN,
    "api:member-detail": Object(_member, api=True),
    "api:member-deactivate": Object(_member, api=True),
    "api:member-reactivate": Object(_member, api=True),
    # cases: core
    "cases:list": OWN,
    "cases:search": OWN,
    "cases:list_export": OWN,
    "cases:filter_save": OWN,
    "cases:filter_delete": Object(_saved_filter),
    "cases:create": OWN,
    "cases:coordination_inbox": OWN,
    "cases:duplicate_hints": OWN,
    "cases:detail": Object(_case),
    "cases:section": Object(_case_section),
    "cases:not_shared": Object(_case),
    "cases:identity": Object(_case),
    "cases:edit": Object(_case),
    "cases:defender_edit": Object(_case),
    "cases:close": Object(_case),
    "cases:consents": Object(_case),
    "cases:consent_revoke": Object(_case_consent),
    "cases:shares": Object(_case),
    "cases:share_revoke": Object(_case_share),
    "cases:coordinate": Object(_case),
    "cases:coordination_answer": Object(_coordination),
    "cases:share_answer": Object(_share_to_owner),
    "api:case-list": OWN,
    "api:case-detail": Object(_case, api=True),
    "api:case-identity": Object(_case, api=True),
    "api:case-close": Object(_case, api=True),
    "api:case-consents": Object(_case, api=True),
    "api:case-consent-revoke": Object(_case_consent, api=True),
    "api:case-shares": Object(_case, api=True),
    "api:case-share-revoke": Object(_case_share, api=True),
    "api:case-coordinate": Object(_case, api=True),
    # cases: break-glass and retention
    "cases:break_glass": Object(_case),
    "cases:break_glass_end": Object(_case_break_glass),
    "cases:retention": OWN,
    "api:case-break-glass": Object(_case, api=True),
    # cases: risk assessments
    "cases:risk_list": Object(_case_assessed),
    "cases:risk_create": Object(_case_assessed),
    "cases:risk_override": Object(_case_assessed),
    "cases:risk_detail": Object(_case_assessment),
    "api:case-risk-assessments": Object(_case_assessed, api=True),
    "api:case-risk-assessment": Object(_case_assessment, api=True),
    "api:case-risk-override": Object(_case_assessed, api=True),
    # cases: incidents, detention and benchmark plans
    "cases:incident_create": Object(_case),
    "cases:incident_detail": Object(_case_incident),
    "cases:detention": Object(_case_detention),
    "cases:hearing_add": Object(_case_detention),
    "cases:milestone_done": Object(_case_milestone),
    "cases:benchmark_rules": OWN,
    "cases:benchmark_rule_edit": Object(_benchmark_rule),
    "api:case-incident-list": Object(_api_case, api=True),
    "api:case-incident-detail": Object(_api_incident, api=True),
    "api:case-incident-detention": Object(_api_incident, api=True),
    "api:case-incident-hearings": Object(_api_incident, api=True),
    "api:case-milestone-list": Object(_api_case, api=True),
    "api:case-milestone-detail": Object(_api_milestone, api=True),
    "api:case-milestone-done": Object(_api_milestone, api=True),
    # cases: tasks (a task of the organisation on one of its cases)
    "cases:tasks": OWN,
    "cases:task_create": OWN,
    "cases:case_task_create": Object(_case),
    "cases:task_detail": Object(_task),
    "cases:task_step": Object(_task_step),
    "api:task-list": OWN,
    "api:task-detail": Object(_api_task, api=True),
    "api:task-done": Object(_api_task, api=True),
    "api:task-cancel": Object(_api_task, api=True),
    "api:task-reopen": Object(_api_task, api=True),
    "api:task-snooze": Object(_api_task, api=True),
    # dashboards: a network's figures are its member coordinators' only
    "dashboards:organisation": OWN,
    "dashboards:organisation_export": OWN,
    "dashboards:networks": OWN,
    "dashboards:network": Object(_network),
    "dashboards:network_export": Object(_network_chart),
    "dashboards:network_export_all": Object(_network),
}

# Each feature app classifies its own routes in tests/isolation/routes_<app>.py.
for _app_routes in (
    _alerts_routes,
    _court_routes,
    _logbooks_routes,
    _relocation_routes,
    _work_routes,
):
    assert not set(_app_routes) & set(ROUTES), "a route is classified twice"
    ROUTES.update(_app_routes)

# URL-name prefixes that are wholly classified (Django admin: staff only).
PREFIXES = {"admin:": STAFF}

# Support requests (support/), classified in routes_support.py; imported here, at the end,
# so the list of feature modules above stays as it is.
from tests.isolation.routes_support import ROUTES as _support_routes  # noqa: E402

assert not set(_support_routes) & set(ROUTES), "a route is classified twice"
ROUTES.update(_support_routes)
