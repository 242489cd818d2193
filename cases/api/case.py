"""``/api/v1/cases/``: the cases you may open (list, open, register, change, close) and the
defender's identity; the consent and sharing routes of a case come from
``cases.api.consent`` and ``cases.api.sharing``. ``CasePartViewSet`` is the base of the
routes of a case's parts (``/api/v1/cases/{case}/incidents/``...)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases.access import NEED_IDENTITY, get_case_for, partner_levels, require_writer
from cases.api.consent import CaseConsentRoutes
from cases.api.sharing import CaseSharingRoutes
from cases.models import CaseAccessLog
from cases.selectors.case import CaseFilters, case_list_for
from cases.serializers.case import (
    CaseCloseSerializer,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseListFiltersSerializer,
    CaseListSerializer,
    CaseUpdateSerializer,
    IdentitySerializer,
)
from cases.services import case as case_services
from cases.services.access_log import case_part_viewed, identity_viewed
from hrdcase.api import ScopedViewSet
from hrdcase.audit import client_ip
from hrdcase.schema import BAD_FILTER
from hrdcase.tenancy import NEED_CHANGE

#: the case named in the URL of a part's routes.
CASE_PK = r"(?P<case_pk>[0-9a-fA-F-]{32,36})"


def _case_list_for(user):
    return case_list_for(user)


class CaseViewSet(CaseConsentRoutes, CaseSharingRoutes, mixins.ListModelMixin, ScopedViewSet):
    """Cases you may open: your organisation's and those shared with it."""

    queryset_for = staticmethod(_case_list_for)
    serializer_class = CaseListSerializer
    # The list filters with the page's own filters (CaseFilters), never with DRF's search and
    # ordering; the other routes open one case through get_case_for.
    filter_backends = ()

    @extend_schema(
        parameters=[CaseListFiltersSerializer],
        responses={200: CaseListSerializer(many=True), 400: BAD_FILTER},
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        params = CaseListFiltersSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = CaseFilters(**params.validated_data)
        page = self.paginate_queryset(case_list_for(request.user, filters))
        levels = partner_levels(request.user, page)
        return self.get_paginated_response(
            CaseListSerializer(page, many=True, context={"levels": levels}).data
        )

    @extend_schema(responses=CaseDetailSerializer)
    def retrieve(self, request: Request, pk=None) -> Response:
        case, access = get_case_for(request.user, pk)
        levels = {case.pk: access.level} if access.level else {}
        return Response(CaseDetailSerializer(case, context={"levels": levels}).data)

    @extend_schema(request=CaseCreateSerializer, responses={201: CaseDetailSerializer})
    def create(self, request: Request) -> Response:
        require_writer(request.user)
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        defender = dict(data["defender"])
        areas = defender.pop("areas_of_work", [])
        case = case_services.case_register(
            identity=case_services.DefenderIdentity(**defender),
            pseudonym=data["pseudonym"],
            acting_user=request.user,
            areas_of_work=areas,
            threat_types=data.get("threat_types", []),
            summary=data.get("summary", ""),
            lead_officer=data.get("lead_officer"),
            opened_on=data.get("opened_on"),
        )
        return Response(CaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseUpdateSerializer, responses=CaseDetailSerializer)
    def partial_update(self, request: Request, pk=None) -> Response:
        case, _access = get_case_for(request.user, pk, need=NEED_CHANGE)
        serializer = CaseUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case_services.case_update(case=case, acting_user=request.user, **serializer.validated_data)
        return Response(CaseDetailSerializer(case).data)

    @extend_schema(request=None, responses=IdentitySerializer)
    @action(detail=True, methods=["get"])
    def identity(self, request: Request, pk=None) -> Response:
        """The defender's identity (full access only); every read is recorded."""
        case, access = get_case_for(request.user, pk, need=NEED_IDENTITY)
        identity_viewed(case=case, access=access, user=request.user, ip=client_ip(request))
        return Response(IdentitySerializer(case.defender).data)

    @extend_schema(request=CaseCloseSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk=None) -> Response:
        case, _access = get_case_for(request.user, pk, need=NEED_CHANGE)
        serializer = CaseCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case_services.case_close(
            case=case,
            reason=serializer.validated_data["closing_reason"],
            closed_on=serializer.validated_data.get("closed_on"),
            acting_user=request.user,
        )
        return Response(CaseDetailSerializer(case).data)


# --- the parts of a case: /api/v1/cases/{case}/<part>/ ------------------------------------------


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


class CasePartViewSet(ScopedViewSet):
    """Routes of one part of a case (incidents, milestones...). Every route first opens the
    case through ``get_case_for`` (the one visibility rule): reads need the full file (owner,
    ``full`` partner; a ``feedback`` partner or a stranger gets 404), writes need the owner
    organisation's officers (a viewer gets 403, anyone else 404). This happens in the
    permission check, before DRF's role check could answer 403 to a stranger."""

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
