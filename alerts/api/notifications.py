"""REST routes of the user's own notifications: ``notifications/``, ``<id>/read/``,
``read-all/``."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from alerts.models import Notification
from alerts.selectors.notifications import notifications_of
from alerts.serializers.notifications import NotificationSerializer
from hrdcase.api import ScopedViewSet, query_flag
from hrdcase.schema import BAD_FILTER
from hrdcase.tenancy import get_object_for


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
