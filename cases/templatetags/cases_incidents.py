"""The incidents panel of the case page (``{% incidents_panel %}``), so the case view need
not know about incidents: the panel reads ``case`` and ``access`` from the page's context."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils import timezone

from cases.selectors_detention import case_detentions_seen, case_incidents_seen, sees_incidents

register = template.Library()


@register.inclusion_tag("cases/incidents/_panel_body.html", takes_context=True)
def incidents_panel(context: template.Context) -> dict[str, Any]:
    case = context.get("case")
    access = context.get("access")
    if case is None or access is None or case.purged_at or not sees_incidents(access):
        return {"show": False}
    today = timezone.localdate()
    detentions = case_detentions_seen(case, access)
    open_steps = [
        milestone
        for detention in detentions
        for milestone in detention.milestones.all()
        if milestone.is_open and milestone.due_on <= today + datetime.timedelta(days=7)
    ]
    return {
        "show": True,
        "case": case,
        "access": access,
        "incidents": case_incidents_seen(case, access)[:50],
        "detentions": detentions,
        "open_steps": sorted(open_steps, key=lambda m: m.due_on),
        "today": today,
    }
