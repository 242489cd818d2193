"""Who an alert notifies: the first recipients, and each escalation step's.

An alert is about a defender's safety, so it goes to the people who can act on the whole
file: the owner organisation's officers and administrators (and the case's lead officer),
and the officers and administrators of partners holding a ``full`` share. ``feedback`` and
``relocation`` partners are never told.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from accounts.models import ProtectionNetwork, Role, User
from alerts.models import FULL_LEVEL_PERMISSION, EscalationStep

if TYPE_CHECKING:
    from alerts.models import Alert
    from cases.models import Case

WRITER_ROLES = (Role.ADMIN, Role.OFFICER)


def full_partner_group_ids(case: Case) -> QuerySet:
    from cases.access import partner_group_ids

    return partner_group_ids(case, FULL_LEVEL_PERMISSION)


def full_access_organisation_ids(case: Case) -> set:
    """The owner organisation and every partner with a ``full`` share: who may open alerts."""
    from accounts.models import Organisation

    partners = Organisation.objects.filter(group_id__in=full_partner_group_ids(case))
    return {case.organisation_id, *partners.values_list("pk", flat=True)}


def first_recipients(case: Case, organisations: Iterable | None = None) -> list[User]:
    """Lead officer + owner's writers + ``full`` partners' writers (one query).
    ``organisations``: ``full_access_organisation_ids(case)``, when the caller has it."""
    if organisations is None:
        writers_of = Q(organisation_id=case.organisation_id) | Q(
            organisation__group_id__in=full_partner_group_ids(case)
        )
    else:
        writers_of = Q(organisation_id__in=list(organisations))
    # the lead officer only while a member of the owner (a lead moved to another
    # organisation is told nothing more of the case, nor is the new one's webhook)
    lead = Q(pk=case.lead_officer_id, organisation_id=case.organisation_id)
    users = User.objects.filter(is_active=True).filter(lead | Q(role__in=WRITER_ROLES) & writers_of)
    return list(users.select_related("organisation").order_by("email"))


def step_recipients(alert: Alert, step: EscalationStep) -> list[User]:
    users = User.objects.filter(is_active=True, organisation__is_active=True)
    if step.target == EscalationStep.Target.ROLE:
        users = users.filter(organisation_id=alert.organisation_id, role=step.role)
    else:
        # the alert's organisation's networks: a step naming one it has left fires for nobody
        networks = ProtectionNetwork.objects.filter(members=alert.organisation_id)
        if step.network_id:
            networks = networks.filter(pk=step.network_id)
        users = users.filter(role=Role.COORDINATOR, organisation__networks__in=networks).distinct()
    return list(users.select_related("organisation").order_by("email"))
