"""API representation of a notification."""

from __future__ import annotations

from rest_framework import serializers

from alerts.kinds import Category
from alerts.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    category = serializers.ChoiceField(
        choices=Category.choices,
        read_only=True,
        allow_null=True,
        help_text="The inbox category of the kind (null: a kind without one).",
    )

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "category",
            "subject",
            "url",
            "case",
            "alert",
            "created_at",
            "read_at",
        ]
        read_only_fields = fields
