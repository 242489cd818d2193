"""API shapes of incidents. The input serializer validates types and choices (an unknown enum
is a 400 naming the field); the service decides."""

from __future__ import annotations

from rest_framework import serializers

from cases.models import Incident
from cases.models.case import NARRATIVE_MAX_LENGTH
from cases.selectors.detention import has_detention
from hrdcase.dates import ApiDateField


class IncidentSerializer(serializers.ModelSerializer):
    type_display = serializers.CharField(source="get_type_display", read_only=True)
    perpetrator_display = serializers.CharField(source="get_perpetrator_display", read_only=True)
    has_detention = serializers.SerializerMethodField()

    class Meta:
        model = Incident
        fields = [
            "id",
            "case",
            "occurred_on",
            "type",
            "type_display",
            "perpetrator",
            "perpetrator_display",
            "place",
            "description",
            "has_detention",
            "created_at",
        ]
        read_only_fields = fields

    def get_has_detention(self, incident: Incident) -> bool:
        return has_detention(incident)


class IncidentInputSerializer(serializers.Serializer):
    occurred_on = ApiDateField()
    type = serializers.ChoiceField(choices=Incident.Type.choices)
    perpetrator = serializers.ChoiceField(choices=Incident.Perpetrator.choices)
    place = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    description = serializers.CharField(
        max_length=NARRATIVE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
