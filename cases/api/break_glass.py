"""POST /api/v1/cases/{id}/break-glass/: open a shared case's full file in an emergency.

Same rules as the page: 404 for a case the user cannot see; 403 for one they see but may not
break the glass on (owner, non-admin, ``full`` partner); 400 naming ``reason``; 409 when an
opening of their organisation is already in force; 201 with the opening otherwise.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.access import get_case_for
from cases.selectors.break_glass import break_glass_refusal
from cases.serializers.break_glass import BreakGlassOpenSerializer, BreakGlassSerializer
from cases.services.break_glass import break_glass_open
from hrdcase.schema import CONFLICT


class BreakGlassView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=BreakGlassOpenSerializer,
        responses={201: BreakGlassSerializer, 409: CONFLICT},
        summary="Open the full file of a shared case for 24 hours (break-glass)",
    )
    def post(self, request, pk):
        case, _access = get_case_for(request.user, pk)
        refusal = break_glass_refusal(request.user, case)
        if refusal is not None:
            raise PermissionDenied(refusal)
        serializer = BreakGlassOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        opening = break_glass_open(
            case=case, reason=serializer.validated_data["reason"], acting_user=request.user
        )
        return Response(BreakGlassSerializer(opening).data, status=status.HTTP_201_CREATED)
