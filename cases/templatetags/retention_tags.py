"""``{% retention_notice %}``: on a closed case, tell its owner when it will be purged."""

from __future__ import annotations

from django import template

from cases.services.retention import purge_date_of

register = template.Library()


@register.inclusion_tag("cases/retention/_panel_body.html", takes_context=True)
def retention_notice(context) -> dict:
    case = context.get("case")
    access = context.get("access")
    request = context.get("request")
    user = getattr(request, "user", None)
    if case is None or access is None or not access.is_owner:
        return {}
    return {"purge_on": purge_date_of(case), "is_admin": getattr(user, "is_org_admin", False)}
