"""API shapes of defenders and cases. Serializers validate; the services write."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from accounts.models import User
from cases.models import AreaOfWork, Case, ClosingReason, Defender, RiskLevel, ThreatType
from cases.models.case import NARRATIVE_MAX_LENGTH
from cases.selectors.case import SORTS
from hrdcase.dates import ApiDateField
from hrdcase.text import validate_single_line


def _iso(day) -> str | None:
    """A date as DRF's ``DateField`` writes it (ISO 8601, the default ``DATE_FORMAT``)."""
    return None if day is None else day.isoformat()


class CaseListSerializer(serializers.ModelSerializer):
    """What every viewer of a case may see. Risk and threats only with risk access."""

    owner = serializers.CharField(source="organisation.name", read_only=True)
    access = serializers.SerializerMethodField()
    risk_level = serializers.SerializerMethodField()
    threat_types = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "pseudonym",
            "status",
            "opened_on",
            "closed_on",
            "owner",
            "access",
            "risk_level",
            "threat_types",
        ]
        # Output only: input goes through CaseCreateSerializer and CaseUpdateSerializer.
        read_only_fields = fields

    def _level(self, case) -> str:
        return self.context.get("levels", {}).get(case.pk, "owner")

    def to_representation(self, case) -> dict:
        """The fields above, read straight from the case: DRF's generic way (a field
        object, ``get_attribute`` and ``to_representation`` per field and row) cost ~2 ms
        of a request for a page of 50, this ~0.3 (docs/performance.md, session 16).
        ``tests/cases/test_case_list.py`` holds it equal to the generic representation, key
        for key, for every access level."""
        level = self._level(case)
        feedback = level == "feedback"
        return {
            "id": str(case.pk),
            "reference": case.reference,
            "pseudonym": case.pseudonym,
            "status": case.status,
            "opened_on": _iso(case.opened_on),
            "closed_on": _iso(case.closed_on),
            "owner": case.organisation.name,
            "access": level,
            "risk_level": None if feedback else case.risk_level,
            "threat_types": None if feedback else self.get_threat_types(case),
        }

    def get_access(self, case) -> str:
        return self._level(case)

    def get_risk_level(self, case) -> str | None:
        return None if self._level(case) == "feedback" else case.risk_level

    def get_threat_types(self, case) -> list[str] | None:
        if self._level(case) == "feedback":
            return None
        # ``listed_threats``: prefetched by ``case_list_for``; a single case reads them here.
        threats = getattr(case, "listed_threats", None)
        return [t.code for t in (case.threat_types.all() if threats is None else threats)]


class CaseDetailSerializer(CaseListSerializer):
    summary = serializers.SerializerMethodField()
    closing_reason = serializers.CharField(read_only=True)
    lead_officer = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = [*CaseListSerializer.Meta.fields, "closing_reason", "summary", "lead_officer"]

    def to_representation(self, case) -> dict:
        data = super().to_representation(case)
        data["closing_reason"] = case.closing_reason
        data["summary"] = self.get_summary(case)
        data["lead_officer"] = self.get_lead_officer(case)
        return data

    def get_summary(self, case) -> str | None:
        return None if self._level(case) == "feedback" else case.summary

    def get_lead_officer(self, case) -> str | None:
        if self._level(case) != "owner" or case.lead_officer is None:
            return None
        return str(case.lead_officer.pk)


class DefenderSerializer(serializers.ModelSerializer):
    country = CountryField()
    areas_of_work = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=AreaOfWork.objects.all(), required=False
    )

    class Meta:
        model = Defender
        fields = [
            "kind",
            "legal_name",
            "other_names",
            "contact_channels",
            "location",
            "notes",
            "member_count",
            "country",
            "gender",
            "areas_of_work",
        ]


class CaseCreateSerializer(serializers.Serializer):
    defender = DefenderSerializer()
    pseudonym = serializers.CharField(max_length=80, validators=[validate_single_line])
    summary = serializers.CharField(
        required=False, allow_blank=True, max_length=NARRATIVE_MAX_LENGTH, default=""
    )
    opened_on = ApiDateField(required=False)
    threat_types = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=ThreatType.objects.all(), required=False
    )
    lead_officer = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )

    def validate(self, attrs):
        defender = attrs["defender"]
        if defender.get("kind") == Defender.Kind.COLLECTIVE and not defender.get("member_count"):
            raise serializers.ValidationError(
                {
                    "defender": {
                        "member_count": [
                            _("Give the approximate number of members of the collective.")
                        ]
                    }
                }
            )
        return attrs


class CaseUpdateSerializer(serializers.Serializer):
    pseudonym = serializers.CharField(
        max_length=80, required=False, validators=[validate_single_line]
    )
    status = serializers.ChoiceField(
        choices=[Case.Status.OPEN, Case.Status.MONITORING], required=False
    )
    summary = serializers.CharField(
        required=False, allow_blank=True, max_length=NARRATIVE_MAX_LENGTH
    )
    threat_types = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=ThreatType.objects.all(), required=False
    )
    lead_officer = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False
    )


class CaseCloseSerializer(serializers.Serializer):
    closing_reason = serializers.ChoiceField(choices=ClosingReason.choices)
    closed_on = ApiDateField(required=False)


class IdentitySerializer(DefenderSerializer):
    class Meta(DefenderSerializer.Meta):
        read_only_fields = DefenderSerializer.Meta.fields


class CaseListFiltersSerializer(serializers.Serializer):
    """The case list's query parameters, those of the page (selectors.CaseFilters). Checked
    without a query: an unknown choice, or a NUL character (which PostgreSQL refuses: a 500),
    is a 400 naming the parameter."""

    status = serializers.ChoiceField(choices=Case.Status.choices, required=False, allow_blank=True)
    risk = serializers.ChoiceField(choices=RiskLevel.choices, required=False, allow_blank=True)
    country = serializers.CharField(
        required=False, allow_blank=True, max_length=2, help_text="the defender's (ISO code)"
    )
    threat = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text="a threat type's code"
    )
    scope = serializers.ChoiceField(
        choices=[("own", "own"), ("shared", "shared")],
        required=False,
        allow_blank=True,
        help_text="default: both",
    )
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=80,
        help_text="part of the reference or pseudonym",
    )
    sort = serializers.ChoiceField(
        choices=list(SORTS), required=False, allow_blank=True, help_text="default: -opened"
    )
