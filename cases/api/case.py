"""Case API under /api/v1/cases/: the same services and the same visibility rule as the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from cases import selectors
from cases.access import NEED_IDENTITY, get_case_for, partner_levels
from cases.models import CaseAccessLog, CaseShare, Consent
from cases.serializers import (
    CaseCloseSerializer,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseListFiltersSerializer,
    CaseListSerializer,
    CaseUpdateSerializer,
    ConsentRevokeSerializer,
    ConsentSerializer,
    CoordinationSerializer,
    IdentitySerializer,
    ShareSerializer,
)
from cases.services import case as case_services
from cases.services import consent as consent_services
from cases.services import sharing as sharing_services
from cases.services.access_log import case_part_viewed
from hrdcase.api import ScopedViewSet
from hrdcase.audit import client_ip
from hrdcase.schema import BAD_FILTER, BAD_REQUEST
from hrdcase.tenancy import NEED_CHANGE, get_object_for


def _service_errors(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError(error.message_dict)
    return ValidationError({"non_field_errors": error.messages})


def _case_list_for(user):
    return selectors.case_list_for(user)


class CaseViewSet(mixins.ListModelMixin, ScopedViewSet):
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
    def list(self, request, *args, **kwargs):
        params = CaseListFiltersSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = selectors.CaseFilters(**params.validated_data)
        page = self.paginate_queryset(selectors.case_list_for(request.user, filters))
        levels = partner_levels(request.user, page)
        return self.get_paginated_response(
            CaseListSerializer(page, many=True, context={"levels": levels}).data
        )

    def _case(self, request, pk, need="view"):
        case, access = get_case_for(request.user, pk, need=need)
        return case, access

    @extend_schema(responses=CaseDetailSerializer)
    def retrieve(self, request, pk=None):
        case, access = self._case(request, pk)
        levels = {case.pk: access.level} if access.level else {}
        return Response(CaseDetailSerializer(case, context={"levels": levels}).data)

    @extend_schema(request=CaseCreateSerializer, responses={201: CaseDetailSerializer})
    def create(self, request):
        if not request.user.can_write:
            raise PermissionDenied
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        defender = dict(data["defender"])
        areas = defender.pop("areas_of_work", [])
        try:
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
        except DjangoValidationError as error:
            raise _service_errors(error) from None
        return Response(CaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseUpdateSerializer, responses=CaseDetailSerializer)
    def partial_update(self, request, pk=None):
        case, _access = self._case(request, pk, need=NEED_CHANGE)
        serializer = CaseUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            case_services.case_update(
                case=case, acting_user=request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            raise _service_errors(error) from None
        return Response(CaseDetailSerializer(case).data)

    @extend_schema(request=None, responses=IdentitySerializer)
    @action(detail=True, methods=["get"])
    def identity(self, request, pk=None):
        """The defender's identity (full access only); every read is recorded."""
        case, access = self._case(request, pk, need=NEED_IDENTITY)
        case_part_viewed(
            case=case,
            user=request.user,
            part=CaseAccessLog.Part.IDENTITY,
            ip=client_ip(request),
            break_glass=access.break_glass is not None,
        )
        return Response(IdentitySerializer(case.defender).data)

    @extend_schema(request=CaseCloseSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        case, _access = self._case(request, pk, need=NEED_CHANGE)
        serializer = CaseCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            case_services.case_close(
                case=case,
                reason=serializer.validated_data["closing_reason"],
                closed_on=serializer.validated_data.get("closed_on"),
                acting_user=request.user,
            )
        except DjangoValidationError as error:
            raise _service_errors(error) from None
        return Response(CaseDetailSerializer(case).data)

    @extend_schema(methods=["GET"], request=None, responses=ConsentSerializer(many=True))
    @extend_schema(methods=["POST"], request=ConsentSerializer, responses={201: ConsentSerializer})
    @action(detail=True, methods=["get", "post"])
    def consents(self, request, pk=None):
        case, access = self._case(request, pk)
        if not access.is_owner:
            raise Http404
        if request.method == "GET":
            return Response(ConsentSerializer(case.consents.all(), many=True).data)
        if not request.user.can_write:
            raise PermissionDenied
        serializer = ConsentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            consent = consent_services.consent_record(
                case=case,
                acting_user=request.user,
                scope=data["scope"],
                given_on=data["given_on"],
                method=data["method"],
                partner=data.get("partner"),
                network=data.get("network"),
                channel=data.get("channel", ""),
                note=data.get("note", ""),
            )
        except DjangoValidationError as error:
            raise _service_errors(error) from None
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ConsentRevokeSerializer, responses=ConsentSerializer)
    @action(
        detail=True, methods=["post"], url_path=r"consents/(?P<consent_pk>[0-9a-f-]{36})/revoke"
    )
    def consent_revoke(self, request, pk=None, consent_pk=None):
        case, _access = self._case(request, pk, need=NEED_CHANGE)
        consent = get_object_for(
            request.user, Consent.objects.owned_by(case.organisation).filter(case=case), consent_pk
        )
        serializer = ConsentRevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            consent_services.consent_revoke(
                consent=consent,
                acting_user=request.user,
                note=serializer.validated_data["note"][:2000],
            )
        except DjangoValidationError as error:
            raise _service_errors(error) from None
        return Response(ConsentSerializer(consent).data)

    @extend_schema(methods=["GET"], request=None, responses=ShareSerializer(many=True))
    @extend_schema(methods=["POST"], request=ShareSerializer, responses={201: ShareSerializer})
    @action(detail=True, methods=["get", "post"])
    def shares(self, request, pk=None):
        case, access = self._case(request, pk)
        if not access.is_owner:
            raise Http404
        if request.method == "GET":
            return Response(ShareSerializer(selectors.shares_of(case), many=True).data)
        if not request.user.can_write:
            raise PermissionDenied
        serializer = ShareSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            share = sharing_services.case_share(
                case=case,
                partner=data["partner"],
                level=data["level"],
                reason=data["reason"],
                expires_at=data.get("expires_at"),
                acting_user=request.user,
            )
        except DjangoValidationError as error:
            raise _service_errors(error) from None
        return Response(ShareSerializer(share).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ShareSerializer, 400: BAD_REQUEST})
    @action(detail=True, methods=["post"], url_path=r"shares/(?P<share_pk>[0-9a-f-]{36})/revoke")
    def share_revoke(self, request, pk=None, share_pk=None):
        case, _access = self._case(request, pk, need=NEED_CHANGE)
        share = get_object_for(
            request.user, CaseShare.objects.owned_by(case.organisation).filter(case=case), share_pk
        )
        try:
            sharing_services.share_revoke(share=share, acting_user=request.user)
        except DjangoValidationError as error:
            raise _service_errors(error) from None
        return Response(ShareSerializer(share).data)

    @extend_schema(
        request=CoordinationSerializer,
        responses={
            202: inline_serializer("CoordinationAccepted", {"detail": serializers.CharField()})
        },
    )
    @action(detail=True, methods=["post"])
    def coordinate(self, request, pk=None):
        case, _access = self._case(request, pk, need=NEED_CHANGE)
        serializer = CoordinationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sharing_services.coordination_request(
            case=case, message=serializer.validated_data["message"], acting_user=request.user
        )
        # The same answer whether or not anybody was asked: the requester learns nothing more.
        return Response({"detail": "Request recorded."}, status=status.HTTP_202_ACCEPTED)
