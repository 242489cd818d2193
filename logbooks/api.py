"""Logbooks REST API under /api/v1/ (router basenames prefixed ``logbook-``).

- ``cases/<case>/entries/``: the case's current entries the user may see; POST logs one.
- ``entries/<id>/``: one entry (any version); ``correct/`` POSTs a new version;
  ``attachments/`` lists (GET) or uploads (POST, multipart ``file``) its documents.
- ``attachments/<id>/`` metadata, ``download/`` the decrypted bytes (audited).
- ``cases/<case>/actions/``: every organisation's actions on the case; POST records one.
- ``actions/``: joint actions the user's organisation takes part in; ``actions/<id>/``
  one action, with ``transition/``, ``invite/``, ``answer/``.
- ``inbox/``: shared entries of other organisations, with ``is_unread``; ``read-all/``.

Everything goes through the ``visible_to`` rules: another organisation's object is a 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser
from rest_framework.response import Response

from accounts.models import Organisation
from cases.access import get_case_for
from cases.models import BenchmarkMilestone, Case
from hrdcase.api import ScopedViewSet, query_flag
from hrdcase.audit import client_ip
from hrdcase.parsers import JSONParser, MultiPartParser
from hrdcase.schema import BAD_FILTER, CONFLICT, UPLOAD_TOO_LARGE
from logbooks import selectors, services
from logbooks.attachments import EXTENSIONS, FileTooLarge, check_declared_size
from logbooks.forms import EntryFilterForm
from logbooks.models import Attachment, DiplomaticAction, EntryKind, LogEntry, Visibility
from logbooks.serializers import (
    ActionAnswerSerializer,
    ActionInputSerializer,
    ActionInviteSerializer,
    ActionSerializer,
    ActionTransitionSerializer,
    AttachmentSerializer,
    AttachmentUploadSerializer,
    EntryCreateSerializer,
    EntryInputSerializer,
    EntrySerializer,
    InboxEntrySerializer,
)

CASE_PK = r"(?P<case_pk>[0-9a-fA-F-]{32,36})"


class CaseRoutePermission(permissions.BasePermission):
    """Nested case routes: open the case first (404 for anyone who cannot see it), then the
    role decides writes (a viewer of the owner gets 403, which leaks nothing to them)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        view.open_case()
        if request.method in permissions.SAFE_METHODS:
            return True
        if not user.can_write:
            raise DjangoPermissionDenied
        return True


class _CaseNestedViewSet(ScopedViewSet):
    permission_classes = [CaseRoutePermission]
    case: Case | None = None
    access = None

    def open_case(self) -> None:
        self.case, self.access = get_case_for(self.request.user, self.kwargs.get("case_pk"))
        if self.case.purged_at and self.request.method not in permissions.SAFE_METHODS:
            raise Http404


def _milestone(case: Case, pk) -> BenchmarkMilestone | None:
    if pk is None:
        return None
    milestone = (
        BenchmarkMilestone.objects.owned_by(case.organisation)
        .filter(pk=pk, detention__incident__case=case)
        .select_related("detention__incident")
        .first()
    )
    if milestone is None:
        raise ValidationError({"milestone": "No such benchmark on this case."})
    return milestone


