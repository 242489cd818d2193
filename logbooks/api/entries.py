"""REST routes of logbook entries: ``cases/<case>/entries/`` (list, log one) and
``entries/<id>/`` (one version, ``correct/``, and its documents: ``attachments``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser
from rest_framework.response import Response

from hrdcase.api import ScopedViewSet
from hrdcase.parsers import JSONParser, MultiPartParser
from hrdcase.schema import BAD_FILTER, CONFLICT
from logbooks.api.attachments import EntryAttachmentsMixin
from logbooks.api.case_routes import CaseNestedViewSet, milestone_on
from logbooks.forms.entries import EntryFilterForm
from logbooks.models import EntryKind, LogEntry, Visibility
from logbooks.selectors.entries import entries_of_case
from logbooks.serializers.entries import (
    EntryCreateSerializer,
    EntryInputSerializer,
    EntrySerializer,
)
from logbooks.services.entries import entry_correct, entry_create
from logbooks.services.inbox import entry_mark_read


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=EntryKind.values),
            OpenApiParameter("visibility", str, enum=Visibility.values),
            OpenApiParameter("author", OpenApiTypes.UUID, description="a member of yours"),
            OpenApiParameter("date_from", OpenApiTypes.DATE),
            OpenApiParameter("date_to", OpenApiTypes.DATE),
        ],
        responses={200: EntrySerializer(many=True), 400: BAD_FILTER},
    )
)
class CaseEntryViewSet(mixins.ListModelMixin, CaseNestedViewSet):
    serializer_class = EntrySerializer

    def queryset_for(self, user) -> QuerySet[LogEntry]:
        if self.case is None:  # schema generation
            return LogEntry.objects.unscoped().none()
        form = EntryFilterForm(self.request.query_params, user=user)
        if not form.is_valid():
            raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
        return entries_of_case(self.case, user, form.cleaned_data)

    @extend_schema(request=EntryCreateSerializer, responses={201: EntrySerializer})
    def create(self, request, *args, **kwargs):
        serializer = EntryCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["milestone"] = milestone_on(self.case, data.pop("milestone", None))
        entry = entry_create(case=self.case, acting_user=request.user, **data)
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class EntryViewSet(EntryAttachmentsMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = EntrySerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def queryset_for(self, user) -> QuerySet[LogEntry]:
        return LogEntry.objects.visible_to(user).select_related("author", "organisation", "case")

    def retrieve(self, request, *args, **kwargs):
        entry = self.get_object()
        if entry.is_shared and entry.organisation_id != request.user.organisation_id:
            entry_mark_read(entry=entry, user=request.user)
        return Response(EntrySerializer(entry).data)

    @extend_schema(request=EntryInputSerializer, responses={201: EntrySerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        entry = self.get_object()
        serializer = EntryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        new = entry_correct(entry=entry, acting_user=request.user, **serializer.validated_data)
        return Response(EntrySerializer(new).data, status=status.HTTP_201_CREATED)
