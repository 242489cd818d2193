"""Reads of a case's incidents.

Pages and the API reach these through a case the user may open (``get_case_for``), so the
case's visibility rule is the only rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from cases.models import Case, Incident

if TYPE_CHECKING:
    from cases.access import CaseAccess

#: the key of the case page's read of incidents (``CaseAccess.remember``, cases.registries.parts).
INCIDENTS = "cases.incidents"


def sees_incidents(access: CaseAccess) -> bool:
    """Incidents and detention are part of the full file: owners and ``full`` partners."""
    return access.is_owner or access.has("view_case_identity")


def incidents_of(case: Case) -> QuerySet[Incident]:
    return case.incidents.select_related("recorded_by", "detention")


def incident_of(case: Case, incident_id: object) -> Incident:
    """One incident of ``case`` (already opened through ``get_case_for``), or 404."""
    try:
        return case.incidents.select_related("recorded_by").get(pk=incident_id)
    except (Incident.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None


def case_incidents_seen(case: Case, access: CaseAccess) -> list[Incident]:
    """The case's incidents for the case page, read once per request (the incidents panel
    and the timeline share them through ``access.remember``)."""
    return access.remember(INCIDENTS, lambda: list(incidents_of(case)))
