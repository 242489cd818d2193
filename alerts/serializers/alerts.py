"""API representations of alerts."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alerts.models import Alert
from alerts.services.alerts import BULK_MAX, MANUAL_KINDS, MESSAGE_MAX


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


class AlertBulkAcknowledgeSerializer(serializers.Serializer):
    alerts = serializers.ListField(
        child=serializers.UUIDField(),
        min_length=1,
        max_length=BULK_MAX,
        help_text="The ids of the alerts to acknowledge (at most 100).",
    )


class AlertBulkAcknowledgeResultSerializer(serializers.Serializer):
    acknowledged = serializers.ListField(child=serializers.UUIDField(), read_only=True)
    already = serializers.ListField(
        child=serializers.UUIDField(),
        read_only=True,
        help_text="Already acknowledged or resolved by then.",
    )
    refused = serializers.ListField(
        child=serializers.UUIDField(),
        read_only=True,
        help_text="Not yours to acknowledge: an alert you cannot see, or may not act on.",
    )


class PartnerAlertSerializer(serializers.ModelSerializer):
    """A partner's view of an alert it raised on a case it follows (issue 21): whether,
    when and by which organisation it was acknowledged. Never the recipients, the owner's
    notes or the names of the owner's people."""

    case = serializers.UUIDField(source="case_id", read_only=True)
    pseudonym = serializers.CharField(source="case.pseudonym", read_only=True)
    message = serializers.CharField(read_only=True, help_text="What the partner wrote.")
    acknowledged = serializers.SerializerMethodField()
    acknowledged_by_organisation = serializers.SerializerMethodField()
    resolved = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = [
            "id",
            "case",
            "pseudonym",
            "kind",
            "severity",
            "created_at",
            "message",
            "acknowledged",
            "acknowledged_at",
            "acknowledged_by_organisation",
            "resolved",
        ]
        read_only_fields = fields

    def get_acknowledged(self, alert: Alert) -> bool:
        return alert.acknowledged_at is not None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_acknowledged_by_organisation(self, alert: Alert) -> str | None:
        organisation = alert.acknowledged_by.organisation if alert.acknowledged_by else None
        return organisation.name if organisation is not None else None

    def get_resolved(self, alert: Alert) -> bool:
        return alert.status == Alert.Status.RESOLVED
