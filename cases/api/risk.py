"""Risk API under /api/v1/cases/<id>/risk/: the same services and access rule as the pages.

- ``GET  cases/<id>/risk/``                  the versions, newest first (paginated)
- ``POST cases/<id>/risk/``                  record a new version (owner's writers)
- ``GET  cases/<id>/risk/<assessment_id>/``  one version with its scores per dimension
- ``GET  cases/<id>/risk/override/``         the level in force and where it comes from
- ``POST cases/<id>/risk/override/``         override with a reason, or clear (empty level)

Reads need the risk part of the case (owners, ``full`` partners); anyone else gets 404, as
for a case that does not exist. Writes need the owner organisation's writers (a viewer gets
403). An assessment is never changed or deleted: PUT, PATCH and DELETE answer 405.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.response import Response

from cases.access import NEED_RISK, get_case_for
from cases.models import Case
from cases.selectors.risk import assessments_of
from cases.serializers.risk import (
    CaseRiskSerializer,
    RiskAssessmentCreateSerializer,
    RiskAssessmentSerializer,
    RiskOverrideSerializer,
)
from cases.services.case import case_override_risk
from cases.services.risk import risk_assessment_create
from hrdcase.api import ScopedViewSet
from hrdcase.tenancy import NEED_CHANGE, get_object_for

UUID_PATTERN = r"[0-9a-fA-F-]{36}"


def _cases_visible_to(user):
    return Case.objects.visible_to(user)


class CaseRiskViewSet(ScopedViewSet):
    """Risk assessments of a case and the override of its level. The URL names the case
    (``pk``), so the role check waits for the scoped lookup: another organisation gets 404."""

    queryset_for = staticmethod(_cases_visible_to)
    serializer_class = RiskAssessmentSerializer
    lookup_value_regex = UUID_PATTERN
    filter_backends = ()  # a case has few versions: no search or ordering parameters
    paginated_actions = ("assessments",)

    def _case(self, request, pk, *, write: bool):
        return get_case_for(request.user, pk, need=NEED_CHANGE if write else NEED_RISK)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=RiskAssessmentSerializer(many=True),
        description="The versions of the case's risk assessment, newest first.",
    )
    @extend_schema(
        methods=["POST"],
        request=RiskAssessmentCreateSerializer,
        responses={201: RiskAssessmentSerializer},
        description=(
            "Record a new version (owner organisation's officers). The level is computed: "
            "per dimension ceil(likelihood x impact x capacity factor), capacity factor "
            "limited 100 %, partial 80 %, strong 60 %; overall = highest dimension; bands "
            "1-4 low, 5-9 medium, 10-15 high, 16-25 critical. The case's level follows "
            "unless overridden."
        ),
    )
    @action(detail=True, methods=["get", "post"], url_path="risk", url_name="assessments")
    def assessments(self, request, pk=None):
        if request.method == "GET":
            case, _access = self._case(request, pk, write=False)
            page = self.paginate_queryset(assessments_of(case))
            return self.get_paginated_response(RiskAssessmentSerializer(page, many=True).data)
        case, _access = self._case(request, pk, write=True)
        serializer = RiskAssessmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assessment = risk_assessment_create(
            case=case, acting_user=request.user, **serializer.validated_data
        )
        return Response(RiskAssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=RiskAssessmentSerializer,
        description="One version, with its scores per dimension.",
    )
    @extend_schema(
        methods=["PUT", "PATCH", "DELETE"],
        request=None,
        responses={405: OpenApiResponse(description="Assessments are never changed.")},
    )
    @action(
        detail=True,
        methods=["get", "put", "patch", "delete"],
        url_path=rf"risk/(?P<assessment_pk>{UUID_PATTERN})",
        url_name="assessment",
    )
    def assessment(self, request, pk=None, assessment_pk=None):
        case, _access = self._case(request, pk, write=False)
        assessment = get_object_for(
            request.user, case.assessments.select_related("assessed_by"), assessment_pk
        )
        if request.method != "GET":
            raise MethodNotAllowed(
                request.method,
                detail=_("A risk assessment is never changed or deleted: record a new version."),
            )
        return Response(RiskAssessmentSerializer(assessment).data)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=CaseRiskSerializer,
        description="The case's level in force, the assessed level and any override.",
    )
    @extend_schema(
        methods=["POST"],
        request=RiskOverrideSerializer,
        responses=CaseRiskSerializer,
        description=(
            "Override the case's level with a reason; an empty risk_level returns to the "
            "latest assessed level."
        ),
    )
    @action(detail=True, methods=["get", "post"], url_path="risk/override", url_name="override")
    def override(self, request, pk=None):
        if request.method == "GET":
            case, _access = self._case(request, pk, write=False)
            return Response(CaseRiskSerializer(case).data)
        case, _access = self._case(request, pk, write=True)
        serializer = RiskOverrideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case_override_risk(
            case=case,
            level=serializer.validated_data["risk_level"],
            reason=serializer.validated_data["risk_override_reason"],
            acting_user=request.user,
        )
        return Response(CaseRiskSerializer(case).data)
