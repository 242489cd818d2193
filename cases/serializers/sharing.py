"""API shapes of shares and coordination requests. Serializers validate; the services write."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import Organisation
from cases.models import CaseShare
from hrdcase.dates import ApiDateTimeField


class ShareSerializer(serializers.ModelSerializer):
    partner = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True)
    )
    expires_at = ApiDateTimeField(required=False, allow_null=True)

    class Meta:
        model = CaseShare
        fields = [
            "id",
            "partner",
            "level",
            "reason",
            "expires_at",
            "status",
            "created_at",
            "ended_at",
        ]
        read_only_fields = ["id", "status", "created_at", "ended_at"]


class CoordinationSerializer(serializers.Serializer):
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
