"""Serializers of the break-glass endpoint."""

from __future__ import annotations

from rest_framework import serializers

from cases.models import BreakGlassAccess
from cases.models.break_glass import REASON_MAX_LENGTH


class BreakGlassOpenSerializer(serializers.Serializer):
    # Blank and short reasons are refused by the service, with its message.
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, allow_blank=True)


class BreakGlassSerializer(serializers.ModelSerializer):
    opener_organisation = serializers.CharField(source="opener_organisation.name", read_only=True)
    opened_by = serializers.CharField(source="opened_by.email", read_only=True)

    class Meta:
        model = BreakGlassAccess
        fields = ["id", "case", "opener_organisation", "opened_by", "opened_at", "expires_at"]
        read_only_fields = fields
