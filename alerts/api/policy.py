"""REST routes of the organisation's escalation policy: ``escalation-steps/`` (list, add,
remove, ``reset/``); its administrators change it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import ProtectionNetwork
from alerts.models import EscalationStep
from alerts.serializers.policy import EscalationStepCreateSerializer, EscalationStepSerializer
from alerts.services.policy import (
    escalation_policy_reset,
    escalation_step_add,
    escalation_step_remove,
    policy_for,
    policy_steps,
)
from cases.access import require_org_admin
from hrdcase.api import ScopedViewSet
from hrdcase.tenancy import get_object_for


def _own_steps(user):
    if user.organisation_id is None:
        return EscalationStep.objects.none()
    return (
        EscalationStep.objects.visible_to(user).select_related("network").order_by("after_seconds")
    )


class EscalationStepViewSet(mixins.ListModelMixin, ScopedViewSet):
    """The organisation's escalation policy. Members read it; administrators change it."""

    queryset_for = staticmethod(_own_steps)
    serializer_class = EscalationStepSerializer
    admin_only = False
    filter_backends = ()
    pagination_class = None

    def list(self, request, *args, **kwargs):
        organisation = request.user.organisation
        steps = policy_steps(policy_for(organisation)) if organisation else []
        return Response(EscalationStepSerializer(steps, many=True).data)

    @extend_schema(
        request=EscalationStepCreateSerializer, responses={201: EscalationStepSerializer}
    )
    def create(self, request, *args, **kwargs):
        require_org_admin(request.user)
        serializer = EscalationStepCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        network = None
        if data["network"] is not None:
            network = ProtectionNetwork.objects.filter(pk=data["network"]).first()
            if network is None:
                raise ValidationError({"network": _("Unknown protection network.")})
        step = escalation_step_add(
            organisation=request.user.organisation,
            after_minutes=data["after_minutes"],
            target=data["target"],
            role=data["role"],
            network=network,
            acting_user=request.user,
        )
        return Response(EscalationStepSerializer(step).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)])
    def destroy(self, request, *args, **kwargs):
        step = get_object_for(request.user, _own_steps(request.user), kwargs[self.lookup_field])
        require_org_admin(request.user)
        escalation_step_remove(step=step, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=EscalationStepSerializer(many=True))
    @action(detail=False, methods=["post"])
    def reset(self, request):
        require_org_admin(request.user)
        policy = escalation_policy_reset(
            organisation=request.user.organisation, acting_user=request.user
        )
        return Response(EscalationStepSerializer(policy_steps(policy), many=True).data)
