"""REST routes of the user's own inbox: ``notifications/`` (``?category=``, ``?unread=``),
``<id>/read/``, ``read-all/`` (``?category=``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from alerts.kinds import Category
from alerts.selectors.notifications import inbox_for, parse_category
from alerts.serializers.notifications import NotificationSerializer
from alerts.services.notifications import notification_read, notifications_read_all
from hrdcase.api import ScopedViewSet, query_flag
from hrdcase.schema import BAD_FILTER
from hrdcase.tenancy import get_object_for

CATEGORY = OpenApiParameter(
    "category",
    OpenApiTypes.STR,
    enum=Category.values,
    description="only the notifications of this category",
)


def _own_notifications(user):
    return inbox_for(user)


def _category(request) -> str | None:
    try:
        return parse_category(request.query_params.get("category"))
    except DjangoValidationError as error:
        raise ValidationError({"category": error.messages}) from None


class NotificationViewSet(mixins.ListModelMixin, ScopedViewSet):
    """A user's own notifications: reading and marking them is never a "write" to the
    organisation's data, so viewers may mark theirs read."""

    queryset_for = staticmethod(_own_notifications)
    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = ()

    @extend_schema(
        parameters=[
            CATEGORY,
            OpenApiParameter("unread", bool, description="true: only the unread ones"),
        ],
        responses={200: NotificationSerializer(many=True), 400: BAD_FILTER},
    )
    def list(self, request, *args, **kwargs):
        category = _category(request)
        unread = True if query_flag(request, "unread") else None
        page = self.paginate_queryset(inbox_for(request.user, category=category, unread=unread))
        return self.get_paginated_response(NotificationSerializer(page, many=True).data)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = get_object_for(request.user, inbox_for(request.user), pk)
        notification_read(notification=notification, user=request.user)
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        parameters=[CATEGORY],
        request=None,
        responses={
            200: inline_serializer(
                "NotificationsMarkedRead", {"marked_read": serializers.IntegerField()}
            ),
            400: BAD_FILTER,
        },
    )
    @action(detail=False, methods=["post"], url_path="read-all", url_name="read-all")
    def read_all(self, request):
        count = notifications_read_all(user=request.user, category=_category(request))
        return Response({"marked_read": count})
