"""Platform staff see the lookup tables; case content stays out of the Django admin (it is
encrypted, tenant-owned and audited through the application's own pages)."""

from django.contrib import admin

from cases.models import AreaOfWork, ThreatType


@admin.register(AreaOfWork)
class AreaOfWorkAdmin(admin.ModelAdmin):
    list_display = ["label", "code"]
    search_fields = ["label", "code"]


@admin.register(ThreatType)
class ThreatTypeAdmin(admin.ModelAdmin):
    list_display = ["label", "code"]
    search_fields = ["label", "code"]
