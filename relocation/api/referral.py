"""What the referral viewsets share (visa, shelter, grant): the base class, creating a
referral on one of the user's requests, and a step on one referral, each declared in one line
by its viewset."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from accounts.models import User
from hrdcase.api import ScopedViewSet
from hrdcase.schema import BODY_NOT_FOUND, CONFLICT
from hrdcase.tenancy import get_object_for
from relocation.selectors.requests import request_for
from relocation.services.referral import Step


def valid_body(serializer_class: type[Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def valid_query(serializer_class: type[Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Referrals the user's organisation raised or that are addressed to it."""


def create_referral(
    body: type[Serializer], service: Callable[..., Any], *, reply: type[Serializer]
) -> Callable[..., Response]:
    """``create`` of a referral viewset: ``body`` names the request (404 if the user cannot
    see it), ``service`` writes the referral, ``reply`` shows it (201)."""

    @extend_schema(request=body, responses={201: reply, 404: BODY_NOT_FOUND, 409: CONFLICT})
    def create(self, request: Request) -> Response:
        data = valid_body(body, request)
        user = cast(User, request.user)  # RolePermission: a signed-in writer
        relocation_request = get_object_for(user, request_for(user), data.pop("request"))
        created = service(relocation_request=relocation_request, acting_user=user, **data)
        return Response(reply(created).data, status=status.HTTP_201_CREATED)

    return create


def referral_step(
    name: str,
    steps: Mapping[str, Step],
    *,
    reply: type[Serializer],
    body: type[Serializer] | None = None,
) -> Callable[..., Response]:
    """``POST .../<name>/`` on one referral: ``body`` checked, then the step ``name`` of
    ``steps``; ``reply`` shows the referral (409 with ``allowed`` when its state forbids the
    step)."""

    def handler(self, request: Request, pk=None) -> Response:
        referral = self.get_object()
        data = valid_body(body, request) if body is not None else {}
        user = cast(User, request.user)  # RolePermission: a signed-in writer
        return Response(reply(steps[name](referral, user, data)).data)

    # The router and the schema name the route and the operation after the function.
    handler.__name__ = name
    routed = action(detail=True, methods=["post"])(handler)
    return extend_schema(request=body, responses={200: reply, 409: CONFLICT})(routed)
