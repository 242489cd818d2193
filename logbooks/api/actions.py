"""REST routes of diplomatic actions: ``cases/<case>/actions/`` (list, record one) and
``actions/`` (the joint actions my organisation takes part in; one action, ``transition/``,
``invite/``, ``answer/``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Organisation
from cases.models import Hearing
from cases.selectors.court import hearings_of_case
from hrdcase.api import ScopedViewSet
from hrdcase.schema import CONFLICT
from logbooks.api.case_routes import CaseNestedViewSet, milestone_on
from logbooks.models import DiplomaticAction
from logbooks.selectors import actions as selectors
from logbooks.serializers.actions import (
    ActionAnswerSerializer,
    ActionInputSerializer,
    ActionInviteSerializer,
    ActionSerializer,
    ActionTransitionSerializer,
)
from logbooks.services import actions as services


def hearing_on(case, hearing_id) -> Hearing | None:
    """The request's hearing id turned into one of ``case``'s hearings (400 otherwise); the
    service checks that the caller sees the full file."""
    if hearing_id is None:
        return None
    hearing = hearings_of_case(case).filter(pk=hearing_id).first()
    if hearing is None:
        raise ValidationError({"hearing": _("Choose a hearing of this case.")})
    return hearing


def _action_context(request, actions: Iterable[DiplomaticAction]) -> dict[str, Any]:
    visible = selectors.cases_seen(request.user, actions)
    return {
        "request": request,
        "visible_cases": visible,
        "full_cases": selectors.cases_seen_in_full(request.user, visible),
    }


class CaseActionViewSet(mixins.ListModelMixin, CaseNestedViewSet):
    serializer_class = ActionSerializer

    def queryset_for(self, user) -> QuerySet[DiplomaticAction]:
        if self.case is None:
            return DiplomaticAction.objects.unscoped().none()
        return selectors.actions_of_case(self.case, user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.case is not None:
            context["visible_cases"] = {self.case.pk}
            sees_full = self.access is not None and self.access.sees_identity
            context["full_cases"] = {self.case.pk} if sees_full else set()
        return context

    @extend_schema(request=ActionInputSerializer, responses={201: ActionSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ActionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["milestone"] = milestone_on(self.case, data.pop("milestone", None))
        observation = services.Observation(
            hearing=hearing_on(self.case, data.pop("hearing")),
            attended=data.pop("attended"),
            hearing_outcome=data.pop("hearing_outcome"),
            next_hearing_on=data.pop("next_hearing_on"),
        )
        created = services.action_create(
            case=self.case, acting_user=request.user, observation=observation, **data
        )
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
