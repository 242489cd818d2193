"""``/api/v1/cases/{id}/shares/`` and ``coordinate/``: sharing a case with another
organisation (the owner's; its writers share and revoke) and asking the organisations that
perhaps follow the same defender to coordinate. Routes of ``cases.api.case.CaseViewSet``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases.access import NEED_OWNER, get_case_for
from cases.models import CaseShare
from cases.selectors.sharing import shares_of
from cases.serializers.sharing import CoordinationSerializer, ShareSerializer
from cases.services import sharing as sharing_services
from hrdcase.schema import BAD_REQUEST
from hrdcase.tenancy import NEED_CHANGE, get_object_for


class CaseSharingRoutes:
    """The sharing and coordination routes of a case, mixed into ``CaseViewSet``."""

    @extend_schema(methods=["GET"], request=None, responses=ShareSerializer(many=True))
    @extend_schema(methods=["POST"], request=ShareSerializer, responses={201: ShareSerializer})
    @action(detail=True, methods=["get", "post"])
    def shares(self, request: Request, pk=None) -> Response:
        need = NEED_OWNER if request.method == "GET" else NEED_CHANGE
        case, _access = get_case_for(request.user, pk, need=need)
        if request.method == "GET":
            return Response(ShareSerializer(shares_of(case), many=True).data)
        serializer = ShareSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        share = sharing_services.case_share(
            case=case,
            partner=data["partner"],
            level=data["level"],
            reason=data["reason"],
            expires_at=data.get("expires_at"),
            acting_user=request.user,
        )
        return Response(ShareSerializer(share).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ShareSerializer, 400: BAD_REQUEST})
    @action(detail=True, methods=["post"], url_path=r"shares/(?P<share_pk>[0-9a-f-]{36})/revoke")
    def share_revoke(self, request: Request, pk=None, share_pk=None) -> Response:
        case, _access = get_case_for(request.user, pk, need=NEED_CHANGE)
        share = get_object_for(
            request.user, CaseShare.objects.owned_by(case.organisation).filter(case=case), share_pk
        )
        sharing_services.share_revoke(share=share, acting_user=request.user)
        return Response(ShareSerializer(share).data)

    @extend_schema(
        request=CoordinationSerializer,
        responses={
            202: inline_serializer("CoordinationAccepted", {"detail": serializers.CharField()})
        },
    )
    @action(detail=True, methods=["post"])
    def coordinate(self, request: Request, pk=None) -> Response:
        case, _access = get_case_for(request.user, pk, need=NEED_CHANGE)
        serializer = CoordinationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sharing_services.coordination_request(
            case=case, message=serializer.validated_data["message"], acting_user=request.user
        )
        # The same answer whether or not anybody was asked: the requester learns nothing more.
        return Response({"detail": "Request recorded."}, status=status.HTTP_202_ACCEPTED)
