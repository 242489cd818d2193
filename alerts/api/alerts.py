"""REST routes of alerts: ``alerts/`` (list, raise), ``alerts/<id>/`` with ``acknowledge/``
and ``resolve/``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from alerts.models import PARTNER_LEVEL_PERMISSION
from alerts.selectors.alerts import STATUS_FILTERS, alerts_for, partner_alerts_for
from alerts.serializers.alerts import (
    AlertBulkAcknowledgeResultSerializer,
    AlertBulkAcknowledgeSerializer,
    AlertCreateSerializer,
    AlertDetailSerializer,
    AlertResolveSerializer,
    AlertSerializer,
    PartnerAlertSerializer,
)
from alerts.services.alerts import (
    alert_acknowledge,
    alert_raise,
    alert_resolve,
    alerts_acknowledge,
)
from cases.access import NEED_IDENTITY, get_case_for
from hrdcase.api import ScopedViewSet
from hrdcase.schema import BAD_FILTER, CONFLICT


def _alerts_visible_to(user):
    return alerts_for(user)


class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset_for = staticmethod(_alerts_visible_to)
    serializer_class = AlertSerializer
    filter_backends = ()

    def get_serializer_class(self):
        return AlertDetailSerializer if self.action == "retrieve" else AlertSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status",
                str,
                enum=list(STATUS_FILTERS),
                description="open (raised or acknowledged), all, or one status; all by default.",
            )
        ],
        responses={200: AlertSerializer(many=True), 400: BAD_FILTER},
    )
    def list(self, request, *args, **kwargs):
        status_filter = request.GET.get("status", "")
        if status_filter and status_filter not in STATUS_FILTERS:
            raise ValidationError(
                {
                    "status": _("Unknown status: choose one of %(statuses)s.")
                    % {"statuses": ", ".join(STATUS_FILTERS)}
                }
            )
        page = self.paginate_queryset(alerts_for(request.user, status=status_filter))
        return self.get_paginated_response(AlertSerializer(page, many=True).data)

    @extend_schema(request=AlertCreateSerializer, responses={201: AlertDetailSerializer})
    def create(self, request, *args, **kwargs):
        serializer = AlertCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            case, _access = get_case_for(request.user, data["case"], need=NEED_IDENTITY)
        except Http404:
            raise ValidationError(
                {"case": _("No case with this id is open to you with full access.")}
            ) from None
        alert = alert_raise(
            case=case,
            kind=data["kind"],
            severity=data["severity"],
            message=data["message"],
            acting_user=request.user,
        )
        return Response(AlertDetailSerializer(alert).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: AlertDetailSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        alert = self.get_object()
        alert_acknowledge(alert=alert, acting_user=request.user)
        return Response(AlertDetailSerializer(alert).data)

    @extend_schema(
        operation_id="v1_alerts_acknowledge_many",
        request=AlertBulkAcknowledgeSerializer,
        responses={200: AlertBulkAcknowledgeResultSerializer},
        description=(
            "Acknowledge the selected alerts you may acknowledge; the answer says which were "
            "acknowledged now, which already were (or were resolved) and which are not yours "
            "to acknowledge."
        ),
    )
    @action(detail=False, methods=["post"], url_path="acknowledge", url_name="acknowledge-many")
    def acknowledge_many(self, request):
        serializer = AlertBulkAcknowledgeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = alerts_acknowledge(
            alert_ids=serializer.validated_data["alerts"], acting_user=request.user
        )
        return Response(
            {
                "acknowledged": [str(a.pk) for a in result.acknowledged],
                "already": [str(a.pk) for a in result.already],
                "refused": result.refused,
            }
        )

    @extend_schema(
        request=AlertResolveSerializer, responses={200: AlertDetailSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        alert = self.get_object()
        serializer = AlertResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if alert.organisation_id != request.user.organisation_id:
            raise PermissionDenied  # a full partner acknowledges; the owner resolves
        alert_resolve(alert=alert, acting_user=request.user, note=serializer.validated_data["note"])
        return Response(AlertDetailSerializer(alert).data)


def _partner_alerts_visible_to(user):
    return partner_alerts_for(user)


class PartnerAlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """``partner-alerts/``: urgent alerts the user's organisation raised on cases it follows as
    a partner (issue 21). Raising one (POST) reaches the owner's on-call chain; the answer is
    the partner's view: the acknowledgement, not the owner's internals."""

    queryset_for = staticmethod(_partner_alerts_visible_to)
    serializer_class = PartnerAlertSerializer
    filter_backends = ()

    @extend_schema(request=AlertCreateSerializer, responses={201: PartnerAlertSerializer})
    def create(self, request, *args, **kwargs):
        serializer = AlertCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            case, _access = get_case_for(request.user, data["case"], need=PARTNER_LEVEL_PERMISSION)
        except Http404:
            raise ValidationError({"case": _("No case with this id is followed by you.")}) from None
        if case.organisation_id == request.user.organisation_id:
            raise ValidationError(
                {"case": _("This case is your organisation's: raise its alerts through alerts/.")}
            )
        alert = alert_raise(
            case=case,
            kind=data["kind"],
            severity=data["severity"],
            message=data["message"],
            acting_user=request.user,
        )
        return Response(PartnerAlertSerializer(alert).data, status=status.HTTP_201_CREATED)
