"""``relocation-grants``: the grant requests the user's organisation raised or that are
addressed to it; decide, disburse."""

from __future__ import annotations

from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from cases.access import get_case_for
from hrdcase.schema import BODY_NOT_FOUND, CONFLICT
from hrdcase.tenancy import get_object_for
from relocation.api.referral import (
    ReferralViewSet,
    referral_step,
    valid_body,
)
from relocation.selectors.grants import grants_for
from relocation.selectors.requests import request_for
from relocation.serializers.grants import (
    GrantCreateSerializer,
    GrantDecisionSerializer,
    GrantRequestSerializer,
)
from relocation.serializers.referral import DaySerializer
from relocation.services.access import REFERRAL_PERMISSION
from relocation.services.grants import (
    GRANT_STEPS,
    grant_request_create,
    grant_request_on_case,
)

#: what only a grant on its own takes.
_ON_CASE_ONLY = ("urgency", "confirm_situation", "confirm_need", "confirm_consent")


class GrantRequestViewSet(ReferralViewSet):
    """Grant requests your organisation raised or that are addressed to it."""

    queryset_for = staticmethod(grants_for)
    serializer_class = GrantRequestSerializer

    @extend_schema(
        request=GrantCreateSerializer,
        responses={201: GrantRequestSerializer, 404: BODY_NOT_FOUND, 409: CONFLICT},
    )
    def create(self, request: Request) -> Response:
        """Within a relocation request (``request``) or on a case on its own (``case``: the
        owner, or a partner whose live share grants referrals; 404 otherwise)."""
        data = valid_body(GrantCreateSerializer, request)
        user = cast(User, request.user)  # RolePermission: a signed-in writer
        if data.get("request"):
            relocation_request = get_object_for(user, request_for(user), data.pop("request"))
            for name in (*_ON_CASE_ONLY, "case"):
                data.pop(name, None)
            created = grant_request_create(
                relocation_request=relocation_request, acting_user=user, **data
            )
            return Response(GrantRequestSerializer(created).data, status=status.HTTP_201_CREATED)
        case, _access = get_case_for(user, data.pop("case"), need=REFERRAL_PERMISSION)
        data.pop("request", None)
        created = grant_request_on_case(case=case, acting_user=user, **data)
        return Response(GrantRequestSerializer(created).data, status=status.HTTP_201_CREATED)

    decide = referral_step(
        "decide", GRANT_STEPS, body=GrantDecisionSerializer, reply=GrantRequestSerializer
    )
    disburse = referral_step(
        "disburse", GRANT_STEPS, body=DaySerializer, reply=GrantRequestSerializer
    )
