"""Alerts API under /api/v1/:

- ``GET  alerts/``                   alerts visible to the user (open first; ``?status=``)
- ``POST alerts/``                   raise one: ``{case, kind, severity, message}``
- ``GET  alerts/<id>/``              one alert, with its (decrypted) message
- ``POST alerts/<id>/acknowledge/``  stop the escalation (409 if already acknowledged)
- ``POST alerts/<id>/resolve/``      ``{note}``; owner organisation's writers (409 if resolved)
- ``GET  notifications/``            the user's own notifications (``?unread=1``)
- ``POST notifications/<id>/read/``  mark one read
- ``POST notifications/read-all/``   mark all read
- ``GET  escalation-steps/``          the organisation's escalation policy, in order
- ``POST escalation-steps/``          add a step ``{after_minutes, target, role, network}`` (admins)
- ``DELETE escalation-steps/<id>/``   remove a step (admins)
- ``POST escalation-steps/reset/``    back to the default steps (admins)

Alerts are visible to the owner organisation and ``full`` partners; anyone else gets 404.
Viewers read; writes need an officer or administrator (403).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import ProtectionNetwork
from alerts.models import EscalationStep, Notification
from alerts.selectors import alerts_for, notifications_of
from alerts.serializers import (
    AlertCreateSerializer,
    AlertDetailSerializer,
    AlertResolveSerializer,
    AlertSerializer,
    EscalationStepCreateSerializer,
    EscalationStepSerializer,
    NotificationSerializer,
)
from alerts.services.alerts import alert_acknowledge, alert_raise, alert_resolve
from alerts.services.policy import (
    escalation_policy_reset,
    escalation_step_add,
    escalation_step_remove,
    policy_for,
    policy_steps,
)
from cases.access import NEED_IDENTITY, get_case_for, require_org_admin
from hrdcase.api import ScopedViewSet, query_flag
from hrdcase.schema import BAD_FILTER, CONFLICT
from hrdcase.tenancy import get_object_for


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
            OpenApiParameter("status", str, description="open, raised, acknowledged, resolved")
        ]
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(
            alerts_for(request.user, status=request.GET.get("status", ""))
        )
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


def _own_notifications(user):
    return notifications_of(user)


class NotificationViewSet(mixins.ListModelMixin, ScopedViewSet):
    """A user's own notifications: reading and marking them is never a "write" to the
    organisation's data, so viewers may mark theirs read."""

    queryset_for = staticmethod(_own_notifications)
    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = ()

    @extend_schema(
        parameters=[OpenApiParameter("unread", bool, description="true: only the unread ones")],
        responses={200: NotificationSerializer(many=True), 400: BAD_FILTER},
    )
    def list(self, request, *args, **kwargs):
        notifications = notifications_of(request.user)
        if query_flag(request, "unread"):
            notifications = notifications.filter(read_at__isnull=True)
        page = self.paginate_queryset(notifications)
        return self.get_paginated_response(NotificationSerializer(page, many=True).data)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = get_object_for(request.user, notifications_of(request.user), pk)
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer(
                "NotificationsMarkedRead", {"marked_read": serializers.IntegerField()}
            )
        },
    )
    @action(detail=False, methods=["post"], url_path="read-all", url_name="read-all")
    def read_all(self, request):
        count = (
            Notification.objects.for_recipient(request.user)
            .filter(read_at__isnull=True)
            .update(read_at=timezone.now())
        )
        return Response({"marked_read": count})


def _own_steps(user):
    if user.organisation_id is None:
        return EscalationStep.objects.none()
    return (
        EscalationStep.objects.visible_to(user).select_related("network").order_by("after_seconds")
    )


class EscalationStepViewSet(mixins.ListModelMixin, ScopedViewSet):
    """The organisation's escalation policy. Members read it; administrators change it."""

    queryset_for = staticmethod(_own_steps)
    serializer_class = EscalationStepSerializer
    admin_only = False
    filter_backends = ()
    pagination_class = None

    def list(self, request, *args, **kwargs):
        organisation = request.user.organisation
        steps = policy_steps(policy_for(organisation)) if organisation else []
        return Response(EscalationStepSerializer(steps, many=True).data)

    @extend_schema(
        request=EscalationStepCreateSerializer, responses={201: EscalationStepSerializer}
    )
    def create(self, request, *args, **kwargs):
        require_org_admin(request.user)
        serializer = EscalationStepCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        network = None
        if data["network"] is not None:
            network = ProtectionNetwork.objects.filter(pk=data["network"]).first()
            if network is None:
                raise ValidationError({"network": _("Unknown protection network.")})
        step = escalation_step_add(
            organisation=request.user.organisation,
            after_minutes=data["after_minutes"],
            target=data["target"],
            role=data["role"],
            network=network,
            acting_user=request.user,
        )
        return Response(EscalationStepSerializer(step).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)])
    def destroy(self, request, *args, **kwargs):
        step = get_object_for(request.user, _own_steps(request.user), kwargs[self.lookup_field])
        require_org_admin(request.user)
        escalation_step_remove(step=step, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=EscalationStepSerializer(many=True))
    @action(detail=False, methods=["post"])
    def reset(self, request):
        require_org_admin(request.user)
        policy = escalation_policy_reset(
            organisation=request.user.organisation, acting_user=request.user
        )
        return Response(EscalationStepSerializer(policy_steps(policy), many=True).data)
