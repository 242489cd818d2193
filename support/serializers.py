"""REST shapes of support requests. Both sides read the same shape: the case's id,
reference and pseudonym (never the identity), the kind, the texts and where it stands."""

from __future__ import annotations

from rest_framework import serializers

from hrdcase.dates import ApiDateField
from relocation.models import Urgency
from support.models import REASON_MAX_LENGTH, SupportKind, SupportRequest


class SupportRequestSerializer(serializers.ModelSerializer):
    requester = serializers.CharField(source="organisation.name", read_only=True)
    receiver_name = serializers.CharField(source="receiver.name", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    case_pseudonym = serializers.CharField(source="case.pseudonym", read_only=True)
    hearing_date = serializers.DateField(
        source="hearing.date", read_only=True, allow_null=True, default=None
    )
    action_type = serializers.CharField(
        source="action.type", read_only=True, allow_null=True, default=None
    )
    action_status = serializers.CharField(
        source="action.status", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = SupportRequest
        fields = [
            "id",
            "case",
            "case_reference",
            "case_pseudonym",
            "requester",
            "receiver",
            "receiver_name",
            "network",
            "kind",
            "reason",
            "needed_by",
            "urgency",
            "hearing",
            "hearing_date",
            "status",
            "answer",
            "answered_at",
            "action",
            "action_type",
            "action_status",
            "outcome",
            "reported_at",
            "due_at",
            "created_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            name: {"allow_null": True}
            for name in ("network", "hearing", "answered_at", "action", "reported_at", "due_at")
        }


class SupportRequestCreateSerializer(serializers.Serializer):
    case = serializers.UUIDField()
    receiver = serializers.UUIDField(
        required=False, allow_null=True, help_text="A mission; or give network instead."
    )
    network = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="One of your networks: each of its other missions gets its own request.",
    )
    kind = serializers.ChoiceField(choices=SupportKind.choices)
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)
    needed_by = ApiDateField()
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    hearing = serializers.UUIDField(
        required=False, allow_null=True, help_text="For a trial observation: a hearing of the case."
    )


class SupportAcceptSerializer(serializers.Serializer):
    authority = serializers.CharField(max_length=200, required=False, allow_blank=True)
    taken_on = ApiDateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=REASON_MAX_LENGTH, required=False, allow_blank=True)


class SupportDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)


class SupportReportSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=REASON_MAX_LENGTH)
    done_on = ApiDateField()
    share_with_followers = serializers.BooleanField(required=False, default=True)
