"""Isolation classification of alerts's routes (merged into registry.ROUTES)."""

from __future__ import annotations

from typing import Any

from tests.isolation.registry_kinds import OWN, Object


def _case(world):
    from tests.factories import CaseFactory

    return CaseFactory(organisation=world.owner_org)


def _alert(world):
    from alerts.services.alerts import alert_raise

    return alert_raise(
        case=_case(world),
        kind="detained",
        severity="high",
        message="Taken by police at the checkpoint.",
        acting_user=world.owner_colleague,
    )


def _alert_kwargs(world) -> dict[str, Any]:
    return {"pk": _alert(world).pk}


def _case_kwargs(world) -> dict[str, Any]:
    return {"pk": _case(world).pk}


def _notification(world) -> dict[str, Any]:
    """A notification of the owner's colleague (raised by another officer of the owner)."""
    from accounts.models import Role
    from alerts.services.alerts import alert_raise
    from tests.factories import UserFactory

    case = _case(world)
    case.lead_officer = world.owner_colleague
    case.save(update_fields=["lead_officer"])
    alert = alert_raise(
        case=case,
        kind="missing",
        severity="critical",
        message="No news since yesterday.",
        acting_user=UserFactory(organisation=world.owner_org, role=Role.OFFICER),
    )
    return {"pk": alert.notifications.get(recipient=world.owner_colleague).pk}


def _link(world) -> dict[str, Any]:
    """A notification's signed acknowledge link, sent to the owner's colleague: another
    organisation's user who holds it gets 404, whoever they are."""
    from alerts.models import Notification
    from alerts.services.links import action_link_token

    pk = _notification(world)["pk"]
    notification = Notification.objects.unscoped().get(pk=pk)
    return {"token": action_link_token(notification=notification, action="acknowledge")}


def _partner_alert(world) -> dict[str, Any]:
    """An alert the owner organisation raised as a feedback partner on a third one's case."""
    from alerts.services.alerts import alert_raise
    from tests.factories import CaseFactory, OrganisationFactory, share_case

    case = CaseFactory(organisation=OrganisationFactory())
    share_case(case, world.owner_org, "feedback")
    alert = alert_raise(
        case=case,
        kind="raid",
        severity="high",
        message="Police at the office.",
        acting_user=world.owner_colleague,
    )
    return {"pk": alert.pk}


def _step(world) -> dict[str, Any]:
    from alerts.services.policy import policy_for

    return {"step_pk": policy_for(world.owner_org).steps.first().pk}


def _api_step(world) -> dict[str, Any]:
    return {"pk": _step(world)["step_pk"]}


ROUTES: dict[str, Any] = {
    "alerts:list": OWN,
    "alerts:acknowledge_many": OWN,
    "alerts:act": Object(_link),
    "alerts:detail": Object(_alert_kwargs),
    "alerts:acknowledge": Object(_alert_kwargs),
    "alerts:resolve": Object(_alert_kwargs),
    "alerts:raise": Object(_case_kwargs),
    "alerts:check_ins": Object(_case_kwargs),
    "alerts:check_in_schedule": Object(_case_kwargs),
    "alerts:check_in_schedule_stop": Object(_case_kwargs),
    "alerts:notifications": OWN,
    "alerts:notifications_read_all": OWN,
    "alerts:unread_count": OWN,
    "alerts:notification_read": Object(_notification),
    "alerts:preferences": OWN,
    "alerts:signal_number": OWN,  # the user's own number
    "alerts:webhook": OWN,  # the user's own organisation's (its administrators)
    "alerts:policy": OWN,
    "alerts:policy_reset": OWN,
    "alerts:policy_step_remove": Object(_step),
    "api:alert-list": OWN,
    "api:alert-detail": Object(_alert_kwargs, api=True),
    "api:alert-acknowledge": Object(_alert_kwargs, api=True),
    "api:alert-resolve": Object(_alert_kwargs, api=True),
    "api:alert-acknowledge-many": OWN,
    "api:partner-alert-list": OWN,
    "api:partner-alert-detail": Object(_partner_alert, api=True),
    "api:notification-list": OWN,
    "api:notification-read": Object(_notification, api=True),
    "api:notification-read-all": OWN,
    "api:alert-escalation-step-list": OWN,
    "api:alert-escalation-step-detail": Object(_api_step, api=True),
    "api:alert-escalation-step-reset": OWN,
}
