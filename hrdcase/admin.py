from django.contrib import admin

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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
