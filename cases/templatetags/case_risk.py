"""``{% risk_panel case access %}``: the risk panel of the case page (level, latest
assessment, trend), rendered only for viewers who may see the risk."""

from __future__ import annotations

from django import template
from django.utils import timezone

from cases.access import case_access
from cases.risk_chart import trend_chart
from cases.selectors_risk import case_risk_trend

register = template.Library()

# The panel shows the recent trend; the risk page shows every version.
PANEL_VERSIONS = 12


@register.inclusion_tag("cases/risk/_panel_body.html", takes_context=True)
def risk_panel(context, case, access=None) -> dict:
    if access is None:
        access = case_access(context["request"].user, case)
    if not access.sees_risk:
        return {"show": False}
    points = case_risk_trend(case, access)[-PANEL_VERSIONS:]
    latest = points[-1] if points else None
    return {
        "show": True,
        "case": case,
        "latest": latest,
        "review_due": bool(latest and latest.next_review_date <= timezone.localdate()),
        "chart": trend_chart(points),
        "can_edit": access.can_edit and not case.purged_at,
        "request": context.get("request"),
    }
