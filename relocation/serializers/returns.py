"""The return plan in the API (issue 20, item 5): what the requester sends to record the
return home, and what the plan set up."""

from __future__ import annotations

from rest_framework import serializers

from hrdcase.dates import ApiDateField
from relocation.models import ReturnPlan


class ReturnInputSerializer(serializers.Serializer):
    returned_on = ApiDateField(required=False, allow_null=True)


class ReturnPlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReturnPlan
        fields = [
            "id",
            "request",
            "trigger",
            "returned_on",
            "check_ins_until",
            "check_in_hours",
            "risk_review_due",
            "follow_up_due",
            "created_at",
        ]
        read_only_fields = fields
