"""API representations of emergency grants: what the grantor's decision needs, the
requester's request and the grantor's decision."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import Organisation
from relocation.models import GrantPurpose, GrantRequest
from relocation.serializers.referral import pseudonym_field, reason_field


class GrantRequestSerializer(serializers.ModelSerializer):
    pseudonym = pseudonym_field()
    requested_by = serializers.CharField(source="organisation.name", read_only=True)
    grantor_name = serializers.CharField(source="grantor.name", read_only=True)
    #: the request's urgency; ``due_at``: the deadline of the addressee's answer (issue 20).
    urgency = serializers.CharField(source="request.urgency", read_only=True)

    class Meta:
        model = GrantRequest
        fields = [
            "id",
            "pseudonym",
            "requested_by",
            "grantor",
            "grantor_name",
            "purpose",
            "amount",
            "currency",
            "justification",
            "status",
            "urgency",
            "due_at",
            "decision_reason",
            "decided_at",
            "disbursed_on",
        ]
        read_only_fields = fields


class GrantCreateSerializer(serializers.Serializer):
    request = serializers.UUIDField()
    grantor = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    purpose = serializers.ChoiceField(choices=GrantPurpose.choices)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField(max_length=3)
    justification = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class GrantDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approved", "declined"])
    reason = reason_field()
