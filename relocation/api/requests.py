"""``relocation-requests``: the requests the user's organisation raised, and those it reviews
as the case owner; a step of the workflow (``transition``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from cases.access import get_case_for
from hrdcase.api import ScopedViewSet
from hrdcase.schema import BODY_NOT_FOUND, CONFLICT
from relocation.api.referral import valid_body
from relocation.selectors.requests import requests_for, with_standings
from relocation.serializers.requests import (
    RelocationRequestCreateSerializer,
    RelocationRequestDetailSerializer,
    RelocationRequestSerializer,
    TransitionInputSerializer,
)
from relocation.serializers.returns import ReturnInputSerializer, ReturnPlanSerializer
from relocation.services.access import REFERRAL_PERMISSION, requester_holds_case
from relocation.services.requests import request_create, request_transition
from relocation.services.returns import return_record


class RelocationRequestViewSet(mixins.ListModelMixin, ScopedViewSet):
    """Requests your organisation raised, and those it reviews as the case owner."""

    queryset_for = staticmethod(requests_for)
    serializer_class = RelocationRequestSerializer

    def paginate_queryset(self, queryset):
        """The page's rows, each with where it stands (one query per kind of referral)."""
        page = super().paginate_queryset(queryset)
        return with_standings(list(page)) if page is not None else None

    @extend_schema(responses=RelocationRequestDetailSerializer)
    def retrieve(self, request, pk=None):
        obj = self.get_object()
        return Response(RelocationRequestDetailSerializer(obj).data)

    @extend_schema(
        request=RelocationRequestCreateSerializer,
        responses={201: RelocationRequestDetailSerializer, 404: BODY_NOT_FOUND},
    )
    def create(self, request):
        data = valid_body(RelocationRequestCreateSerializer, request)
        case, _access = get_case_for(request.user, data.pop("case"), need=REFERRAL_PERMISSION)
        created = request_create(case=case, acting_user=request.user, **data)
        return Response(
            RelocationRequestDetailSerializer(created).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=TransitionInputSerializer,
        responses={200: RelocationRequestDetailSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the request along its workflow; 409 with ``allowed`` when the step is not."""
        obj = self.get_object()
        data = valid_body(TransitionInputSerializer, request)
        updated = request_transition(relocation_request=obj, acting_user=request.user, **data)
        return Response(RelocationRequestDetailSerializer(updated).data)

    @extend_schema(
        request=ReturnInputSerializer,
        responses={201: ReturnPlanSerializer, 404: BODY_NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_home(self, request, pk=None):
        """Record the defender's return home (the requester's writers): the return plan is
        set up on the case once; the plan, as set up the first time, is answered."""
        obj = self.get_object()
        if not requester_holds_case(obj):
            # a partner whose share ended sees its frozen request, never the case's return
            raise NotFound
        data = valid_body(ReturnInputSerializer, request)
        plan = return_record(relocation_request=obj, acting_user=request.user, **data)
        return Response(ReturnPlanSerializer(plan).data, status=status.HTTP_201_CREATED)
