"""``/api/v1/cases/{case}/incidents/{id}/detention/`` and ``hearings/`` (the detention of an
arbitrary-detention incident: routes of ``cases.api.incident.IncidentViewSet``) and
``/api/v1/cases/{case}/milestones/``, the benchmark plan of a case's detentions.

Reads need the full file, writes the owner organisation's officers (``CasePartViewSet``).
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api.case import CasePartViewSet
from cases.models import BenchmarkMilestone
from cases.selectors.detention import detention_with_plan, milestones_of_case
from cases.serializers.detention import (
    DetentionInputSerializer,
    DetentionSerializer,
    DetentionUpdateSerializer,
    HearingInputSerializer,
    HearingSerializer,
    MilestoneDoneSerializer,
    MilestoneSerializer,
)
from cases.services import detention as detention_services
from hrdcase.schema import CONFLICT


class IncidentDetentionRoutes:
    """The detention routes of an incident, mixed into ``IncidentViewSet``."""

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=DetentionSerializer,
        description="The detention record.",
    )
    @extend_schema(
        methods=["POST"],
        request=DetentionInputSerializer,
        responses={201: DetentionSerializer},
        description="Record the detention; its benchmark plan is generated from the template.",
    )
    @extend_schema(
        methods=["PATCH"],
        request=DetentionUpdateSerializer(partial=True),
        responses=DetentionSerializer,
    )
    @action(detail=True, methods=["get", "post", "patch"])
    def detention(self, request: Request, *args, **kwargs) -> Response:
        incident = self.get_object()
        if request.method == "GET":
            self._viewed()
            return Response(DetentionSerializer(detention_with_plan(self.case, incident)).data)
        if request.method == "POST":
            serializer = DetentionInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            detention_services.detention_record(
                incident=incident, acting_user=request.user, **serializer.validated_data
            )
            return Response(
                DetentionSerializer(detention_with_plan(self.case, incident)).data,
                status=status.HTTP_201_CREATED,
            )
        detention = detention_with_plan(self.case, incident)
        serializer = DetentionUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        detention_services.detention_update(
            detention=detention, acting_user=request.user, **serializer.validated_data
        )
        return Response(DetentionSerializer(detention_with_plan(self.case, incident)).data)

    @extend_schema(request=HearingInputSerializer, responses={201: HearingSerializer})
    @action(detail=True, methods=["post"])
    def hearings(self, request: Request, *args, **kwargs) -> Response:
        """Add a hearing; a trial-observation milestone is planned for it."""
        detention = detention_with_plan(self.case, self.get_object())
        serializer = HearingInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        hearing = detention_services.hearing_add(
            detention=detention, acting_user=request.user, **serializer.validated_data
        )
        return Response(HearingSerializer(hearing).data, status=status.HTTP_201_CREATED)


class MilestoneViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CasePartViewSet):
    """The benchmark milestones of a case's detentions."""

    serializer_class = MilestoneSerializer
    filterset_fields = ["status", "kind"]

    def queryset_for(self, user) -> QuerySet[BenchmarkMilestone]:
        if self.case is None:  # schema generation: no request case
            return BenchmarkMilestone.objects.unscoped().none()
        return milestones_of_case(self.case)

    @extend_schema(
        request=MilestoneDoneSerializer, responses={200: MilestoneSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def done(self, request: Request, *args, **kwargs) -> Response:
        """Mark the milestone done, with the logbook entry that did it and a note."""
        milestone = self.get_object()
        serializer = MilestoneDoneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        milestone = detention_services.milestone_mark_done(
            milestone=milestone, acting_user=request.user, **serializer.validated_data
        )
        return Response(MilestoneSerializer(milestone).data)
