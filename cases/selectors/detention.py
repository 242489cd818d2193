"""Reads of detentions, hearings and benchmark plans.

Pages and the API reach these through a case the user may open (``get_case_for``), so the
case's visibility rule is the only rule. ``due_benchmarks`` is the one cross-tenant read: the
alerts sweep calls it for every organisation to remind people of steps due.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils import timezone

from cases.models import BenchmarkMilestone, Case, Consent, Detention, Hearing, Incident
from cases.selectors.incident import case_incidents_seen

if TYPE_CHECKING:
    from cases.access import CaseAccess

#: how far ahead "due soon" looks.
DUE_SOON = datetime.timedelta(days=2)


def detention_of(case: Case, incident: Incident) -> Detention | None:
    """The detention record of ``incident`` (one of ``case``'s), if it was recorded."""
    return Detention.objects.owned_by(case.organisation).filter(incident=incident).first()


def detention_with_plan(case: Case, incident: Incident) -> Detention:
    """The detention record with its hearings and its plan (due first), or 404."""
    detention = (
        Detention.objects.owned_by(case.organisation)
        .filter(incident=incident)
        .prefetch_related(
            "hearings",
            Prefetch(
                "milestones", queryset=BenchmarkMilestone.objects.unscoped().order_by("due_on")
            ),
        )
        .first()
    )
    if detention is None:
        raise Http404
    return detention


def milestones_of(detention: Detention) -> QuerySet[BenchmarkMilestone]:
    return detention.milestones.select_related("hearing", "done_by").order_by(
        "due_on", "created_at"
    )


def hearings_of(detention: Detention) -> QuerySet[Hearing]:
    return detention.hearings.all()


def milestone_of(case: Case, milestone_id) -> BenchmarkMilestone:
    """One milestone of one of ``case``'s detentions, or 404."""
    try:
        return (
            BenchmarkMilestone.objects.owned_by(case.organisation)
            .select_related("detention__incident__case", "hearing", "done_by")
            .get(pk=milestone_id, detention__incident__case=case)
        )
    except (BenchmarkMilestone.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None


def milestones_of_case(case: Case) -> QuerySet[BenchmarkMilestone]:
    return (
        BenchmarkMilestone.objects.owned_by(case.organisation)
        .filter(detention__incident__case=case)
        .select_related("hearing", "done_by", "detention")
        .order_by("due_on", "created_at")
    )


def case_detentions_seen(case: Case, access: CaseAccess) -> list[Detention]:
    """The case's detentions, newest first, with their hearings and plans, for the case page
    (panel and timeline share them): taken from the incidents it read, each of which comes
    with its detention, so one query fewer and two more only when there is a detention."""

    def read() -> list[Detention]:
        incidents = case_incidents_seen(case, access)
        detentions = [incident.detention for incident in incidents if has_detention(incident)]
        # what the page shows of each detention: its hearings and its benchmark plan.
        milestones = BenchmarkMilestone.objects.unscoped().select_related("done_by")
        prefetch_related_objects(detentions, "hearings", Prefetch("milestones", milestones))
        return sorted(detentions, key=lambda detention: detention.detained_since, reverse=True)

    return access.remember("cases.detentions", read)


def has_detention(incident: Incident) -> bool:
    """Whether ``incident`` has a detention record (read with it: ``incidents_of``)."""
    try:
        return incident.detention is not None
    except Detention.DoesNotExist:
        return False


def due_benchmarks(
    now: datetime.datetime | None = None, *, within: datetime.timedelta = DUE_SOON
) -> QuerySet[BenchmarkMilestone]:
    """Open milestones overdue or due within ``within`` of ``now``, for every organisation,
    each annotated ``overdue`` (True: past its day). The alerts sweep reminds the case's
    people of them.

    Left out: steps of closed or purged cases, and public steps whose case no longer has
    public-action consent (never remind anyone to take a public step the defender refused).
    """
    today = timezone.localdate(now or timezone.now())
    public_consent = Consent.objects.unscoped().filter(
        case_id=OuterRef("detention__incident__case_id"),
        scope=Consent.Scope.PUBLIC_ACTION,
        revoked_at__isnull=True,
    )
    # unscoped: the sweep serves every organisation; each row says whose it is.
    return (
        BenchmarkMilestone.objects.unscoped()
        .filter(status=BenchmarkMilestone.Status.OPEN, due_on__lte=today + within)
        .exclude(detention__incident__case__status=Case.Status.CLOSED)
        .filter(detention__incident__case__purged_at__isnull=True)
        .filter(Q(requires_public_consent=False) | Exists(public_consent))
        .annotate(overdue=ExpressionWrapper(Q(due_on__lt=today), output_field=BooleanField()))
        .select_related("organisation", "detention__incident__case__lead_officer", "hearing")
        .order_by("due_on", "created_at")
    )
