from django.contrib import admin

from support.models import SupportRequest


@admin.register(SupportRequest)
class SupportRequestAdmin(admin.ModelAdmin):
    """Platform staff see who asked whom for what and where it stands, never the texts;
    read only (no add, change nor delete: every step goes through the audited services)."""

    list_display = ("kind", "organisation", "receiver", "urgency", "status", "needed_by")
    list_filter = ("status", "kind", "urgency")
    fields = ("kind", "organisation", "receiver", "urgency", "status", "needed_by", "created_at")
    readonly_fields = fields

    def get_queryset(self, request):
        # unscoped: platform staff's admin list of every organisation's requests (no texts).
        return SupportRequest.objects.unscoped().select_related("organisation", "receiver")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # A request ends through its services (withdrawn, declined, the case closed), which
        # audit it and tell both sides; a delete here would bypass all of that.
        return False
