"""``/api/v1/cases/{case}/proceedings/`` (court proceedings, and ``{id}/hearings/`` to add a
hearing) and ``/api/v1/cases/{case}/hearings/`` (every hearing of the case with its observers;
``{id}/observers/`` plans one, ``{id}/observers/{observer}/`` records whether it attended).

Reads need the full file (owner, ``full`` partner; a ``feedback`` partner or a stranger gets
404), writes the owner organisation's officers (``CasePartViewSet``).
"""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from cases.api.case import CasePartViewSet
from cases.models import Case, Detention, Hearing, HearingObserver, Proceeding
from cases.selectors.court import hearings_of_case, observer_of, proceedings_of
from cases.serializers.court import (
    CourtHearingSerializer,
    HearingScheduleSerializer,
    ObserverPlanSerializer,
    ObserverRecordSerializer,
    ObserverSerializer,
    ProceedingInputSerializer,
    ProceedingSerializer,
    ProceedingUpdateSerializer,
)
from cases.services import court as services


def _detention(case: Case, data: dict[str, Any]) -> dict[str, Any]:
    """The request's detention id turned into one of the case's detentions (400 otherwise)."""
    if "detention" not in data or data["detention"] is None:
        return data
    detention = (
        Detention.objects.owned_by(case.organisation)
        .filter(pk=data["detention"], incident__case=case)
        .first()
    )
    if detention is None:
        raise ValidationError({"detention": _("Choose a detention of this case.")})
    return {**data, "detention": detention}


class _CourtRoutes(CasePartViewSet):
    """Typed access to what ``CasePartViewSet`` opened (the case) and to the member."""

    @property
    def opened(self) -> Case:
        return cast(Case, self.case)

    @property
    def member(self) -> User:
        return cast(User, self.request.user)


class ProceedingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _CourtRoutes):
    """The court proceedings of a case, each with its hearings and their observers."""

    serializer_class = ProceedingSerializer
    filterset_fields = ["status", "defender_role"]

    def queryset_for(self, user) -> QuerySet[Proceeding]:
        if self.case is None:  # schema generation: no request case
            return Proceeding.objects.unscoped().none()
        return proceedings_of(self.opened)

    def list(self, request: Request, *args, **kwargs) -> Response:
        self._viewed()
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        self._viewed()
        return super().retrieve(request, *args, **kwargs)

    def _answer(self, proceeding: Proceeding, code: int = status.HTTP_200_OK) -> Response:
        fresh = proceedings_of(self.opened).get(pk=proceeding.pk)
        return Response(ProceedingSerializer(fresh).data, status=code)

    @extend_schema(request=ProceedingInputSerializer, responses={201: ProceedingSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        """Record a court proceeding (with or without a detention: ``detention`` links one of
        the case's)."""
        serializer = ProceedingInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proceeding = services.proceeding_create(
            case=self.opened,
            acting_user=self.member,
            **_detention(self.opened, serializer.validated_data),
        )
        return self._answer(proceeding, status.HTTP_201_CREATED)

    @extend_schema(request=ProceedingUpdateSerializer, responses=ProceedingSerializer)
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        proceeding = cast(Proceeding, self.get_object())
        serializer = ProceedingUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.proceeding_update(
            proceeding=proceeding,
            acting_user=self.member,
            **_detention(self.opened, serializer.validated_data),
        )
        return self._answer(proceeding)

    @extend_schema(request=HearingScheduleSerializer, responses={201: CourtHearingSerializer})
    @action(detail=True, methods=["post"])
    def hearings(self, request: Request, *args, **kwargs) -> Response:
        """Add a hearing (court empty: the proceeding's). Under a detention linked to the
        proceeding, a trial-observation milestone is planned for it."""
        proceeding = cast(Proceeding, self.get_object())
        serializer = HearingScheduleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        hearing = services.hearing_schedule(
            proceeding=proceeding, acting_user=self.member, **serializer.validated_data
        )
        fresh = hearings_of_case(self.opened).get(pk=hearing.pk)
        return Response(CourtHearingSerializer(fresh).data, status=status.HTTP_201_CREATED)


OBSERVER_PK = OpenApiParameter(
    "observer_pk", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The observer row."
)


class HearingFilter(django_filters.FilterSet):
    """``?proceeding=<id>``: by the id alone. The default filter of a foreign key looked the
    proceeding up through its fail-closed manager (a 500 Schemathesis found); the hearings
    are already the case's, so an id of anything else just lists nothing."""

    proceeding = django_filters.UUIDFilter(field_name="proceeding_id")

    class Meta:
        model = Hearing
        fields: list[str] = []


class HearingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _CourtRoutes):
    """Every hearing of a case (soonest first) with the missions planned to observe it."""

    serializer_class = CourtHearingSerializer
    filterset_class = HearingFilter
    ordering_fields = ["date", "created_at"]

    def queryset_for(self, user) -> QuerySet[Hearing]:
        if self.case is None:  # schema generation: no request case
            return Hearing.objects.unscoped().none()
        return hearings_of_case(self.opened)

    def list(self, request: Request, *args, **kwargs) -> Response:
        self._viewed()
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        self._viewed()
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=ObserverPlanSerializer, responses={201: ObserverSerializer})
    @action(detail=True, methods=["post"])
    def observers(self, request: Request, *args, **kwargs) -> Response:
        """Plan an observer: the owner organisation or a partner that follows the case, and
        who goes (a member of the owner organisation; a partner names its own). As the page's
        form: the organisation is one of the case's (one message for any other id, known or
        not) and the observer one of the acting organisation's active members (naming one of
        another organisation's is refused before anyone is looked up there)."""
        hearing = cast(Hearing, self.get_object())
        serializer = ObserverPlanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = (
            services.partners_of_case(self.opened).filter(pk=data["organisation"]).first()
        )
        if organisation is None:
            raise ValidationError({"organisation": services.not_a_partner_message()})
        observer = None
        if data["observer"] is not None:
            if organisation.pk != self.member.organisation_id:
                raise ValidationError({"observer": services.own_observer_message()})
            observer = User.objects.filter(
                pk=data["observer"], organisation=organisation, is_active=True
            ).first()
            if observer is None:
                raise ValidationError(
                    {"observer": _("The observer must be an active member of your organisation.")}
                )
        row = services.hearing_observer_plan(
            hearing=hearing, organisation=organisation, observer=observer, acting_user=self.member
        )
        return Response(ObserverSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ObserverRecordSerializer,
        responses=ObserverSerializer,
        parameters=[OBSERVER_PK],
    )
    @action(
        detail=True,
        methods=["patch"],
        url_path=r"observers/(?P<observer_pk>[0-9a-fA-F-]{36})",
        url_name="observer",
    )
    def observer(self, request: Request, *args, observer_pk=None, **kwargs) -> Response:
        """Record whether the observing mission attended (or set it back to planned)."""
        hearing = cast(Hearing, self.get_object())
        row: HearingObserver = observer_of(self.opened, observer_pk)
        if row.hearing_id != hearing.pk:
            raise Http404
        serializer = ObserverRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = services.hearing_observer_record(
            observer_row=row, acting_user=self.member, **serializer.validated_data
        )
        return Response(ObserverSerializer(row).data)
