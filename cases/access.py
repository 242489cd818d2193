"""Who may see which part of a case: the only place that talks to django-guardian.

A share level maps to a fixed set of object permissions granted to the partner
organisation's group. Owners have every part; partners have what their level grants.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from guardian.shortcuts import assign_perm, remove_perm

from cases.models import Case, CaseGroupObjectPermission, CaseShare
from cases.registries import parts
from cases.selectors.break_glass import break_glass_active
from hrdcase.tenancy import NEED_CHANGE, NEED_VIEW, get_object_for, member_in_force

if TYPE_CHECKING:
    from accounts.models import Organisation, User

LEVEL_PERMISSIONS: dict[str, tuple[str, ...]] = {
    CaseShare.Level.FULL: (
        "view_case",
        "view_case_identity",
        "view_case_risk",
        "add_shared_entry",
        "add_case_referral",
    ),
    CaseShare.Level.FEEDBACK: ("view_case", "add_shared_entry"),
    CaseShare.Level.RELOCATION: ("view_case_referrals",),
}
ALL_SHARE_PERMISSIONS = tuple(sorted({p for perms in LEVEL_PERMISSIONS.values() for p in perms}))

#: What a break-glass opening adds to a feedback partner's permissions while it is in force
#: (``cases.selectors.break_glass.break_glass_active``): the full file, read only.
BREAK_GLASS_PERMISSIONS: frozenset[str] = frozenset({"view_case_identity", "view_case_risk"})

# What a need means for a partner: owners' members pass on role alone.
NEED_IDENTITY = "view_case_identity"
NEED_RISK = "view_case_risk"
#: the owner organisation's members, whatever their role (its consents, its shares).
NEED_OWNER = "owner"


def grant_level(*, case: Case, organisation: Organisation, level: str) -> None:
    for codename in LEVEL_PERMISSIONS[level]:
        assign_perm(f"cases.{codename}", organisation.group, case)


def revoke_all(*, case: Case, organisation: Organisation) -> None:
    for codename in ALL_SHARE_PERMISSIONS:
        remove_perm(f"cases.{codename}", organisation.group, case)


T = TypeVar("T")
_PARTS_PRESENT = "cases.parts_present"


@dataclass(frozen=True)
class CaseAccess:
    """What one user may do with one visible case."""

    case: Case
    is_owner: bool
    permissions: frozenset[str]
    can_write_role: bool
    #: the BreakGlassAccess that widened a feedback partner's access, while it lasts.
    break_glass: object | None = None
    #: the viewer's organisation: timeline providers show a partner its own internal rows.
    viewer_organisation_id: object | None = None
    #: rows already read for this viewer and case during this request (see ``remember``).
    _memo: dict[str, Any] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def remember(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per ``CaseAccess`` (one request, one viewer, one case): the
        case page's panels and timeline providers share the rows they both show instead of
        reading them twice. ``compute`` must return what ``self`` may see (a list, not a
        lazy queryset), the same for every caller using ``key``.

        A part registered with ``cases.registries.parts.register_part(key, ...)`` that the case does
        not have is ``[]`` without calling ``compute`` (one query asks for every part)."""
        if key not in self._memo:
            self._memo[key] = compute() if self.has_part(key) else []
        return self._memo[key]

    def remembered(self, key: str) -> Any | None:
        """What ``remember(key, ...)`` kept during this request, or None (not read yet)."""
        return self._memo.get(key)

    def has_part(self, key: str) -> bool:
        """Whether the case may have rows of the registered part ``key`` (one query asks
        for every part, once per request); True for a key no part is registered under."""
        if not parts.is_registered(key):
            return True
        if _PARTS_PRESENT not in self._memo:
            self._memo[_PARTS_PRESENT] = parts.parts_present(self.case)
        return self._memo[_PARTS_PRESENT].get(key, True)

    @property
    def level(self) -> str | None:
        if self.is_owner:
            return None
        if "view_case_identity" in self.permissions:
            return CaseShare.Level.FULL
        if "view_case" in self.permissions:
            return CaseShare.Level.FEEDBACK
        return None

    def has(self, codename: str) -> bool:
        return self.is_owner or codename in self.permissions

    @property
    def sees_identity(self) -> bool:
        return self.has("view_case_identity")

    @property
    def sees_risk(self) -> bool:
        return self.has("view_case_risk")

    @property
    def can_edit(self) -> bool:
        """Change the case itself (status, summary, consent, shares): owners' writers only."""
        return self.is_owner and self.can_write_role


def live_permissions(organisation: Organisation, case: Case) -> frozenset[str]:
    """What a share lets ``organisation`` (a partner) do with ``case`` *now*: its group's
    permission rows, unless the share has lapsed (past its expiry, not yet swept) or the
    organisation was deactivated. One query."""
    if not organisation.is_active:
        return frozenset()
    lapsed = CaseShare.objects.unscoped().lapsed().filter(case=case, partner=organisation)
    rows = CaseGroupObjectPermission.objects.filter(
        group_id=organisation.group_id, content_object_id=case.pk
    ).exclude(content_object_id__in=lapsed.values("case_id"))
    return frozenset(rows.values_list("permission__codename", flat=True))


