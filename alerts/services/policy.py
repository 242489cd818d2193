"""Escalation policies: an organisation's ordered steps, edited by its administrators.

Every organisation has one, created with the default steps on first use: after 15 minutes
unacknowledged, the organisation's administrators; after 60 minutes, the coordinators of the
protection networks the organisation belongs to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import ProtectionNetwork, Role
from alerts.models import EscalationPolicy, EscalationStep
from hrdcase.audit import audit_record

if TYPE_CHECKING:
    from accounts.models import Organisation, User

DEFAULT_STEPS: tuple[tuple[int, str, str], ...] = (
    (15, EscalationStep.Target.ROLE, Role.ADMIN),
    (60, EscalationStep.Target.NETWORK_COORDINATORS, ""),
)
MAX_STEPS = 10
MAX_MINUTES = 7 * 24 * 60


def _create_default_steps(policy: EscalationPolicy) -> None:
    EscalationStep.objects.bulk_create(
        EscalationStep(
            organisation_id=policy.organisation_id,
            policy=policy,
            after_seconds=minutes * 60,
            target=target,
            role=role,
        )
        for minutes, target, role in DEFAULT_STEPS
    )


def policy_for(organisation: Organisation) -> EscalationPolicy:
    """The organisation's policy, created with the default steps on first use."""
    policy = EscalationPolicy.objects.owned_by(organisation).first()
    if policy is not None:
        return policy
    try:
        with transaction.atomic():
            policy = EscalationPolicy.objects.create(organisation=organisation)
            _create_default_steps(policy)
    except IntegrityError:  # created meanwhile by a concurrent first use
        policy = EscalationPolicy.objects.owned_by(organisation).get()
    return policy


def policy_steps(policy: EscalationPolicy) -> list[EscalationStep]:
    return list(policy.steps.select_related("network").order_by("after_seconds"))


def escalation_steps(organisation: Organisation) -> list[EscalationStep]:
    """The organisation's steps in order, as ``policy_steps(policy_for(organisation))``, in
    one query once its policy has a step (a step belongs to its policy's organisation): every
    alert raised, escalated or re-notified reads them."""
    steps = list(
        EscalationStep.objects.owned_by(organisation)
        .select_related("network")
        .order_by("after_seconds")
    )
    return steps or policy_steps(policy_for(organisation))


def _require_admin(*, organisation: Organisation, acting_user: User) -> None:
    if not acting_user.is_org_admin or acting_user.organisation_id != organisation.pk:
        raise PermissionDenied


@transaction.atomic
def escalation_step_add(
    *,
    organisation: Organisation,
    after_minutes: int,
    target: str,
    acting_user: User,
    role: str = "",
    network: ProtectionNetwork | None = None,
) -> EscalationStep:
    """Add a step; the steps run in order of delay, so each delay must be new."""
    _require_admin(organisation=organisation, acting_user=acting_user)
    policy = policy_for(organisation)
    steps = policy_steps(policy)
    errors: dict[str, str] = {}
    if not isinstance(after_minutes, int) or isinstance(after_minutes, bool):
        errors["after_minutes"] = _("Enter a whole number of minutes.")
    elif after_minutes <= 0:
        errors["after_minutes"] = _("The delay must be at least one minute.")
    elif after_minutes > MAX_MINUTES:
        errors["after_minutes"] = _("The delay cannot exceed a week (%(max)s minutes).") % {
            "max": MAX_MINUTES
        }
    elif any(step.after_seconds == after_minutes * 60 for step in steps):
        errors["after_minutes"] = _(
            "A step already fires after %(minutes)s minutes: each step needs a later delay "
            "than the one before."
        ) % {"minutes": after_minutes}
    if len(steps) >= MAX_STEPS:
        errors["__all__"] = _("A policy has at most %(max)s steps.") % {"max": MAX_STEPS}
    if target == EscalationStep.Target.ROLE:
        if role not in Role.values:
            errors["role"] = _("Choose the role to notify.")
        network = None
    elif target == EscalationStep.Target.NETWORK_COORDINATORS:
        role = ""
        if network is not None and not network.members.filter(pk=organisation.pk).exists():
            errors["network"] = _("Choose a protection network your organisation belongs to.")
    else:
        errors["target"] = _("Choose whom the step notifies.")
    if errors:
        raise ValidationError(errors)
    step = EscalationStep.objects.create(
        organisation=organisation,
        policy=policy,
        after_seconds=after_minutes * 60,
        target=target,
        role=role,
        network=network,
    )
    audit_record(
        action="alerts.policy.step_add",
        actor=acting_user,
        target=policy,
        data={
            "step": str(step.pk),
            "after_minutes": after_minutes,
            "target": target,
            "role": role,
            "network": str(network.pk) if network else "",
        },
    )
    return step


@transaction.atomic
def escalation_step_remove(*, step: EscalationStep, acting_user: User) -> None:
    _require_admin(organisation=step.organisation, acting_user=acting_user)
    audit_record(
        action="alerts.policy.step_remove",
        actor=acting_user,
        target=step.policy,
        data={"step": str(step.pk), "after_seconds": step.after_seconds, "target": step.target},
    )
    step.delete()


@transaction.atomic
def escalation_policy_reset(*, organisation: Organisation, acting_user: User) -> EscalationPolicy:
    """Back to the default steps."""
    _require_admin(organisation=organisation, acting_user=acting_user)
    policy = policy_for(organisation)
    policy.steps.all().delete()
    _create_default_steps(policy)
    policy.save(update_fields=["updated_at"])
    audit_record(action="alerts.policy.reset", actor=acting_user, target=policy)
    return policy
