"""API representations of the escalation policy's steps."""

from __future__ import annotations

from rest_framework import serializers

from alerts.models import EscalationStep


class EscalationStepSerializer(serializers.ModelSerializer):
    after_minutes = serializers.FloatField(read_only=True)
    description = serializers.CharField(source="describe", read_only=True)

    class Meta:
        model = EscalationStep
        fields = ["id", "after_minutes", "target", "role", "network", "description"]
        read_only_fields = fields


class EscalationStepCreateSerializer(serializers.Serializer):
    after_minutes = serializers.IntegerField(help_text="Minutes unacknowledged, > 0.")
    target = serializers.ChoiceField(choices=EscalationStep.Target.choices)
    role = serializers.CharField(required=False, allow_blank=True, default="")
    network = serializers.UUIDField(required=False, allow_null=True, default=None)
