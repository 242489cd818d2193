"""Platform staff: the alert pipeline's health (no case content: counts, ages, errors)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Min
from django.template.response import TemplateResponse
from django.utils import timezone

from alerts.models import Notification, PipelineState


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
