"""Platform staff manage organisations and networks here; organisations manage their own
users in the web UI (accounts:users) and the API."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import services
from accounts.models import Invitation, Organisation, ProtectionNetwork, User
from accounts.timezones import time_zone_choices


def _time_zone_saved(request, obj, form, change) -> None:
    # Compared with the value shown: a callable default makes ``changed_data`` report the
    # field changed whenever its hidden initial copy is not posted back.
    previous = form.initial.get("time_zone") or ""
    if change and previous != obj.time_zone:
        services.time_zone_staff_saved(target=obj, previous=previous, acting_user=request.user)


def _time_zone_select(*, blank: bool) -> forms.Select:
    """The tz database's names in a select (the model field takes any text)."""
    empty = [("", _("The organisation's"))] if blank else []
    return forms.Select(choices=[*empty, *time_zone_choices()])


def _each(organisations, service, request) -> int:
    """Apply an organisation service to each of the selected organisations, as the acting
    staff member; how many were changed."""
    done = 0
    for organisation in organisations:
        service(organisation=organisation, acting_user=request.user)
        done += 1
    return done


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "kind",
        "country",
        "represented_state",
        "time_zone",
        "is_active",
    ]
    list_filter = ["kind", "is_active", "country"]
    search_fields = ["name", "code"]

    actions = ["deactivate_organisations", "reactivate_organisations"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "time_zone":
            kwargs["widget"] = _time_zone_select(blank=False)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        _time_zone_saved(request, obj, form, change)
        if change:
            # Turning "active" off or on goes through the services: deactivating ends the
            # members' sessions, tokens and invitations and tells the other apps.
            was_active = (
                Organisation.objects.filter(pk=obj.pk).values_list("is_active", flat=True).get()
            )
            wanted = obj.is_active
            obj.is_active = was_active
            super().save_model(request, obj, form, change)
            if was_active and not wanted:
                services.organisation_deactivate(organisation=obj, acting_user=request.user)
            elif wanted and not was_active:
                services.organisation_reactivate(organisation=obj, acting_user=request.user)
            return
        # New tenants come with their group: go through the service.
        created = services.organisation_create(
            name=obj.name,
            code=obj.code,
            kind=obj.kind,
            country=obj.country.code,
            represented_state=obj.represented_state.code if obj.represented_state else "",
            time_zone=obj.time_zone,
            acting_user=request.user,
        )
        obj.pk = created.pk
        obj.group = created.group

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deactivate instead: rows of every kind point at the organisation

    @admin.action(
        description=_("Deactivate: members signed out and refused, links and tokens revoked"),
        permissions=["change"],
    )
    def deactivate_organisations(self, request, queryset) -> None:
        done = _each(queryset.filter(is_active=True), services.organisation_deactivate, request)
        message = ngettext(
            "%(count)d organisation deactivated.", "%(count)d organisations deactivated.", done
        )
        self.message_user(request, message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Reactivate"), permissions=["change"])
    def reactivate_organisations(self, request, queryset) -> None:
        done = _each(queryset.filter(is_active=False), services.organisation_reactivate, request)
        message = ngettext(
            "%(count)d organisation reactivated.", "%(count)d organisations reactivated.", done
        )
        self.message_user(request, message % {"count": done}, messages.SUCCESS)


@admin.register(ProtectionNetwork)
class ProtectionNetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "country"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "full_name",
        "organisation",
        "role",
        "time_zone",
        "is_active",
        "is_staff",
    ]
    list_filter = ["role", "is_active", "is_staff", "organisation__kind"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "language", "time_zone"]}),
        (_("Membership"), {"fields": ["organisation", "role"]}),
        (_("Platform"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["date_joined", "last_login"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
        (_("Membership"), {"fields": ["organisation", "role"]}),
    ]
    filter_horizontal: list[str] = []

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "time_zone":
            kwargs["widget"] = _time_zone_select(blank=True)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        _time_zone_saved(request, obj, form, change)
        before = (
            User.objects.filter(pk=obj.pk).values("organisation_id", "role", "is_active").first()
            or {}
        )
        super().save_model(request, obj, form, change)
        services.user_staff_saved(
            user=obj,
            previous_organisation_id=before.get("organisation_id"),
            previous_role=before.get("role"),
            previous_is_active=before.get("is_active"),
            acting_user=request.user,
        )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "invited_by", "created_at", "expires_at", "accepted_at"]
    readonly_fields = [
        "user",
        "token_hash",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False
