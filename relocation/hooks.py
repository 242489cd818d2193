"""relocation's registrations with the registries of ``hrdcase``, ``cases`` and ``alerts``:
menu items, the case-page panel, the case timeline provider, the retention purger, the
due-item sources and the receivers of a share ending or coming back. ``register()`` makes them
all, called once by ``RelocationConfig.ready``; importing this module registers nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation
from alerts.due import register_due_source
from alerts.services.notifications import notifications_forget_purged
from cases.registries.panels import register_panel
from cases.registries.parts import register_part
from cases.registries.purgers import register_purger
from cases.registries.timeline import TimelineItem
from cases.registries.timeline import register as register_timeline
from cases.signals import share_ended, share_granted
from hrdcase.navigation import forget_badge_counts, kept_badge_count, register_nav_item
from relocation.models import (
    REQUEST_TEXT_FIELDS,
    VISA_NEAR_DAYS,
    GrantRequest,
    RelocationRequest,
    RequestStatus,
    RequestTransition,
    ReturnPlan,
    ShelterReferral,
    VisaReferral,
)
from relocation.selectors.deadlines import answer_escalations, answer_reminders
from relocation.selectors.grants import grants_for
from relocation.selectors.requests import requests_for, with_standings
from relocation.selectors.returns import return_risk_reviews_due, visa_validity_due
from relocation.selectors.shelter import stays_ending_due
from relocation.selectors.visa import visa_deadlines_due
from relocation.services.access import REFERRAL_PERMISSION
from relocation.services.requests import requests_freeze, requests_thaw
from relocation.services.returns import return_plans_due

if TYPE_CHECKING:
    from cases.access import CaseAccess
    from cases.models import Case


# --- menu ------------------------------------------------------------------------------------
# ``when`` reads the user's organisation, already loaded by the navigation context processor.


def _kind(user) -> str:
    organisation = user.organisation if user.organisation_id else None
    return organisation.kind if organisation is not None else ""


def _requests_menu(user) -> bool:
    return bool(user.organisation_id) and _kind(user) != Organisation.Kind.SHELTER_CITY


# Addressee badges are kept per organisation and day (``hrdcase.navigation``): every member
# of the organisation shares the count, and a referral saved or deleted forgets its
# addressee's (``_forget_badge``).


def _badge_key(model: type, organisation_id: Any, day: datetime.date) -> str:
    return f"relocation:badge:{model.__name__}:{organisation_id}:{day.isoformat()}"


def _addressee_badge(model: type, user, count: Callable[[datetime.date], int]) -> int:
    today = timezone.localdate()
    return kept_badge_count(_badge_key(model, user.organisation_id, today), lambda: count(today))


def _forget_badge(sender: type, instance, **kwargs) -> None:
    # a referral's day keys: yesterday to tomorrow cover every member's time zone
    today = timezone.localdate(timezone=datetime.UTC)
    days = (today + datetime.timedelta(days=offset) for offset in (-1, 0, 1))
    forget_badge_counts([_badge_key(sender, instance.addressee_id, day) for day in days])


def _visa_badge(user) -> int:
    def count(today: datetime.date) -> int:
        horizon = today + datetime.timedelta(days=VISA_NEAR_DAYS)
        return (
            VisaReferral.objects.addressed_to(user.organisation)
            .filter(status=VisaReferral.Status.PENDING, deadline__lte=horizon)
            .count()
        )

    return _addressee_badge(VisaReferral, user, count)


def _city_badge(user) -> int:
    def count(_today: datetime.date) -> int:
        return (
            ShelterReferral.objects.addressed_to(user.organisation)
            .filter(status=ShelterReferral.Status.PROPOSED)
            .count()
        )

    return _addressee_badge(ShelterReferral, user, count)


# --- case page panel -------------------------------------------------------------------------

#: keys of the case page's reads (``CaseAccess.remember``): skipped when the case has no
#: relocation request (cases.registries.parts).
PANEL_REQUESTS = "relocation.panel_requests"
STEPS = "relocation.steps"
PANEL_GRANTS = "relocation.panel_grants"


def _panel(request, case: Case, access: CaseAccess):
    """The case's relocation requests the viewer's organisation raised or reviews, for the
    owner and ``full`` partners (those who may add referrals)."""
    if not access.has(REFERRAL_PERMISSION):
        return None
    user = request.user
    # The panel shows each request's supports, status, urgency, requester and date: not the
    # case, reviewer and author the request pages join.
    requests = (
        requests_for(user).filter(case=case).select_related(None).select_related("organisation")
    )
    return {
        # each with where it stands (one query per kind of referral; none without requests)
        "requests": with_standings(
            access.remember(
                PANEL_REQUESTS,
                lambda: list(requests.select_related("reviewer")[:20]),
            )
        ),
        "can_request": user.can_write and not case.is_closed and case.purged_at is None,
        # grants the viewer's organisation asked on the case on their own (issue 20); read
        # only when the case has a grant (``PANEL_GRANTS`` is a part).
        "grants": access.remember(
            PANEL_GRANTS,
            lambda: list(
                grants_for(user)
                .filter(case=case, request__isnull=True, organisation_id=user.organisation_id)
                .select_related(None)
                .select_related("grantor")[:20]
            ),
        ),
        "create_url": reverse("relocation:create", args=[case.pk]),
        # a grant on its own, without a relocation request (issue 20)
        "grant_url": reverse("relocation:case_grant_create", args=[case.pk]),
    }


# --- timeline --------------------------------------------------------------------------------


def _timeline(case: Case, access: CaseAccess) -> Iterator[TimelineItem]:
    """Submitted and later steps of the case's requests, for the owner and full partners.
    Titles carry the step only; the plans stay on the request page (requester, reviewer)."""
    if not (access.is_owner or access.level == "full"):
        return
    labels = dict(RequestStatus.choices)
    # unscoped: the steps of requests on a case the viewer may see in full (checked above);
    # only the status change is shown, never the request's content.
    steps = (
        RequestTransition.objects.unscoped()
        .filter(request__case=case)
        .exclude(to_status=RequestStatus.DRAFT)
    )
    if not access.is_owner:
        # A full partner follows its own requests; another partner's relocation is between
        # that partner and the owner (who reviews every request: the decider).
        steps = steps.filter(request__organisation_id=access.viewer_organisation_id)
    steps = (
        steps.select_related("request__organisation")
        .only("at", "to_status", "request_id", "request__organisation__name")
        .order_by("-at")[:50]
    )
    for step in access.remember(STEPS, lambda: list(steps)):
        yield TimelineItem(
            at=step.at,
            kind="relocation",
            title=_("Relocation request by %(org)s: %(status)s")
            % {"org": step.request.organisation.name, "status": labels[step.to_status]},
            url=reverse("relocation:detail", args=[step.request_id]),
        )


# --- retention -------------------------------------------------------------------------------


def _purge(case: Case) -> None:
    """Blank the needs, plans, reasons and notes of the case's requests and referrals;
    statuses, dates, kinds and amounts stay for the dashboards."""
    # unscoped: the purge runs for the case's owner over every requester's rows on the case.
    for relocation_request in RelocationRequest.objects.unscoped().filter(case=case):
        for name in REQUEST_TEXT_FIELDS:
            setattr(relocation_request, name, "")
        relocation_request.save()
        for step in relocation_request.transitions.all():
            if step.reason:
                step.reason = ""
                step.save(update_fields=["reason"])
    for visa in VisaReferral.objects.unscoped().filter(case=case):
        visa.note_for_mission = ""
        visa.decision_reason = ""
        visa.save(update_fields=["note_for_mission", "decision_reason"])
    for stay in ShelterReferral.objects.unscoped().filter(case=case):
        stay.answer_reason = ""
        stay.override_reason = ""
        stay.save(update_fields=["answer_reason", "override_reason"])
    for grant in GrantRequest.objects.unscoped().filter(case=case):
        grant.justification = ""
        grant.decision_reason = ""
        grant.save(update_fields=["justification", "decision_reason"])
    # the mission's, the city's and the grantor's notifications name the pseudonym with no
    # case link (they cannot open the case): found by the objects they are about
    notifications_forget_purged(
        object_ids=[
            pk
            for model in (
                RelocationRequest,
                VisaReferral,
                ShelterReferral,
                GrantRequest,
                ReturnPlan,
            )
            for pk in model.objects.unscoped().filter(case=case).values_list("pk", flat=True)
        ]
    )


# --- when a share ends or comes back ---------------------------------------------------------


def _on_share_ended(sender, *, share, acting_user=None, successor=None, **kwargs) -> None:
    """The partner no longer holds the case (or no longer at ``full``): its open requests on
    it freeze and their pending referrals are withdrawn (DESIGN.md, "When access ends")."""
    from cases.access import LEVEL_PERMISSIONS

    if successor is not None and REFERRAL_PERMISSION in LEVEL_PERMISSIONS[successor.level]:
        return  # the same partner keeps referrals at its new level (e.g. a new expiry)
    requests_freeze(
        case=share.case,
        organisation_id=share.partner_id,
        reason=share.end_reason,
        acting_user=acting_user,
    )


def _on_share_granted(sender, *, share, acting_user=None, **kwargs) -> None:
    from cases.access import LEVEL_PERMISSIONS

    if REFERRAL_PERMISSION in LEVEL_PERMISSIONS[share.level]:
        requests_thaw(case=share.case, organisation_id=share.partner_id, acting_user=acting_user)


def _addressee_menu(url_name: str, label, *, order: int, kind: str, badge, badge_id: str):
    """The menu entry of an addressee's inbox, for organisations of ``kind``, with a badge."""
    register_nav_item(
        url_name,
        label,
        order=order,
        when=lambda user: _kind(user) == kind,
        badge=badge,
        badge_id=badge_id,
    )


