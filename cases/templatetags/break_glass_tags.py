"""``{% break_glass_panel %}``: the break-glass panel of the case page, from its context
(``case``, ``access``, ``request``)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from cases.services.break_glass import (
    break_glass_active,
    break_glass_openings,
    break_glass_refusal,
)

register = template.Library()


@register.inclusion_tag("cases/break_glass/_panel_body.html", takes_context=True)
def break_glass_panel(context) -> dict:
    case = context.get("case")
    access = context.get("access")
    request = context.get("request")
    user = getattr(request, "user", None)
    data = {"case": case, "csrf_token": context.get("csrf_token")}
    if case is None or access is None or user is None or case.purged_at is not None:
        return data
    if access.is_owner:
        now = timezone.now()
        data["openings"] = [o for o in break_glass_openings(case, access) if o.is_active_at(now)]
        data["can_end"] = user.can_write
        return data
    active = break_glass_active(user, case)
    data["active"] = active
    data["can_end"] = user.is_org_admin
    data["eligible"] = active is None and break_glass_refusal(user, case) is None
    return data
