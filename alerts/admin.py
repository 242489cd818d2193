"""Platform staff: the alert pipeline's health (no case content: counts, ages, errors)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Min, Q, Value
from django.template.response import TemplateResponse
from django.utils import timezone

from alerts.channels import get_channel, registered_channels
from alerts.channels.email import EMAIL
from alerts.models import ChannelDelivery, Notification, PipelineState
from alerts.services.dispatch import due


def pipeline_health() -> dict:
    # unscoped: platform-wide counts for staff, no tenant content is shown.
    notifications = Notification.objects.unscoped()
    by_status = dict(
        notifications.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    oldest = notifications.filter(status=Notification.Status.PENDING).aggregate(
        oldest=Min("created_at")
    )["oldest"]
    now = timezone.now()
    state = PipelineState.objects.filter(pk=1).first()
    failed = list(
        notifications.filter(status=Notification.Status.FAILED)
        .order_by("-created_at")
        .values("id", "kind", "attempts", "last_error", "created_at")[:20]
    )
    stuck = notifications.filter(status=Notification.Status.SENDING).aggregate(
        oldest=Min("claimed_at")
    )["oldest"]
    return {
        "channels": channel_health(now),
        "pending": by_status.get(Notification.Status.PENDING, 0),
        "sending": by_status.get(Notification.Status.SENDING, 0),
        "sent": by_status.get(Notification.Status.SENT, 0),
        "failed": by_status.get(Notification.Status.FAILED, 0),
        "oldest_pending_age": (now - oldest) if oldest else None,
        "oldest_sending_age": (now - stuck) if stuck else None,
        "state": state,
        "last_sweep_age": (now - state.last_sweep_at) if state and state.last_sweep_at else None,
        "failed_rows": failed,
    }


def channel_health(now) -> list[dict]:
    """Per channel: pending (and how many of them wait for quiet hours), being sent, sent,
    failed, the age of the oldest pending one that is due. E-mail is the notifications' own
    status (a ``skipped`` row was not e-mailed); the other channels are their deliveries.
    Two grouped queries, whatever the number of channels."""
    rows: dict[str, dict] = {}
    # unscoped: platform-wide counts for staff, no tenant content is shown.
    email = (
        Notification.objects.unscoped()
        .exclude(status=Notification.Status.SKIPPED)
        .annotate(channel=Value(EMAIL))
    )
    others = ChannelDelivery.objects.unscoped().exclude(status=ChannelDelivery.Status.SKIPPED)
    for queryset in (email, others):
        grouped = queryset.values("channel", "status").annotate(
            n=Count("pk"),
            # quiet hours' rows wait on purpose: the oldest *due* one tells of trouble
            oldest=Min("created_at", filter=due(now)),
            waiting=Count("pk", filter=Q(deliver_after__gt=now)),
        )
        for row in grouped.order_by():
            entry = rows.setdefault(row["channel"], _empty(row["channel"]))
            entry[row["status"]] = row["n"]
            if row["status"] == "pending" and row["oldest"] is not None:
                entry["oldest_pending_age"] = now - row["oldest"]
            if row["status"] == "pending":
                entry["waiting"] = row["waiting"]
    for name in registered_channels():
        rows.setdefault(name, _empty(name))
    return sorted(rows.values(), key=lambda row: (row["name"] != EMAIL, row["name"]))


def _empty(name: str) -> dict:
    channel = get_channel(name)
    return {
        "name": name,
        "label": channel.label if channel else name,
        "enabled": channel.enabled() if channel else False,
        "pending": 0,
        "waiting": 0,
        "sending": 0,
        "sent": 0,
        "failed": 0,
        "oldest_pending_age": None,
    }


@admin.register(PipelineState)
class PipelineHealthAdmin(admin.ModelAdmin):
    """One page: pending, sending, failed, oldest pending age, last sweep."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        context = {
            **self.admin_site.each_context(request),
            "title": "Alert pipeline health",
            "opts": self.model._meta,
            "health": pipeline_health(),
        }
        return TemplateResponse(request, "admin/alerts/pipeline_health.html", context)