def partner_group_ids(case: Case, codename: str) -> QuerySet:
    """The groups of the partner organisations a live share grants ``codename`` on ``case``
    (a subquery: alerts' recipients, who may open an alert)."""
    lapsed = CaseShare.objects.unscoped().lapsed().filter(case=case).values("partner_id")
    return (
        CaseGroupObjectPermission.objects.filter(content_object=case, permission__codename=codename)
        .exclude(group__organisation__in=lapsed)
        .values("group_id")
    )


def require_case_write(*, case: Case, acting_user: User, need: str = NEED_CHANGE) -> None:
    """The last line of every write on a case: services call it even when their view checked
    first, so a task, a command or a new endpoint cannot skip it (DESIGN.md, "When access
    ends"). The acting user must be a writer (admin, officer) of an active organisation that
    holds the case *now*: its owner, or, when ``need`` is a part codename
    (``add_shared_entry``, ``add_case_referral``...), a partner whose live share grants it.
    ``need=change`` (the default) is the owner's alone. Raises ``PermissionDenied``."""
    organisation = acting_user.organisation if acting_user.organisation_id else None
    if organisation is None or not acting_user.can_write or not organisation.is_active:
        raise PermissionDenied
    if case.organisation_id == organisation.pk:
        return
    if need == NEED_CHANGE or need not in live_permissions(organisation, case):
        raise PermissionDenied


def case_access(user: User, case: Case) -> CaseAccess:
    is_owner = case.organisation_id == user.organisation_id
    permissions: frozenset[str] = frozenset()
    break_glass = None
    if not is_owner:
        permissions = live_permissions(user.organisation, case)
        if "view_case" in permissions and "view_case_identity" not in permissions:
            break_glass = break_glass_active(user, case)
            if break_glass is not None:
                permissions = permissions | BREAK_GLASS_PERMISSIONS
    return CaseAccess(
        case=case,
        is_owner=is_owner,
        permissions=permissions,
        can_write_role=user.can_write,
        break_glass=break_glass,
        viewer_organisation_id=user.organisation_id,
    )


def _visible_case(user: User, case_id) -> Case:
    """The row of ``case_id`` for ``get_case_for``, which applies ``Case.visible_to``'s rule
    to it: a member in force, and the owner or a live share granting ``view_case`` (the
    permissions ``case_access`` reads anyway). Reading one row by its key and checking it
    costs ~2 ms less on every case page than building the visible id union around it.

    The owner and the lead officer come in the same query: the case page, its panels and the
    scoping of the case's parts (``owned_by(case.organisation)``) all read them."""
    if not member_in_force(user):
        raise Http404
    # unscoped: the one row asked for, checked by get_case_for before anything reads it
    rows = Case.objects.unscoped().select_related("defender", "organisation", "lead_officer")
    return get_object_for(user, rows, case_id)


def get_case_for(user: User, case_id, *, need: str = NEED_VIEW) -> tuple[Case, CaseAccess]:
    """The case ``case_id`` if ``user`` may open it, with what they may do; 404 otherwise.

    ``need`` is ``view``; ``owner`` (the owner organisation's members); ``change`` (the owner
    organisation's writers: a member who may not write gets 403, as they know the case); or a
    part codename (``view_case_identity``, ``view_case_risk``): a partner without that part
    gets the same 404 as a stranger, since the part is not theirs to know about.

    Pages and API routes open a case through this alone, with the need of what they do: a
    page that shows to the owner's members and writes for its writers asks ``owner`` on GET
    and ``change`` on POST.
    """
    case = _visible_case(user, case_id)
    access = case_access(user, case)
    if not access.is_owner and "view_case" not in access.permissions:
        raise Http404  # not the owner's, and no live share opens it
    if need in (NEED_CHANGE, NEED_OWNER):
        if not access.is_owner:
            raise Http404
        if need == NEED_CHANGE:
            require_writer(user)
    elif need != NEED_VIEW and not access.has(need):
        raise Http404
    return case, access


def require_writer(user: User) -> None:
    """Pages and API routes that write without a case to open (opening one, answering a
    coordination request): the user must be a writer (admin, officer). 403 otherwise; the
    service checks again."""
    if not user.can_write:
        raise PermissionDenied


def require_org_admin(user: User) -> None:
    """Pages about the organisation's own settings (retention, the benchmark template, the
    duplicate-hint counts): its administrators only. 403 otherwise."""
    if not user.is_org_admin:
        raise PermissionDenied


def partner_levels(user: User, cases: list[Case]) -> dict:
    """Share level per case for one page of cases (never a whole queryset), in one query:
    which of them the organisation's group holds the full file of (guardian's direct-FK
    permission rows; guardian's own prefetch took two queries and ~3 ms of Python)."""
    foreign = [case.pk for case in cases if case.organisation_id != user.organisation_id]
    if not foreign:
        return {}
    full = set(
        CaseGroupObjectPermission.objects.filter(
            group_id=user.organisation.group_id,
            content_object_id__in=foreign,
            permission__codename=NEED_IDENTITY,
        ).values_list("content_object_id", flat=True)
    )
    return {pk: CaseShare.Level.FULL if pk in full else CaseShare.Level.FEEDBACK for pk in foreign}
