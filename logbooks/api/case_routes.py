"""What the nested case routes of the logbooks API (``cases/<case>/entries/``,
``cases/<case>/actions/``) share: the case opened first, and a benchmark named by id."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from rest_framework import permissions

from cases.access import CaseAccess, require_writer
from cases.models import BenchmarkMilestone, Case
from hrdcase.api import ScopedViewSet
from logbooks.access import open_case


class CaseRoutePermission(permissions.BasePermission):
    """Nested case routes: open the case first (404 for anyone who cannot see it), then the
    role decides writes (a viewer of the owner gets 403, which leaks nothing to them)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        view.open_case()
        if request.method not in permissions.SAFE_METHODS:
            require_writer(user)
        return True


class CaseNestedViewSet(ScopedViewSet):
    permission_classes = [CaseRoutePermission]
    case: Case | None = None
    access: CaseAccess | None = None

    def open_case(self) -> None:
        self.case, self.access = open_case(
            self.request.user,
            self.kwargs.get("case_pk"),
            writing=self.request.method not in permissions.SAFE_METHODS,
        )


def milestone_on(case: Case, pk: Any) -> BenchmarkMilestone | None:
    """The benchmark ``pk`` of ``case`` named in a request body; 400 for any other."""
    if pk is None:
        return None
    milestone = (
        BenchmarkMilestone.objects.owned_by(case.organisation)
        .filter(pk=pk, detention__incident__case=case)
        .select_related("detention__incident")
        .first()
    )
    if milestone is None:
        raise ValidationError({"milestone": "No such benchmark on this case."})
    return milestone
