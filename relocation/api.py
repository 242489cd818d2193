"""Relocation API under /api/v1/: the same services and scoping as the pages.

- ``relocation-requests``: list/create/retrieve, ``POST .../transition/`` (409 + ``allowed``).
- ``relocation-visas``: list (``?side=queue`` for the mission's queue), create, retrieve,
  ``decide``, ``withdraw``.
- ``relocation-stays``: list, create, retrieve, ``answer``, ``confirm``, ``hosting``,
  ``complete``, ``withdraw``.
- ``relocation-grants``: list, create, retrieve, ``decide``, ``disburse``.

Another organisation's object is a 404; bad input a 400 naming the field.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from cases.access import get_case_for
from hrdcase.api import ScopedViewSet
from hrdcase.schema import BAD_FILTER, BODY_NOT_FOUND, CONFLICT
from hrdcase.tenancy import get_object_for
from relocation import selectors, services
from relocation.models import VisaReferral
from relocation.serializers import (
    DaySerializer,
    GrantCreateSerializer,
    GrantDecisionSerializer,
    GrantRequestSerializer,
    RelocationRequestCreateSerializer,
    RelocationRequestDetailSerializer,
    RelocationRequestSerializer,
    ShelterAnswerSerializer,
    ShelterCreateSerializer,
    ShelterListSerializer,
    ShelterReferralSerializer,
    StayDatesSerializer,
    TransitionInputSerializer,
    VisaDecisionSerializer,
    VisaListFiltersSerializer,
    VisaReferralCreateSerializer,
    VisaReferralSerializer,
)


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _valid_query(serializer_class, request):
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _request_of(user, pk):
    """The relocation request a new referral belongs to: 404 if the user cannot see it."""
    return get_object_for(user, selectors.request_for(user), pk)


def _require_write(request) -> None:
    if not request.user.can_write:
        raise PermissionDenied


class RelocationRequestViewSet(mixins.ListModelMixin, ScopedViewSet):
    """Requests your organisation raised, and those it reviews as the case owner."""

    queryset_for = staticmethod(selectors.requests_for)
    serializer_class = RelocationRequestSerializer

    @extend_schema(responses=RelocationRequestDetailSerializer)
    def retrieve(self, request, pk=None):
        obj = self.get_object()
        return Response(RelocationRequestDetailSerializer(obj).data)

    @extend_schema(
        request=RelocationRequestCreateSerializer,
        responses={201: RelocationRequestDetailSerializer, 404: BODY_NOT_FOUND},
    )
    def create(self, request):
        data = _valid(RelocationRequestCreateSerializer, request)
        case, _access = get_case_for(request.user, data.pop("case"), need="add_case_referral")
        _require_write(request)
        created = services.request_create(case=case, acting_user=request.user, **data)
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
        data = _valid(TransitionInputSerializer, request)
        updated = services.request_transition(
            relocation_request=obj, acting_user=request.user, **data
        )
        return Response(RelocationRequestDetailSerializer(updated).data)


class VisaReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Visa referrals your organisation raised or that are addressed to your mission."""

    queryset_for = staticmethod(selectors.visa_referrals_for)
    serializer_class = VisaReferralSerializer
    filter_backends = ()  # the list is in deadline order, neither searched nor reordered

    @extend_schema(
        parameters=[VisaListFiltersSerializer],
        responses={200: VisaReferralSerializer(many=True), 400: BAD_FILTER},
    )
    def list(self, request, *args, **kwargs):
        params = _valid_query(VisaListFiltersSerializer, request)
        if params.get("side") == "queue":
            queryset = selectors.visa_queue_for(
                request.user, status=params.get("status", VisaReferral.Status.PENDING)
            ).select_related("request", "mission")
        else:
            queryset = self.get_queryset().order_by("deadline", "created_at")
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(VisaReferralSerializer(page, many=True).data)

    @extend_schema(
        request=VisaReferralCreateSerializer,
        responses={201: VisaReferralSerializer, 404: BODY_NOT_FOUND, 409: CONFLICT},
    )
    def create(self, request):
        data = _valid(VisaReferralCreateSerializer, request)
        relocation_request = _request_of(request.user, data.pop("request"))
        _require_write(request)
        referral = services.visa_referral_create(
            relocation_request=relocation_request, acting_user=request.user, **data
        )
        return Response(VisaReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=VisaDecisionSerializer, responses={200: VisaReferralSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        referral = self.get_object()
        data = _valid(VisaDecisionSerializer, request)
        updated = services.visa_decide(referral=referral, acting_user=request.user, **data)
        return Response(VisaReferralSerializer(updated).data)

    @extend_schema(request=None, responses={200: VisaReferralSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        referral = self.get_object()
        updated = services.visa_withdraw(referral=referral, acting_user=request.user)
        return Response(VisaReferralSerializer(updated).data)


class ShelterReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Shelter referrals your organisation raised or that are addressed to your city."""

    queryset_for = staticmethod(selectors.shelter_referrals_for)
    serializer_class = ShelterReferralSerializer
    filter_backends = ()  # the list is in date order, neither searched nor reordered

    # A row of the list leaves out the needs and the family (ShelterListSerializer).
    @extend_schema(responses=ShelterListSerializer(many=True))
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset().order_by("start", "created_at"))
        return self.get_paginated_response(ShelterListSerializer(page, many=True).data)

    @extend_schema(
        request=ShelterCreateSerializer,
        responses={201: ShelterReferralSerializer, 404: BODY_NOT_FOUND, 409: CONFLICT},
    )
    def create(self, request):
        data = _valid(ShelterCreateSerializer, request)
        relocation_request = _request_of(request.user, data.pop("request"))
        _require_write(request)
        referral = services.shelter_referral_create(
            relocation_request=relocation_request, acting_user=request.user, **data
        )
        return Response(ShelterReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    def _reply(self, obj):
        return Response(ShelterReferralSerializer(obj).data)

    @extend_schema(
        request=ShelterAnswerSerializer, responses={200: ShelterReferralSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        referral = self.get_object()
        data = _valid(ShelterAnswerSerializer, request)
        return self._reply(
            services.shelter_answer(referral=referral, acting_user=request.user, **data)
        )

    @extend_schema(
        request=StayDatesSerializer, responses={200: ShelterReferralSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        referral = self.get_object()
        data = _valid(StayDatesSerializer, request)
        return self._reply(
            services.shelter_confirm(referral=referral, acting_user=request.user, **data)
        )

    @extend_schema(request=DaySerializer, responses={200: ShelterReferralSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def hosting(self, request, pk=None):
        referral = self.get_object()
        day = _valid(DaySerializer, request).get("day")
        return self._reply(
            services.shelter_arrive(referral=referral, acting_user=request.user, arrived_on=day)
        )

    @extend_schema(request=DaySerializer, responses={200: ShelterReferralSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        referral = self.get_object()
        day = _valid(DaySerializer, request).get("day")
        return self._reply(
            services.shelter_complete(referral=referral, acting_user=request.user, returned_on=day)
        )

    @extend_schema(request=None, responses={200: ShelterReferralSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        referral = self.get_object()
        return self._reply(services.shelter_withdraw(referral=referral, acting_user=request.user))


class GrantRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Grant requests your organisation raised or that are addressed to it."""

    queryset_for = staticmethod(selectors.grants_for)
    serializer_class = GrantRequestSerializer

    @extend_schema(
        request=GrantCreateSerializer,
        responses={201: GrantRequestSerializer, 404: BODY_NOT_FOUND, 409: CONFLICT},
    )
    def create(self, request):
        data = _valid(GrantCreateSerializer, request)
        relocation_request = _request_of(request.user, data.pop("request"))
        _require_write(request)
        grant = services.grant_request_create(
            relocation_request=relocation_request, acting_user=request.user, **data
        )
        return Response(GrantRequestSerializer(grant).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=GrantDecisionSerializer, responses={200: GrantRequestSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        grant = self.get_object()
        data = _valid(GrantDecisionSerializer, request)
        return Response(
            GrantRequestSerializer(
                services.grant_decide(grant=grant, acting_user=request.user, **data)
            ).data
        )

    @extend_schema(request=DaySerializer, responses={200: GrantRequestSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def disburse(self, request, pk=None):
        grant = self.get_object()
        day = _valid(DaySerializer, request).get("day")
        return Response(
            GrantRequestSerializer(
                services.grant_disburse(grant=grant, acting_user=request.user, disbursed_on=day)
            ).data
        )
