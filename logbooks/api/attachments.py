"""REST routes of entries' documents: ``entries/<id>/attachments/`` (list, upload) and
``attachments/<id>/`` (metadata, ``download/``)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from hrdcase.api import ScopedViewSet
from hrdcase.audit import client_ip
from hrdcase.schema import CONFLICT, UPLOAD_TOO_LARGE
from logbooks.files import EXTENSIONS, FileTooLarge, attachment_response, check_declared_size
from logbooks.models import Attachment
from logbooks.selectors.attachments import attachments_of_entry, attachments_visible
from logbooks.serializers.attachments import AttachmentSerializer, AttachmentUploadSerializer
from logbooks.services.attachments import attachment_add, attachment_read


# ``entries/<id>/attachments/`` of ``EntryViewSet``: the entry's documents. (A comment, not
# a docstring: the OpenAPI schema would describe every entry operation with it.)
class EntryAttachmentsMixin:
    @extend_schema(
        methods=["post"],
        request=AttachmentUploadSerializer,
        responses={201: AttachmentSerializer, 409: CONFLICT, 413: UPLOAD_TOO_LARGE},
    )
    @extend_schema(methods=["get"], responses={200: AttachmentSerializer(many=True)})
    @action(detail=True, methods=["get", "post"])
    def attachments(self, request, pk=None):
        entry = self.get_object()
        if request.method == "GET":
            rows = attachments_of_entry(entry, request.user)
            return Response(AttachmentSerializer(rows, many=True).data)
        # A file too large for the upload handler answers 413 from the parser, unread.
        serializer = AttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        try:
            check_declared_size(upload.size)
            attachment = attachment_add(
                entry=entry, filename=upload.name, data=upload.read(), acting_user=request.user
            )
        except FileTooLarge as error:
            return Response(error.message_dict, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class AttachmentViewSet(mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = AttachmentSerializer

    def queryset_for(self, user) -> QuerySet[Attachment]:
        return attachments_visible(user)

    # The stored type of the file, one of those an upload may have.
    @extend_schema(responses={(200, content_type): bytes for content_type in EXTENSIONS})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None) -> HttpResponse:
        attachment = self.get_object()
        data = attachment_read(
            attachment=attachment, acting_user=request.user, ip=client_ip(request)
        )
        return attachment_response(attachment, data)
