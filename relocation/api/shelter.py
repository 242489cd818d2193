"""``relocation-stays``: the shelter referrals the user's organisation raised or that are
addressed to its city; answer, confirm, hosting, complete, withdraw."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema

from relocation.api.referral import ReferralViewSet, create_referral, referral_step
from relocation.selectors.shelter import shelter_referrals_for
from relocation.serializers.referral import DaySerializer
from relocation.serializers.shelter import (
    ShelterAnswerSerializer,
    ShelterCreateSerializer,
    ShelterListSerializer,
    ShelterReferralSerializer,
    StayDatesSerializer,
)
from relocation.services.shelter import SHELTER_STEPS, shelter_referral_create

_Reply = ShelterReferralSerializer


class ShelterReferralViewSet(ReferralViewSet):
    """Shelter referrals your organisation raised or that are addressed to your city."""

    queryset_for = staticmethod(shelter_referrals_for)
    serializer_class = ShelterReferralSerializer
    filter_backends = ()  # the list is in date order, neither searched nor reordered

    # A row of the list leaves out the needs and the family (ShelterListSerializer).
    @extend_schema(responses=ShelterListSerializer(many=True))
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset().order_by("start", "created_at"))
        return self.get_paginated_response(ShelterListSerializer(page, many=True).data)

    create = create_referral(ShelterCreateSerializer, shelter_referral_create, reply=_Reply)
    answer = referral_step("answer", SHELTER_STEPS, body=ShelterAnswerSerializer, reply=_Reply)
    confirm = referral_step("confirm", SHELTER_STEPS, body=StayDatesSerializer, reply=_Reply)
    hosting = referral_step("hosting", SHELTER_STEPS, body=DaySerializer, reply=_Reply)
    complete = referral_step("complete", SHELTER_STEPS, body=DaySerializer, reply=_Reply)
    withdraw = referral_step("withdraw", SHELTER_STEPS, reply=_Reply)
