"""API representation of a notification."""

from __future__ import annotations

from rest_framework import serializers

from alerts.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "url", "case", "alert", "created_at", "read_at"]
        read_only_fields = fields
