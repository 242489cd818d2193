"""Writes of search (issue 23, item 3): saved filters, the audited legal-name search and
the audited CSV export of the case list."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import partner_levels
from cases.models import SAVED_FILTERS_MAX, Case, SavedCaseFilter
from cases.models.search import SAVED_FILTER_NAME_MAX_LENGTH
from cases.selectors.search import cases_by_legal_name, saved_filters_of
from hrdcase import csv as safe_csv
from hrdcase.audit import audit_record
from hrdcase.tenancy import member_in_force
from hrdcase.text import single_line_refusal

if TYPE_CHECKING:
    from accounts.models import User

#: the most cases one CSV export of the list holds (the page says so when there are more).
EXPORT_LIMIT = 5000


@transaction.atomic
def saved_filter_create(*, user: User, name: str, query: str) -> SavedCaseFilter:
    """Save the list's current filters under ``name``; ``query`` comes cleaned from the
    filter form (the view builds it), never from the request as typed."""
    if not member_in_force(user):
        raise ValidationError(_("Your organisation's access is suspended."))
    name = (name or "").strip()
    errors = {}
    refusal = single_line_refusal(name)
    if not name:
        errors["name"] = _("Give the filter a name.")
    elif refusal is not None:
        errors["name"] = refusal.message % refusal.params
    elif len(name) > SAVED_FILTER_NAME_MAX_LENGTH:
        errors["name"] = _("Keep the name to %(max)s characters.") % {
            "max": SAVED_FILTER_NAME_MAX_LENGTH
        }
    if errors:
        raise ValidationError(errors)
    if not query:
        errors["name"] = _("Choose at least one filter to save.")
    elif saved_filters_of(user).filter(name=name).exists():
        errors["name"] = _("You already have a filter of this name.")
    if saved_filters_of(user).count() >= SAVED_FILTERS_MAX:
        errors["name"] = _("You have %(max)s saved filters: delete one first.") % {
            "max": SAVED_FILTERS_MAX
        }
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            saved = SavedCaseFilter(
                organisation=user.organisation, user=user, name=name, query=query
            )
            saved.full_clean()
            saved.save()
    except IntegrityError:
        raise ValidationError({"name": _("You already have a filter of this name.")}) from None
    return saved


@transaction.atomic
def saved_filter_delete(*, saved: SavedCaseFilter, user: User) -> None:
    if saved.user_id != user.pk:  # the caller looked it up among the user's own
        raise ValidationError(_("This filter is not yours."))
    saved.delete()


def legal_name_search(*, user: User, term: str, ip: str | None = None) -> list[Case]:
    """The cases whose defender has this exact legal name, among those whose identity the
    user may see, audited every time (the search is an oracle: who looks for whom is kept):
    which cases matched (tying a name to a case is reading an identity), never the name."""
    matches = cases_by_legal_name(user, term)
    audit_record(
        action="case.name_search",
        actor=user,
        organisation=user.organisation,
        ip=ip,
        data={"matches": len(matches), "cases": [str(case.pk) for case in matches]},
    )
    return matches


def _sharing_labels() -> dict[str, str]:
    return {"full": _("shared: full"), "feedback": _("shared: feedback")}


def case_list_export(*, user: User, cases, filters: dict, ip: str | None = None) -> str:
    """The case list as CSV, redacted like the briefing export: reference, pseudonym,
    status, risk and threats (only where the share shows them), owner, sharing, dates. No
    identity, no summary. At most ``EXPORT_LIMIT`` rows; audited with the filters."""
    rows = list(cases[:EXPORT_LIMIT])
    levels = partner_levels(user, rows)
    sharing = _sharing_labels()
    out = io.StringIO()
    writer = safe_csv.writer(out)
    writer.writerow(
        [
            _("Reference"),
            _("Pseudonym"),
            _("Status"),
            _("Risk"),
            _("Threats"),
            _("Owner"),
            _("Sharing"),
            _("Opened"),
        ]
    )
    for case in rows:
        level = levels.get(case.pk)
        partial = level == "feedback"
        writer.writerow(
            [
                case.reference,
                case.pseudonym,
                case.get_status_display(),
                "" if partial else (case.get_risk_level_display() or _("not assessed")),
                "" if partial else ", ".join(str(t) for t in case.listed_threats),
                case.organisation.name,
                sharing.get(level or "", _("own")),
                case.opened_on.isoformat(),
            ]
        )
    audit_record(
        action="case.list_export",
        actor=user,
        organisation=user.organisation,
        ip=ip,
        data={"filters": filters, "cases": len(rows), "at": timezone.now().isoformat()},
    )
    return out.getvalue()
