"""REST API foundation: one scoped base viewset, pagination, error format.

Every API view over tenant data derives from ``ScopedViewSet``. It gets its rows from the
view's ``queryset_for(user)`` (a scoped entry point such as ``Model.objects.visible_to``)
and single objects through ``get_object_for``, so "not found" and "not yours" are the same
404. Subclasses may not override ``get_queryset``/``get_object`` (checked at class creation,
as PostHog's TeamAndOrgViewSetMixin does): the scoping cannot be bypassed by accident.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.views import APIView

from hrdcase.tenancy import NEED_CHANGE, NEED_VIEW, get_object_for


class RolePermission(permissions.BasePermission):
    """Reads for every member; writes for admins and officers; ``admin_only`` views for admins.

    On object routes the role is checked only after the scoped lookup, so a user of another
    organisation gets the same 404 as for a missing object, never a 403 that confirms it exists.
    """

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", None)
        if lookup in view.kwargs:
            return True  # decided in has_object_permission, after get_object_for
        return self._role_allows(request, view, user)

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        return self._role_allows(request, view, request.user)

    @staticmethod
    def _role_allows(request: Request, view: APIView, user: Any) -> bool:
        if getattr(view, "admin_only", False):
            return bool(user.is_org_admin)
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(user.can_write)


class ScopedViewSet(viewsets.GenericViewSet):
    """Base of every API viewset over tenant data."""

    #: returns the rows ``user`` may see, from a scoped entry point; required.
    queryset_for: ClassVar[Callable[..., QuerySet[Any]]]
    #: set on viewsets that only organisation admins may use.
    admin_only: ClassVar[bool] = False
    #: actions besides ``list`` whose answer is a page (the OpenAPI schema's envelope).
    paginated_actions: ClassVar[tuple[str, ...]] = ()
    permission_classes = [RolePermission]
    lookup_value_converter = "uuid"

    _FORBIDDEN_OVERRIDES = ("get_queryset", "get_object")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in cls._FORBIDDEN_OVERRIDES:
            if name in cls.__dict__:
                raise TypeError(
                    f"{cls.__name__} overrides {name}: scope rows through queryset_for instead"
                )

    def get_queryset(self) -> QuerySet[Any]:
        return self.queryset_for(self.request.user)

    def get_object(self) -> Model:
        lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        need = NEED_VIEW if self.request.method in permissions.SAFE_METHODS else NEED_CHANGE
        obj: Model = get_object_for(
            self.request.user,  # type: ignore[arg-type]  # RolePermission let only members in
            self.filter_queryset(self.get_queryset()),
            lookup,
            need=need,
        )
        self.check_object_permissions(self.request, obj)
        return obj


def query_flag(request: Request, name: str) -> bool:
    """A yes/no query parameter: absent or empty is no; true/false, 1/0, yes/no, on/off as
    DRF reads them; anything else a 400 naming it. (Read as "present or not", the schema's
    boolean ``?unread=false`` listed only the unread ones.)"""
    value = request.query_params.get(name, "")
    if value == "":
        return False
    try:
        return serializers.BooleanField().to_internal_value(value)
    except ValidationError as error:
        raise ValidationError({name: error.detail}) from None
