"""``/api/v1/cases/{id}/consents/``: what the defender agreed to (the owner organisation's;
its writers record and revoke). Routes of ``cases.api.case.CaseViewSet``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases.access import NEED_OWNER, get_case_for
from cases.models import Consent
from cases.serializers.consent import ConsentRevokeSerializer, ConsentSerializer
from cases.services import consent as consent_services
from hrdcase.tenancy import NEED_CHANGE, get_object_for


class CaseConsentRoutes:
    """The consent routes of a case, mixed into ``CaseViewSet``."""

    @extend_schema(methods=["GET"], request=None, responses=ConsentSerializer(many=True))
    @extend_schema(methods=["POST"], request=ConsentSerializer, responses={201: ConsentSerializer})
    @action(detail=True, methods=["get", "post"])
    def consents(self, request: Request, pk=None) -> Response:
        need = NEED_OWNER if request.method == "GET" else NEED_CHANGE
        case, _access = get_case_for(request.user, pk, need=need)
        if request.method == "GET":
            return Response(ConsentSerializer(case.consents.all(), many=True).data)
        serializer = ConsentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
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
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ConsentRevokeSerializer, responses=ConsentSerializer)
    @action(
        detail=True, methods=["post"], url_path=r"consents/(?P<consent_pk>[0-9a-f-]{36})/revoke"
    )
    def consent_revoke(self, request: Request, pk=None, consent_pk=None) -> Response:
        case, _access = get_case_for(request.user, pk, need=NEED_CHANGE)
        consent = get_object_for(
            request.user, Consent.objects.owned_by(case.organisation).filter(case=case), consent_pk
        )
        serializer = ConsentRevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consent_services.consent_revoke(
            consent=consent,
            acting_user=request.user,
            note=serializer.validated_data["note"],
        )
        return Response(ConsentSerializer(consent).data)
