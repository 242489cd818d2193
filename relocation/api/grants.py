"""``relocation-grants``: the grant requests the user's organisation raised or that are
addressed to it; decide, disburse."""

from __future__ import annotations

from relocation.api.referral import ReferralViewSet, create_referral, referral_step
from relocation.selectors.grants import grants_for
from relocation.serializers.grants import (
    GrantCreateSerializer,
    GrantDecisionSerializer,
    GrantRequestSerializer,
)
from relocation.serializers.referral import DaySerializer
from relocation.services.grants import GRANT_STEPS, grant_request_create


class GrantRequestViewSet(ReferralViewSet):
    """Grant requests your organisation raised or that are addressed to it."""

    queryset_for = staticmethod(grants_for)
    serializer_class = GrantRequestSerializer

    create = create_referral(
        GrantCreateSerializer, grant_request_create, reply=GrantRequestSerializer
    )
    decide = referral_step(
        "decide", GRANT_STEPS, body=GrantDecisionSerializer, reply=GrantRequestSerializer
    )
    disburse = referral_step(
        "disburse", GRANT_STEPS, body=DaySerializer, reply=GrantRequestSerializer
    )
