"""REST shapes of entries' documents."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from logbooks.models import Attachment


class AttachmentSerializer(serializers.ModelSerializer):
    filename = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "entry", "filename", "content_type", "size", "sha256", "created_at"]
        fields += ["download_url"]
        read_only_fields = fields

    def get_filename(self, obj: Attachment) -> str:
        return obj.filename or ""

    def get_download_url(self, obj: Attachment) -> str:
        return reverse("api:logbook-attachment-download", kwargs={"pk": obj.pk})


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
