from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import AccountStatus, Organisation, Role, User
from accounts.timezones import time_zone_choices
from hrdcase.text import validate_single_line


class OrganisationSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", read_only=True)
    represented_state = serializers.CharField(source="represented_state.code", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "code", "kind", "country", "represented_state", "time_zone"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    organisation = OrganisationSerializer(read_only=True)
    two_factor_verified = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "role",
            "language",
            "time_zone",
            "organisation",
            "two_factor_verified",
        ]
        read_only_fields = fields

    def get_two_factor_verified(self, user: User) -> bool:
        is_verified = getattr(user, "is_verified", None)
        return bool(is_verified and is_verified())


class MemberSerializer(serializers.ModelSerializer):
    invitation_pending = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "role",
            "is_active",
            "date_joined",
            "invitation_pending",
        ]
        read_only_fields = ["id", "email", "full_name", "is_active", "date_joined"]

    def get_invitation_pending(self, user: User) -> bool:
        return user.account_status == AccountStatus.INVITED


class InviteSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    full_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, validators=[validate_single_line]
    )
    role = serializers.ChoiceField(choices=Role.choices)


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(
        choices=Role.choices, error_messages={"invalid_choice": _("Unknown role.")}
    )


class MeUpdateSerializer(serializers.Serializer):
    time_zone = serializers.ChoiceField(
        choices=time_zone_choices(),
        allow_blank=True,
        help_text=_("An IANA time zone name, e.g. America/Bogota; empty: the organisation's."),
        error_messages={"invalid_choice": _("“{input}” is not a time zone.")},
    )
