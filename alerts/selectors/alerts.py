"""Reads of alerts: the ones a user may see, one alert with the access to its case, its
notification history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Case as When_
from django.db.models import IntegerField, Q, QuerySet, Value, When

from alerts.models import UNRESOLVED, Alert, AlertEvent, Notification
from hrdcase.tenancy import get_object_for

if TYPE_CHECKING:
    from accounts.models import User
    from cases.access import CaseAccess


#: the status filters of the alert lists (page and API): "open" is raised or acknowledged.
STATUS_FILTERS = ("open", "all", *Alert.Status.values)


def alerts_for(user: User, *, status: str = "") -> QuerySet[Alert]:
    """Alerts the user may see, unacknowledged first, then acknowledged, then resolved."""
    where = None
    if status == "open":
        where = UNRESOLVED
    elif status in Alert.Status.values:
        where = Q(status=status)
    alerts = Alert.objects.visible_to(user, where=where)
    rank = When_(
        When(status=Alert.Status.RAISED, then=Value(0)),
        When(status=Alert.Status.ACKNOWLEDGED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        alerts.select_related("case", "raised_by", "acknowledged_by", "organisation")
        .annotate(rank=rank)
        .order_by("rank", "-created_at")
    )


def get_alert_for(user: User, pk) -> tuple[Alert, CaseAccess]:
    """One alert the user may see, with their access to its case; 404 otherwise."""
    from cases.access import case_access

    alert = get_object_for(
        user,
        Alert.objects.visible_to(user).select_related(
            "case",
            "organisation",
            "raised_by__organisation",
            "caused_by",
            "acknowledged_by",
            "resolved_by",
        ),
        pk,
    )
    return alert, case_access(user, alert.case)


def alert_notifications(alert: Alert) -> QuerySet[Notification]:
    """The notification history of an alert (who was told, when, delivered or not)."""
    return alert.notifications.select_related("recipient", "recipient__organisation").order_by(
        "created_at"
    )


def partner_alerts_for(user: User) -> QuerySet[Alert]:
    """Alerts the user's organisation raised on cases it follows as a partner (issue 21),
    newest first: what it may know of them is the partner's view (no recipients, no owner
    notes, no names of the owner's people)."""
    return (
        Alert.objects.raised_by_partner(user)
        .select_related("case", "acknowledged_by__organisation")
        .order_by("-created_at")
    )


def get_partner_alert_for(user: User, pk) -> Alert:
    """One alert the user's organisation raised as a partner; 404 otherwise."""
    return get_object_for(user, partner_alerts_for(user), pk)


def alert_events(alert: Alert) -> QuerySet[AlertEvent]:
    """The later events of the alert's cause that joined it (``alerts.causes``)."""
    return alert.events.select_related("caused_by").order_by("created_at")
