"""API representations of emergency grants: what the grantor's decision needs, the
requester's request and the grantor's decision."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Organisation
from relocation.models import GrantPurpose, GrantRequest, Urgency
from relocation.serializers.referral import pseudonym_field, reason_field


class GrantRequestSerializer(serializers.ModelSerializer):
    pseudonym = pseudonym_field()
    requested_by = serializers.CharField(source="organisation.name", read_only=True)
    grantor_name = serializers.CharField(source="grantor.name", read_only=True)
    #: the request's urgency; ``due_at``: the deadline of the addressee's answer (issue 20).
    urgency = serializers.CharField(read_only=True)
    #: the relocation request, or none for a grant asked on the case on its own.
    request = serializers.UUIDField(source="request_id", read_only=True, allow_null=True)

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
            "request",
            "urgency",
            "due_at",
            "decision_reason",
            "decided_at",
            "disbursed_on",
        ]
        read_only_fields = fields


class GrantCreateSerializer(serializers.Serializer):
    """Within a relocation request (``request``), or on a case on its own (``case``, with its
    ``urgency`` and the grantor's eligibility criteria confirmed)."""

    request = serializers.UUIDField(required=False)
    case = serializers.UUIDField(required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    confirm_situation = serializers.BooleanField(required=False, default=False)
    confirm_need = serializers.BooleanField(required=False, default=False)
    confirm_consent = serializers.BooleanField(required=False, default=False)
    grantor = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    purpose = serializers.ChoiceField(choices=GrantPurpose.choices)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField(max_length=3)
    justification = serializers.CharField(required=False, allow_blank=True, max_length=4000)

    def validate(self, attrs):
        if bool(attrs.get("request")) == bool(attrs.get("case")):
            raise serializers.ValidationError(
                {"case": _("Give either the relocation request or the case, not both.")}
            )
        if attrs.get("case") and not attrs.get("urgency"):
            raise serializers.ValidationError({"urgency": _("Choose an urgency.")})
        return attrs


class GrantDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approved", "declined"])
    reason = reason_field()
