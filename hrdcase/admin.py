from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from hrdcase.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only, even for platform staff."""

    list_display = (
        "id",
        "at",
        "action",
        "actor_label",
        "organisation",
        "target_type",
        "target_id",
        "ip",
    )
    list_filter = ("action",)
    search_fields = ("action", "actor_label", "target_id")
    date_hierarchy = "at"
    list_select_related = ("organisation",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
