"""API shapes of consents. Serializers validate; the services write."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import Organisation, ProtectionNetwork
from cases.models import Consent
from cases.models.consent import REVOCATION_NOTE_MAX_LENGTH
from hrdcase.dates import ApiDateField


class ConsentSerializer(serializers.ModelSerializer):
    partner = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True), required=False, allow_null=True
    )
    network = serializers.PrimaryKeyRelatedField(
        queryset=ProtectionNetwork.objects.all(), required=False, allow_null=True
    )
    active = serializers.BooleanField(source="is_active", read_only=True)
    given_on = ApiDateField()

    class Meta:
        model = Consent
        fields = [
            "id",
            "scope",
            "partner",
            "network",
            "channel",
            "given_on",
            "method",
            "note",
            "active",
            "revoked_at",
        ]
        read_only_fields = ["id", "active", "revoked_at"]


class ConsentRevokeSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=REVOCATION_NOTE_MAX_LENGTH,
        help_text="Why it was revoked; at most 2,000 characters.",
    )