_MARKED_READ = inline_serializer("InboxMarkedRead", {"marked_read": serializers.IntegerField()})


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
class CaseEntryViewSet(mixins.ListModelMixin, _CaseNestedViewSet):
    serializer_class = EntrySerializer

    def queryset_for(self, user) -> QuerySet[LogEntry]:
        if self.case is None:  # schema generation
            return LogEntry.objects.unscoped().none()
        form = EntryFilterForm(self.request.query_params, user=user)
        if not form.is_valid():
            raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
        return selectors.entries_of_case(self.case, user, form.cleaned_data)

    @extend_schema(request=EntryCreateSerializer, responses={201: EntrySerializer})
    def create(self, request, *args, **kwargs):
        serializer = EntryCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["milestone"] = _milestone(self.case, data.pop("milestone", None))
        entry = services.entry_create(case=self.case, acting_user=request.user, **data)
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class EntryViewSet(mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = EntrySerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def queryset_for(self, user) -> QuerySet[LogEntry]:
        return LogEntry.objects.visible_to(user).select_related("author", "organisation", "case")

    def retrieve(self, request, *args, **kwargs):
        entry = self.get_object()
        if entry.is_shared and entry.organisation_id != request.user.organisation_id:
            services.entry_mark_read(entry=entry, user=request.user)
        return Response(EntrySerializer(entry).data)

    @extend_schema(request=EntryInputSerializer, responses={201: EntrySerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        entry = self.get_object()
        serializer = EntryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        new = services.entry_correct(
            entry=entry, acting_user=request.user, **serializer.validated_data
        )
        return Response(EntrySerializer(new).data, status=status.HTTP_201_CREATED)

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
            rows = Attachment.objects.visible_to(request.user).filter(entry=entry)
            return Response(AttachmentSerializer(rows, many=True).data)
        # A file too large for the upload handler answers 413 from the parser, unread.
        serializer = AttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        try:
            check_declared_size(upload.size)
            attachment = services.attachment_add(
                entry=entry, filename=upload.name, data=upload.read(), acting_user=request.user
            )
        except FileTooLarge as error:
            return Response(error.message_dict, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class AttachmentViewSet(mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = AttachmentSerializer

    def queryset_for(self, user) -> QuerySet[Attachment]:
        return Attachment.objects.visible_to(user)

    # The stored type of the file, one of those an upload may have.
    @extend_schema(responses={(200, content_type): bytes for content_type in EXTENSIONS})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        attachment = self.get_object()
        data = services.attachment_read(
            attachment=attachment, acting_user=request.user, ip=client_ip(request)
        )
        response = HttpResponse(data, content_type=attachment.content_type)
        from logbooks.views import _content_disposition

        response["Content-Disposition"] = _content_disposition(attachment.filename)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "no-store, private"
        return response


def _action_context(request, actions) -> dict:
    case_ids = {action.case_id for action in actions}
    visible = set(
        Case.objects.visible_to(request.user).filter(pk__in=case_ids).values_list("pk", flat=True)
    )
    return {"request": request, "visible_cases": visible}


class CaseActionViewSet(mixins.ListModelMixin, _CaseNestedViewSet):
    serializer_class = ActionSerializer

    def queryset_for(self, user) -> QuerySet[DiplomaticAction]:
        if self.case is None:
            return DiplomaticAction.objects.unscoped().none()
        return selectors.actions_of_case(self.case, user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.case is not None:
            context["visible_cases"] = {self.case.pk}
        return context

    @extend_schema(request=ActionInputSerializer, responses={201: ActionSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ActionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["milestone"] = _milestone(self.case, data.pop("milestone", None))
        created = services.action_create(case=self.case, acting_user=request.user, **data)
        return Response(
            ActionSerializer(created, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class ActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """``list``: the joint actions the user's organisation takes part in."""

    serializer_class = ActionSerializer
    filter_backends = ()  # the list is the selector's, neither searched nor reordered

    def queryset_for(self, user) -> QuerySet[DiplomaticAction]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return DiplomaticAction.objects.unscoped().none()
        if self.action == "list":
            return selectors.actions_taken_part_in(user)
        return selectors.actions_visible(user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = page if page is not None else list(self.get_queryset())
        data = ActionSerializer(rows, many=True, context=_action_context(request, rows)).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def _answer(self, request, obj) -> Response:
        obj = self.get_queryset().get(pk=obj.pk)  # fresh participants
        return Response(ActionSerializer(obj, context=_action_context(request, [obj])).data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        return Response(ActionSerializer(obj, context=_action_context(request, [obj])).data)

    @extend_schema(
        request=ActionTransitionSerializer, responses={200: ActionSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        obj = self.get_object()
        serializer = ActionTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.action_transition(
            action=obj, acting_user=request.user, **serializer.validated_data
        )
        return self._answer(request, obj)

    @extend_schema(request=ActionInviteSerializer, responses={200: ActionSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        obj = self.get_object()
        serializer = ActionInviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = Organisation.objects.filter(
            pk=serializer.validated_data["organisation"]
        ).first()
        if organisation is None:
            raise ValidationError({"organisation": "No such organisation."})
        services.action_invite(action=obj, organisation=organisation, acting_user=request.user)
        return self._answer(request, obj)

    @extend_schema(
        request=ActionAnswerSerializer,
        responses={
            200: ActionSerializer,
            204: OpenApiResponse(
                description="Declined an action on a case your organisation does not follow: "
                "it is no longer yours to see."
            ),
            409: CONFLICT,
        },
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        obj = self.get_object()
        serializer = ActionAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.action_answer(
            action=obj, accept=serializer.validated_data["accept"], acting_user=request.user
        )
        # A decline ends the organisation's sight of a joint action on a case it does not
        # follow (DiplomaticAction.visible_to): nothing is left to show it.
        if not self.get_queryset().filter(pk=obj.pk).exists():
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self._answer(request, obj)


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
        queryset = selectors.inbox_for(user)
        if query_flag(self.request, "unread"):
            queryset = queryset.filter(is_unread=True)
        return queryset

    @extend_schema(request=None, responses={200: _MARKED_READ})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        count = services.inbox_mark_all_read(user=request.user)
        return Response({"marked_read": count})
