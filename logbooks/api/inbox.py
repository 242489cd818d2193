"""REST routes of the updates inbox: ``inbox/`` (partners' shared entries, ``is_unread``)
and ``inbox/read-all/``."""

from __future__ import annotations

from django.db.models import BooleanField, QuerySet, Value
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from hrdcase.api import ScopedViewSet, query_flag
from hrdcase.schema import BAD_FILTER
from logbooks.models import LogEntry
from logbooks.selectors.inbox import inbox_for, unread_entries
from logbooks.serializers.inbox import InboxEntrySerializer
from logbooks.services.inbox import inbox_mark_all_read

_MARKED_READ = inline_serializer("InboxMarkedRead", {"marked_read": serializers.IntegerField()})


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("unread", bool, description="true: only the unread entries")],
        responses={200: InboxEntrySerializer(many=True), 400: BAD_FILTER},
    )
)
class InboxViewSet(mixins.ListModelMixin, ScopedViewSet):
    serializer_class = InboxEntrySerializer

    def queryset_for(self, user) -> QuerySet[LogEntry]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return LogEntry.objects.unscoped().none()
        if query_flag(self.request, "unread"):
            # the same rows as inbox_for(user).filter(is_unread=True), read from the user's
            # unread lines: the cheaper way in (logbooks.selectors.inbox.unread_entries).
            return (
                unread_entries(user)
                .annotate(is_unread=Value(True, output_field=BooleanField()))
                .select_related("case", "author", "organisation")
            )
        return inbox_for(user)

    @extend_schema(request=None, responses={200: _MARKED_READ})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        count = inbox_mark_all_read(user=request.user)
        return Response({"marked_read": count})
