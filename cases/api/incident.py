"""Incidents, detention and benchmark milestones of a case, under ``/api/v1/cases/<case>/``.

Every route first opens the case through ``get_case_for`` (the one visibility rule): reads
need the full file (owner, ``full`` partner; a ``feedback`` partner or a stranger gets 404),
writes need the owner organisation's officers (a viewer gets 403, anyone else 404). This
happens in the permission check, before DRF's role check could answer 403 to a stranger.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.access import NEED_IDENTITY, get_case_for
from cases.models import BenchmarkMilestone, CaseAccessLog, Detention, Incident
from cases.selectors_detention import incidents_of, milestones_of_case
from cases.serializers_incident import (
    DetentionInputSerializer,
    DetentionSerializer,
    DetentionUpdateSerializer,
    HearingInputSerializer,
    HearingSerializer,
    IncidentInputSerializer,
    IncidentSerializer,
    MilestoneDoneSerializer,
    MilestoneSerializer,
)
from cases.services import detention as detention_services
from cases.services.access_log import case_part_viewed
from cases.services.incident import incident_record
from hrdcase.api import ScopedViewSet
from hrdcase.audit import client_ip
from hrdcase.schema import CONFLICT
from hrdcase.tenancy import NEED_CHANGE

CASE_PK = r"(?P<case_pk>[0-9a-fA-F-]{32,36})"


class CaseFilePermission(permissions.BasePermission):
    """Opens the case named in the URL with the need of the request's method."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        view.open_case()
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        return True  # decided by open_case: the object is a part of that case


class _CasePartViewSet(ScopedViewSet):
    permission_classes = [CaseFilePermission]
    case = None
    access = None

    def open_case(self) -> None:
        need = NEED_IDENTITY if self.request.method in permissions.SAFE_METHODS else NEED_CHANGE
        self.case, self.access = get_case_for(
            self.request.user, self.kwargs.get("case_pk"), need=need
        )
        if self.case.purged_at:
            raise Http404

    def _viewed(self) -> None:
        case_part_viewed(
            case=self.case,
            user=self.request.user,
            part=CaseAccessLog.Part.FILE,
            ip=client_ip(self.request),
        )


class IncidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _CasePartViewSet):
    """Incidents of a case; its detention record and hearings for a detention incident."""

    serializer_class = IncidentSerializer
    filterset_fields = ["type", "perpetrator"]
    ordering_fields = ["occurred_on", "created_at"]

    def queryset_for(self, user) -> QuerySet[Incident]:
        if self.case is None:  # schema generation: no request case
            return Incident.objects.unscoped().none()
        return incidents_of(self.case)

    def list(self, request, *args, **kwargs):
        self._viewed()
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        self._viewed()
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=IncidentInputSerializer, responses={201: IncidentSerializer})
    def create(self, request, *args, **kwargs):
        serializer = IncidentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        incident = incident_record(
            case=self.case, acting_user=request.user, **serializer.validated_data
        )
        return Response(IncidentSerializer(incident).data, status=status.HTTP_201_CREATED)

    def _detention(self, incident: Incident) -> Detention:
        detention = (
            Detention.objects.owned_by(self.case.organisation)
            .filter(incident=incident)
            .prefetch_related(
                "hearings",
                Prefetch(
                    "milestones", queryset=BenchmarkMilestone.objects.unscoped().order_by("due_on")
                ),
            )
            .first()
        )
        if detention is None:
            raise Http404
        return detention

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
    def detention(self, request, *args, **kwargs):
        incident = self.get_object()
        if request.method == "GET":
            self._viewed()
            return Response(DetentionSerializer(self._detention(incident)).data)
        if request.method == "POST":
            serializer = DetentionInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            detention_services.detention_record(
                incident=incident, acting_user=request.user, **serializer.validated_data
            )
            return Response(
                DetentionSerializer(self._detention(incident)).data, status=status.HTTP_201_CREATED
            )
        detention = self._detention(incident)
        serializer = DetentionUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        detention_services.detention_update(
            detention=detention, acting_user=request.user, **serializer.validated_data
        )
        return Response(DetentionSerializer(self._detention(incident)).data)

    @extend_schema(request=HearingInputSerializer, responses={201: HearingSerializer})
    @action(detail=True, methods=["post"])
    def hearings(self, request, *args, **kwargs):
        """Add a hearing; a trial-observation milestone is planned for it."""
        detention = self._detention(self.get_object())
        serializer = HearingInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        hearing = detention_services.hearing_add(
            detention=detention, acting_user=request.user, **serializer.validated_data
        )
        return Response(HearingSerializer(hearing).data, status=status.HTTP_201_CREATED)


class MilestoneViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _CasePartViewSet):
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
    def done(self, request, *args, **kwargs):
        """Mark the milestone done, with the logbook entry that did it and a note."""
        milestone = self.get_object()
        serializer = MilestoneDoneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        milestone = detention_services.milestone_mark_done(
            milestone=milestone, acting_user=request.user, **serializer.validated_data
        )
        return Response(MilestoneSerializer(milestone).data)
