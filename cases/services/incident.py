"""Recording incidents on a case (the detention details and plan live in ``detention``)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import require_case_write
from cases.models import BenchmarkMilestone, Case, Detention, Hearing, Incident
from cases.services.retention import blank_fields
from hrdcase.audit import audit_record

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def incident_record(
    *,
    case: Case,
    occurred_on: date,
    type: str,  # the field's name, as in the API and the form
    perpetrator: str,
    acting_user: User,
    place: str = "",
    description: str = "",
) -> Incident:
    require_case_write(case=case, acting_user=acting_user)
    errors: dict[str, str] = {}
    if occurred_on is None:
        errors["occurred_on"] = _("Enter the date of the incident.")
    elif occurred_on > timezone.localdate():
        errors["occurred_on"] = _("The incident cannot be dated in the future.")
    if type not in Incident.Type.values:
        errors["type"] = _("Unknown incident type.")
    if perpetrator not in Incident.Perpetrator.values:
        errors["perpetrator"] = _("Unknown perpetrator type.")
    if case.purged_at:
        errors["case"] = _("This case was purged.")
    if errors:
        raise ValidationError(errors)
    incident = Incident(
        organisation_id=case.organisation_id,
        case=case,
        occurred_on=occurred_on,
        type=type,
        perpetrator=perpetrator,
        place=(place or "").strip(),
        description=(description or "").strip(),
        recorded_by=acting_user,
    )
    incident.full_clean(exclude=["case", "recorded_by"])
    incident.save()
    audit_record(
        action="incident.record",
        actor=acting_user,
        target=case,
        data={"incident": str(incident.pk), "type": type},
    )
    return incident


# --- retention: what a purge destroys of incidents and detention -------------------------------


def incidents_purge(case: Case) -> None:
    """Keep kinds, perpetrator types and dates (dashboards count them); destroy places,
    narratives, the lawyer, charges, courts and notes (registered in ``cases/hooks.py``)."""
    for incident in case.incidents.all():
        blank_fields(incident, ("place", "description"))
    # unscoped: the purge job runs for every tenant; narrowed to this case.
    for detention in Detention.objects.unscoped().filter(incident__case=case):
        blank_fields(detention, ("place", "charges", "lawyer"))
    for hearing in Hearing.objects.unscoped().filter(detention__incident__case=case):
        blank_fields(hearing, ("court", "note"))
    for milestone in BenchmarkMilestone.objects.unscoped().filter(detention__incident__case=case):
        blank_fields(milestone, ("note", "evidence_ref"))
