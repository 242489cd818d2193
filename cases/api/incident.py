"""``/api/v1/cases/{case}/incidents/``: the incidents of a case (its detention routes come
from ``cases.api.detention``).

Reads need the full file (owner, ``full`` partner; a ``feedback`` partner or a stranger gets
404), writes the owner organisation's officers (a viewer gets 403, anyone else 404): see
``cases.api.case.CasePartViewSet``.
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api.case import CasePartViewSet
from cases.api.detention import IncidentDetentionRoutes
from cases.models import Incident
from cases.selectors.incident import incidents_of
from cases.serializers.incident import IncidentInputSerializer, IncidentSerializer
from cases.services.incident import incident_record


class IncidentViewSet(
    IncidentDetentionRoutes, mixins.ListModelMixin, mixins.RetrieveModelMixin, CasePartViewSet
):
    """Incidents of a case; its detention record and hearings for a detention incident."""

    serializer_class = IncidentSerializer
    filterset_fields = ["type", "perpetrator"]
    ordering_fields = ["occurred_on", "created_at"]

    def queryset_for(self, user) -> QuerySet[Incident]:
        if self.case is None:  # schema generation: no request case
            return Incident.objects.unscoped().none()
        return incidents_of(self.case)

    def list(self, request: Request, *args, **kwargs) -> Response:
        self._viewed()
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        self._viewed()
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=IncidentInputSerializer, responses={201: IncidentSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = IncidentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        incident = incident_record(
            case=self.case, acting_user=request.user, **serializer.validated_data
        )
        return Response(IncidentSerializer(incident).data, status=status.HTTP_201_CREATED)
