"""Accounts API: who am I, and the organisation's members (managed by its admins)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.selectors import users_visible_to
from accounts.serializers import (
    InviteSerializer,
    MemberSerializer,
    MeSerializer,
    MeUpdateSerializer,
    RoleSerializer,
)
from hrdcase.api import ScopedViewSet
from hrdcase.schema import BAD_REQUEST


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeUpdateSerializer, responses=MeSerializer)
    def patch(self, request):
        """Choose your own time zone (empty: your organisation's). Pages show every date and
        time in it; the API answers in UTC."""
        serializer = MeUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_set_time_zone(
            user=request.user, time_zone=serializer.validated_data["time_zone"]
        )
        return Response(MeSerializer(request.user).data)


class MemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Members of your organisation. Only its administrators use this endpoint."""

    queryset_for = staticmethod(users_visible_to)
    serializer_class = MemberSerializer
    admin_only = True
    search_fields = ["email", "full_name"]
    ordering_fields = ["email", "date_joined", "role"]
    filterset_fields = ["role", "is_active"]

    @extend_schema(request=InviteSerializer, responses={201: MemberSerializer})
    def create(self, request):
        """Invite a new member: the account stays inactive until they accept the e-mail link."""
        serializer = InviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user, _link = services.user_invite(
            organisation=request.user.organisation,
            acting_user=request.user,
            **serializer.validated_data,
        )
        return Response(MemberSerializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RoleSerializer, responses=MemberSerializer)
    def partial_update(self, request, pk=None):
        """Change a member's role."""
        member = self.get_object()
        serializer = RoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_change_role(
            user=member, role=serializer.validated_data["role"], acting_user=request.user
        )
        return Response(MemberSerializer(member).data)

    # 400: their own account, or the organisation's last administrator.
    @extend_schema(request=None, responses={200: MemberSerializer, 400: BAD_REQUEST})
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        member = self.get_object()
        services.user_deactivate(user=member, acting_user=request.user)
        return Response(MemberSerializer(member).data)

    # 400: an invitation never accepted.
    @extend_schema(request=None, responses={200: MemberSerializer, 400: BAD_REQUEST})
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        member = self.get_object()
        services.user_reactivate(user=member, acting_user=request.user)
        return Response(MemberSerializer(member).data)