def _register_menu() -> None:
    register_nav_item("relocation:list", gettext_lazy("Relocation"), order=60, when=_requests_menu)
    _addressee_menu(
        "relocation:visa_queue",
        gettext_lazy("Visa queue"),
        order=61,
        kind=Organisation.Kind.MISSION,
        badge=_visa_badge,
        badge_id="relocation-visa-badge",
    )
    _addressee_menu(
        "relocation:city_inbox",
        gettext_lazy("Shelter referrals"),
        order=60,
        kind=Organisation.Kind.SHELTER_CITY,
        badge=_city_badge,
        badge_id="relocation-city-badge",
    )


def register() -> None:
    """Every registration of the app, once (``RelocationConfig.ready``)."""
    _register_menu()
    register_panel(
        "relocation.requests",
        "relocation/_case_panel.html",
        _panel,
        order=120,
        section="relocation",
    )
    register_part(PANEL_REQUESTS, RelocationRequest)
    register_part(PANEL_GRANTS, GrantRequest)
    register_timeline("relocation.requests", _timeline)
    register_part(STEPS, RelocationRequest)  # no step without a request
    register_purger("relocation", _purge)
    register_due_source("relocation.visa_deadlines", visa_deadlines_due)
    register_due_source("relocation.stays_ending", stays_ending_due)
    # Issue 20: every answer a request waits for is reminded at half its time, and escalated
    # past its deadline by the owing organisation's alert policy.
    register_due_source("relocation.answer_reminders", answer_reminders)
    register_due_source("relocation.answer_escalations", answer_escalations)
    # Issue 20, item 5: the return plans of ended stays, their risk reviews, visas lapsing.
    register_due_source("relocation.return_plans", return_plans_due)
    register_due_source("relocation.return_risk_reviews", return_risk_reviews_due)
    register_due_source("relocation.visa_validity", visa_validity_due)
    for model in (VisaReferral, ShelterReferral):
        uid = f"relocation.badge.{model.__name__}"
        post_save.connect(_forget_badge, sender=model, dispatch_uid=f"{uid}.saved")
        post_delete.connect(_forget_badge, sender=model, dispatch_uid=f"{uid}.deleted")
    share_ended.connect(_on_share_ended, dispatch_uid="relocation.share_ended")
    share_granted.connect(_on_share_granted, dispatch_uid="relocation.share_granted")
