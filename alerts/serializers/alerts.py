"""API representations of alerts."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alerts.models import Alert
from alerts.services.alerts import MANUAL_KINDS, MESSAGE_MAX


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "name": {"type": "string"},
        },
        "required": ["id", "name"],
    }
)
class _UserLabel(serializers.Field):
    """``{"id", "name"}`` of a user (no e-mail address)."""

    def to_representation(self, value):
        return {"id": str(value.pk), "name": value.full_name or value.email}


class AlertSerializer(serializers.ModelSerializer):
    case = serializers.UUIDField(source="case_id", read_only=True)
    pseudonym = serializers.CharField(source="case.pseudonym", read_only=True)
    # None for an automatic alert, and until it is acknowledged or resolved.
    raised_by = _UserLabel(read_only=True, allow_null=True)
    acknowledged_by = _UserLabel(read_only=True, allow_null=True)
    resolved_by = _UserLabel(read_only=True, allow_null=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "case",
            "pseudonym",
            "kind",
            "severity",
            "source",
            "status",
            "created_at",
            "raised_by",
            "acknowledged_at",
            "acknowledged_by",
            "seconds_to_acknowledge",
            "resolved_at",
            "resolved_by",
            "escalation_step",
            "next_escalation_at",
        ]
        read_only_fields = fields


class AlertDetailSerializer(AlertSerializer):
    message = serializers.CharField(read_only=True)
    resolution_note = serializers.CharField(read_only=True)

    class Meta(AlertSerializer.Meta):
        fields = [*AlertSerializer.Meta.fields, "message", "resolution_note"]
        read_only_fields = fields


class AlertCreateSerializer(serializers.Serializer):
    case = serializers.UUIDField(help_text="The case's id (owner or full-access partner).")
    # All kinds in the schema (one enum); the service refuses the automatic-only ones.
    kind = serializers.ChoiceField(
        choices=Alert.Kind.choices, help_text=f"One of: {', '.join(MANUAL_KINDS)}."
    )
    severity = serializers.ChoiceField(choices=Alert.Severity.choices, default=Alert.Severity.HIGH)
    message = serializers.CharField(max_length=MESSAGE_MAX, allow_blank=True, trim_whitespace=True)


class AlertResolveSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=MESSAGE_MAX, allow_blank=True)
