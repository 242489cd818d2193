"""Platform staff see which calendar feeds exist (whose, made, used, revoked): never a
token, which is not stored, nor its hash. Read-only: a user replaces or revokes their own
feed from the calendar page."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from work.models import CalendarFeed


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    list_select_related = ("user", "organisation")
    search_fields = ("user__email",)
    fields = ("user", "organisation", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[CalendarFeed]:
        # unscoped: platform staff list every organisation's feeds (no token, no case data).
        return CalendarFeed.objects.unscoped().all()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CalendarFeed | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: CalendarFeed | None = None) -> bool:
        return False
