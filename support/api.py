"""``support-requests``: the requests the user's organisation made or that are addressed to
it; ask (``create``), ``accept``, ``decline``, ``report``."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from cases.access import get_case_for
from hrdcase.api import ScopedViewSet
from hrdcase.schema import BAD_FILTER, BODY_NOT_FOUND, CONFLICT
from support import services
from support.models import SupportRequest
from support.selectors import hearings_of, networks_of, requests_for, support_receivers
from support.serializers import (
    SupportAcceptSerializer,
    SupportDeclineSerializer,
    SupportReportSerializer,
    SupportRequestCreateSerializer,
    SupportRequestSerializer,
)

SIDES = ("sent", "received")


def _valid(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _one_of(queryset: QuerySet[Any], pk: Any, field: str, message: str) -> Any:
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: message})
    return found


class SupportRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Support requests your organisation made (on cases it still follows) or received."""

    serializer_class = SupportRequestSerializer
    filter_backends = ()

    def queryset_for(self, user: Any) -> QuerySet[SupportRequest]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return SupportRequest.objects.unscoped().none()
        rows = requests_for(user)
        side = self.request.query_params.get("side", "") if self.action == "list" else ""
        if side not in ("", *SIDES):
            raise ValidationError({"side": "One of: sent, received."})
        if side == "sent":
            rows = rows.filter(organisation_id=user.organisation_id)
        elif side == "received":
            rows = rows.filter(receiver_id=user.organisation_id)
        return rows

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "side", str, enum=list(SIDES), description="Only those sent, or received."
            )
        ],
        responses={200: SupportRequestSerializer(many=True), 400: BAD_FILTER},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=SupportRequestCreateSerializer,
        responses={201: SupportRequestSerializer(many=True), 404: BODY_NOT_FOUND},
    )
    def create(self, request: Request) -> Response:
        """Ask one mission (``receiver``) or every other mission of one of your networks
        (``network``): one request each, listed in the answer. The case: 404 unless your
        organisation owns it or follows it at full or feedback level."""
        data = _valid(SupportRequestCreateSerializer, request)
        user = cast(User, request.user)  # RolePermission: a signed-in writer
        case, access = get_case_for(user, data.pop("case"), need=services.NEED_ASK)
        if data.get("hearing") is not None and not access.sees_identity:
            # a feedback partner never sees the case's hearings: none to name
            raise ValidationError({"hearing": str(services.HEARING_NOT_SEEN)})
        data["receiver"] = _one_of(
            support_receivers(), data.pop("receiver", None), "receiver", "Ask an active mission."
        )
        data["network"] = _one_of(
            networks_of(user),
            data.pop("network", None),
            "network",
            "Ask through a network your organisation belongs to.",
        )
        data["hearing"] = _one_of(
            hearings_of(case),
            data.pop("hearing", None),
            "hearing",
            "Choose a hearing of this case to come.",
        )
        created = services.support_request_create(case=case, acting_user=user, **data)
        return Response(
            SupportRequestSerializer(created, many=True).data, status=status.HTTP_201_CREATED
        )

    def _step(self, request: Request, serializer_class: Any, service: Any) -> Response:
        support = cast(SupportRequest, self.get_object())
        data = _valid(serializer_class, request)
        service(request=support, acting_user=request.user, **data)
        fresh = self.get_queryset().filter(pk=support.pk).first()
        if fresh is None:  # pragma: no cover - the receiver always keeps its request
            raise Http404
        return Response(SupportRequestSerializer(fresh).data)

    @extend_schema(
        request=SupportAcceptSerializer, responses={200: SupportRequestSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: Any = None) -> Response:
        """The receiver's writers: the diplomatic action is created (planned) and linked."""
        return self._step(request, SupportAcceptSerializer, services.support_request_accept)

    @extend_schema(
        request=SupportDeclineSerializer, responses={200: SupportRequestSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: Any = None) -> Response:
        """The receiver's writers, with the reason the requester reads."""
        return self._step(request, SupportDeclineSerializer, services.support_request_decline)

    @extend_schema(
        request=SupportReportSerializer, responses={200: SupportRequestSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: Any = None) -> Response:
        """The receiver's writers report the outcome of an accepted request."""
        return self._step(request, SupportReportSerializer, services.support_request_report)
