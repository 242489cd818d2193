"""Tenancy primitives: every read of tenant data is scoped to what a user may see.

- ``TenantModel`` is the abstract base of every tenant-owned model. Its default manager
  *fails closed*: evaluating a queryset that was never scoped raises ``ScopeError``. Code
  says ``visible_to(user)`` (the one visibility rule) or, for cross-tenant maintenance,
  ``unscoped()`` with a comment saying why. PostHog retrofitted this onto ~180 models after
  starting fail-open; we start closed.
- ``get_object_for(user, model, pk)`` is the single access helper for one object: "does not
  exist" and "not yours" give the same 404, so a URL is no existence oracle.
"""

from __future__ import annotations

import contextvars
import functools
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol, Self, TypeVar, cast

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone, translation


class TenantUser(Protocol):
    """What tenancy reads of a user. The core names no app's class: the user model
    (``settings.AUTH_USER_MODEL``) has these, and so has every object handed in its place."""

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...

    @property
    def organisation_id(self) -> Any: ...

    @property
    def can_write(self) -> bool: ...


def organisation_in_force(user: Any) -> bool:
    """False for a member of a deactivated organisation (platform staff, who have none,
    pass). Reads the organisation loaded with the user: ``accounts.backends.UserBackend``
    and ``accounts.authentication.TokenAuthentication`` load both in one query, so on a
    request this costs nothing; elsewhere it reads the organisation once per user object."""
    if getattr(user, "organisation_id", None) is None:
        return True
    return bool(user.organisation.is_active)


def member_in_force(user: Any) -> bool:
    """Whether ``user`` may see any tenant data at all: signed in, active, a member of an
    organisation that is itself active. Every ``visible_to`` starts here (the one check: a
    deactivated organisation's member sees nothing, even from a surviving session or a task
    holding the user object)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.organisation_id is not None
        and organisation_in_force(user)
    )


class ScopeError(RuntimeError):
    """A tenant queryset was evaluated without saying whose data it is."""


# Django's own model validation (unique checks, constraint checks) queries through the
# default manager; those lookups carry the owning organisation and only answer "is this
# value taken", so they run with the scope check lifted.
_system_access: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "hrdcase_system_access", default=False
)


@contextmanager
def system_access() -> Iterator[None]:
    token = _system_access.set(True)
    try:
        yield
    finally:
        _system_access.reset(token)


class TenantQuerySet(models.QuerySet[Any]):
    _scoped: bool = False

    # _clone and _chain are Django's private copy hooks, absent from django-stubs.
    def _clone(self) -> Self:
        clone: Self = super()._clone()  # type: ignore[misc]
        clone._scoped = self._scoped
        return clone

    def _mark_scoped(self) -> Self:
        clone: Self = self._chain()  # type: ignore[attr-defined]
        clone._scoped = True
        return clone

    def _check_scope(self) -> None:
        if not self._scoped and not _system_access.get():
            raise ScopeError(
                f"{self.model.__name__} queried without a scope: use "
                f".visible_to(user), .owned_by(organisation) or .unscoped()"
            )

    # --- scoping entry points -------------------------------------------------------------
    def visible_to(self, user: Any) -> Self:
        """What ``user`` may see. Models with sharing override this (e.g. Case), typed with
        the user model (``settings.AUTH_USER_MODEL``) that the core does not name: hence Any."""
        if not member_in_force(user):
            return self.none()._mark_scoped()
        return self.filter(organisation_id=user.organisation_id)._mark_scoped()

    def owned_by(self, organisation: models.Model) -> Self:
        return self.filter(organisation=organisation)._mark_scoped()

    def unscoped(self) -> Self:
        """Every tenant's rows: only for admin, maintenance and aggregate jobs (say why)."""
        return self._mark_scoped()

    # --- evaluation points guarded ----------------------------------------------------------
    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._check_scope()
        super()._fetch_all()

    def iterator(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        self._check_scope()
        return super().iterator(*args, **kwargs)

    def count(self) -> int:
        self._check_scope()
        return super().count()

    def exists(self) -> bool:
        self._check_scope()
        return super().exists()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._check_scope()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        self._check_scope()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._check_scope()
        return super().delete()

    def in_bulk(self, *args: Any, **kwargs: Any) -> dict[Any, Any]:
        self._check_scope()
        return super().in_bulk(*args, **kwargs)


# Assigned first, then subclassed: the form django-stubs' plugin resolves (a call in the class
# bases is not), so the apps' managers built on it have types.
_TenantManagerBase = models.Manager.from_queryset(TenantQuerySet)


class TenantManager(_TenantManagerBase):
    def get_queryset(self) -> TenantQuerySet:
        queryset = cast(TenantQuerySet, super().get_queryset())
        # A related manager (``case.incidents``) is reached through a parent object that was
        # itself loaded through a scoped path, and filters on it: that is a scope.
        if getattr(self, "instance", None) is not None:
            return queryset.unscoped()
        return queryset


class TenantModel(models.Model):
    """Abstract base of tenant-owned rows: a UUID key (encrypted fields bind to it, and URLs
    cannot be enumerated) and the owning organisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        settings.TENANT_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TenantManager()

    class Meta:
        abstract = True

    def validate_unique(self, exclude: Any = None) -> None:
        with system_access():
            super().validate_unique(exclude=exclude)

    def validate_constraints(self, exclude: Any = None) -> None:
        with system_access():
            super().validate_constraints(exclude=exclude)

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> Any:
        """``get_<field>_display()`` from one dict of translated labels per field and
        language: Django's own translates every choice of the field on each call (0.2 ms for
        ten choices, 20 ms of a case page showing 50 entries)."""
        value = getattr(self, field.attname)
        try:
            labels = _choice_labels(field, translation.get_language())
            return labels.get(value, value)
        except TypeError:  # an unhashable value (none of ours): Django's way
            return super()._get_FIELD_display(field)  # type: ignore[misc]  # private, unstubbed


@functools.lru_cache(maxsize=1024)
def _choice_labels(field: models.Field[Any, Any], language: str | None) -> dict[Any, str]:
    return {value: str(label) for value, label in field.flatchoices}


M = TypeVar("M", bound=models.Model)

NEED_VIEW = "view"
NEED_CHANGE = "change"


def get_object_for(
    user: TenantUser,
    queryset: models.QuerySet[M],
    pk: Any,
    *,
    need: str = NEED_VIEW,
) -> M:
    """One object from ``queryset`` (already ``visible_to(user)``) or 404.

    Missing, malformed and foreign ids all raise the same Http404. A visible object the user
    may not change (a viewer asking to write) raises PermissionDenied: the user already
    knows it exists, so 403 leaks nothing.
    """
    try:
        obj = queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError):
        # ValidationError/ValueError: a malformed id is "not found", never a 500.
        raise Http404 from None
    if need == NEED_CHANGE and not user.can_write:
        raise PermissionDenied
    return obj
