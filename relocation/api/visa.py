"""``relocation-visas``: the visa referrals the user's organisation raised or that are
addressed to its mission; the mission's queue; decide, withdraw."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema

from hrdcase.schema import BAD_FILTER
from relocation.api.referral import ReferralViewSet, create_referral, referral_step, valid_query
from relocation.models import VisaReferral
from relocation.selectors.visa import visa_queue_for, visa_referrals_for
from relocation.serializers.visa import (
    VisaDecisionSerializer,
    VisaListFiltersSerializer,
    VisaReferralCreateSerializer,
    VisaReferralSerializer,
)
from relocation.services.visa import VISA_STEPS, visa_referral_create


class VisaReferralViewSet(ReferralViewSet):
    """Visa referrals your organisation raised or that are addressed to your mission."""

    queryset_for = staticmethod(visa_referrals_for)
    serializer_class = VisaReferralSerializer
    filter_backends = ()  # the list is in deadline order, neither searched nor reordered

    @extend_schema(
        parameters=[VisaListFiltersSerializer],
        responses={200: VisaReferralSerializer(many=True), 400: BAD_FILTER},
    )
    def list(self, request, *args, **kwargs):
        params = valid_query(VisaListFiltersSerializer, request)
        if params.get("side") == "queue":
            queryset = visa_queue_for(
                request.user, status=params.get("status", VisaReferral.Status.PENDING)
            ).select_related("request", "mission")
        else:
            queryset = self.get_queryset().order_by("deadline", "created_at")
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(VisaReferralSerializer(page, many=True).data)

    create = create_referral(
        VisaReferralCreateSerializer, visa_referral_create, reply=VisaReferralSerializer
    )
    decide = referral_step(
        "decide", VISA_STEPS, body=VisaDecisionSerializer, reply=VisaReferralSerializer
    )
    withdraw = referral_step("withdraw", VISA_STEPS, reply=VisaReferralSerializer)
