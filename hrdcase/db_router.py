"""Reads of dashboards on a read replica (``HRDCASE_REPLICA_URL``, docs/deploy.md "Read replica").

The replica is opt-in per block of code, never per model: ``use_replica()`` (a context manager
and a decorator) sends the ORM's reads inside it to the ``replica`` alias, and everything else
stays on the primary (``default``). The dashboards' figures and their CSV / ZIP exports use it,
after their access check and outside their audited write; nothing else does. So:

- writes always go to the primary (``db_for_write`` is never the replica), and so do the
  migrations;
- auth, sessions and tenancy checks run outside any ``use_replica()`` block (the middleware and
  the views' access checks come first), and the models of identity, membership, permission
  and audit are read from the primary even inside one (``PRIMARY_ONLY_APPS``);
- a read after a write in the same block goes to the primary: the first write pins the rest
  of the block there, and so does an open transaction on the primary (a read in it may depend
  on what it wrote, and must see its own writes);
- without a replica configured (``REPLICA_READS`` off) ``use_replica()`` changes nothing.

The state is a context variable: each gunicorn thread, and each request, has its own.
"""

from __future__ import annotations

from contextlib import ContextDecorator
from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Model

REPLICA = "replica"
PRIMARY = "default"

#: models read from the primary even inside ``use_replica()``: who someone is, what they may
#: see (membership, roles, permissions, sessions, 2FA, lockout) and the audit chain.
PRIMARY_ONLY_APPS = frozenset(
    {
        "auth",
        "contenttypes",
        "sessions",
        "admin",
        "accounts",
        "guardian",
        "knox",
        "otp_totp",
        "otp_static",
        "axes",
        "hrdcase",
    }
)


@dataclass
class _Scope:
    #: a write happened inside the block: every later read of it goes to the primary.
    pinned: bool = False


_scope: ContextVar[_Scope | None] = ContextVar("hrdcase_replica_scope", default=None)


def replica_enabled() -> bool:
    return bool(getattr(settings, "REPLICA_READS", False)) and REPLICA in settings.DATABASES


class use_replica(ContextDecorator):  # used like a function: `with use_replica():`
    """Reads of the ORM inside this block go to the replica (see the module's rules).
    Nested blocks share the outer block's pin."""

    def __enter__(self) -> use_replica:
        self._token: Token[_Scope | None] | None = None
        if _scope.get() is None:
            self._token = _scope.set(_Scope())
        return self

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            _scope.reset(self._token)


def _reads_from_replica(model: type[Model]) -> bool:
    scope = _scope.get()
    if scope is None or scope.pinned or not replica_enabled():
        return False
    if model._meta.app_label in PRIMARY_ONLY_APPS:
        return False
    # Inside a transaction on the primary: its reads must see its writes.
    return not connections[PRIMARY].in_atomic_block


class ReplicaRouter:
    """``DATABASE_ROUTERS``: the replica for reads inside ``use_replica()``, else the primary."""

    def db_for_read(self, model: type[Model], **_hints: Any) -> str | None:
        return REPLICA if _reads_from_replica(model) else None

    def db_for_write(self, model: type[Model], **_hints: Any) -> str | None:
        scope = _scope.get()
        if scope is not None:
            scope.pinned = True  # read-after-write: the rest of the block reads the primary
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **_hints: Any) -> bool | None:
        # The same data on both: an object read from the replica may be related to one from
        # the primary (and saved, on the primary).
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA, None}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **_hints: Any) -> bool | None:
        # The replica follows the primary by replication, never by migrate.
        return False if db == REPLICA else None
