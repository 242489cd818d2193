"""Reads of court proceedings, hearings and their observers.

Pages and the API reach the first three through a case the user opened with the full file
(``get_case_for(..., need=NEED_IDENTITY)``): the case's visibility rule is the only rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from cases.models import Case, Hearing, HearingObserver, Proceeding

if TYPE_CHECKING:
    from cases.access import CaseAccess

#: the key of the case page's read of proceedings (``CaseAccess.remember``, parts registry).
PROCEEDINGS = "cases.proceedings"


def _observers() -> Prefetch:
    return Prefetch(
        "observers",
        queryset=HearingObserver.objects.select_related("organisation", "observer").order_by(
            "created_at"
        ),
    )


def proceedings_of(case: Case) -> QuerySet[Proceeding]:
    """The case's proceedings, newest first, each with its hearings (by date) and their
    observers: three queries whatever the number of rows."""
    hearings = (
        Hearing.objects.unscoped().order_by("date", "created_at").prefetch_related(_observers())
    )
    return (
        Proceeding.objects.owned_by(case.organisation)
        .filter(case=case)
        .prefetch_related(Prefetch("hearings", queryset=hearings), "detentions")
        .order_by("-created_at")
    )


def proceeding_of(case: Case, proceeding_id) -> Proceeding:
    """One of ``case``'s proceedings, or 404; its hearings come with their benchmark
    milestones (a hearing under a detention has its trial-observation step) and detention."""
    hearings = (
        Hearing.objects.unscoped()
        .order_by("date", "created_at")
        .select_related("detention")
        .prefetch_related(_observers(), "milestones")
    )
    try:
        return (
            proceedings_of(case)
            .prefetch_related(None)
            .prefetch_related(Prefetch("hearings", queryset=hearings), "detentions")
            .get(pk=proceeding_id)
        )
    except (Proceeding.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None


def hearings_of_case(case: Case) -> QuerySet[Hearing]:
    """Every hearing of the case (of its proceedings, and of its detentions from before
    proceedings existed), soonest first, with its proceeding and observers."""
    return (
        Hearing.objects.owned_by(case.organisation)
        .filter(proceeding__case=case)
        .select_related("proceeding")
        .prefetch_related(_observers())
        .order_by("date", "created_at")
    )


def hearing_of(case: Case, hearing_id) -> Hearing:
    try:
        return hearings_of_case(case).get(pk=hearing_id)
    except (Hearing.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None


def observer_of(case: Case, observer_id) -> HearingObserver:
    try:
        return HearingObserver.objects.select_related(
            "hearing__proceeding__case", "organisation", "observer"
        ).get(
            pk=observer_id,
            hearing__proceeding__case=case,
            hearing__organisation_id=case.organisation_id,
        )
    except (HearingObserver.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None


def case_proceedings_seen(case: Case, access: CaseAccess) -> list[Proceeding]:
    """``proceedings_of`` read once per request, and only when the case has one (the parts
    registry answers for every part in one query)."""
    return access.remember(PROCEEDINGS, lambda: list(proceedings_of(case)))
