"""The life cycle the three kinds of referral share (visa, shelter, grant): raised by the
requester on an approved request, answered by the addressee, withdrawn by the requester or
with the request, each step audited and the other side told. What differs between the kinds
is declared once per kind in a ``ReferralKind`` (``services.visa.VISA``,
``services.shelter.SHELTER``, ``services.grants.GRANT``)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.models import Organisation, User
from alerts.services.notify import notify
from hrdcase.audit import audit_record
from hrdcase.dates import plausible_date_errors
from hrdcase.exceptions import StateConflict
from hrdcase.later import label, later
from relocation.models import WITHDRAWN, Referral, RelocationRequest, RequestStatus
from relocation.selectors.referral import org_people
from relocation.services.access import (
    FROZEN_MESSAGE,
    locked,
    require_live_referral,
    require_live_request,
    require_open_case,
    require_requester,
    require_writer_of,
)
from relocation.services.deadlines import REFERRAL_ANSWERS, answer_due, later_due

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

R = TypeVar("R", bound=Referral)

#: a kind's own checks of an answer: (errors by field, more fields to write).
AnswerCheck = Callable[[R], tuple[dict[str, Any], dict[str, Any]]]


@dataclass(frozen=True)
class ReferralKind(Generic[R]):
    """What one kind of referral declares; the life cycle below is the same for all."""

    model: type[R]
    #: the notification kind (``alerts``) and its label in subjects.
    kind: str
    label: StrOrPromise
    #: the URL name of its page (in the ``relocation`` namespace).
    route: str
    #: the request's referrals of this kind (the related name).
    related_name: str
    #: audit actions of its creation and decision (and withdrawal, where it has one).
    create_action: str
    decide_action: str
    #: what its addressee is told of a new one ("new referral").
    new_event: StrOrPromise
    #: statuses withdrawn when the request is cancelled or frozen (and by the requester).
    open_statuses: tuple[str, ...]
    #: status -> the answers its addressee may give then.
    answers: dict[str, tuple[str, ...]]
    #: the name of the answer (``decision`` or ``answer``) in forms, the API and the audit.
    answer_field: str
    #: the fields the answer writes: its reason, when, by whom.
    answer_fields: tuple[str, str, str]
    #: answers the requester must be given a reason for, and the message asking for it.
    reason_required: frozenset[str]
    reason_message: StrOrPromise
    #: 409 when the state allows no such answer (``%(status)s``, ``%(answer)s``).
    answered_message: StrOrPromise
    #: 400 on ``answer_field`` for an answer the state never takes; None: a 409 instead.
    choose_message: StrOrPromise | None
    #: the audit data of a decision besides the answer.
    decide_audit: Callable[[R], dict[str, Any]]
    withdraw_action: str = ""
    withdraw_message: StrOrPromise = ""
    #: status -> the steps that may follow (the ``allowed`` of a refused withdrawal).
    next_steps: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    """A step on a referral as a page's form or an API body takes it: the service, the
    keyword it gives the referral (``referral`` or ``grant``) and the names it gives the
    input's fields (a step's ``day`` is an arrival, a return or a disbursement)."""

    service: Callable[..., Any]
    target: str = "referral"
    rename: Mapping[str, str] = field(default_factory=dict)

    def __call__(self, obj: Any, acting_user: User, data: Mapping[str, Any]) -> Any:
        fields = {self.rename.get(name, name): value for name, value in data.items()}
        return self.service(**{self.target: obj}, acting_user=acting_user, **fields)


def recorded_day(field_name: str, day: datetime.date | None, future: StrOrPromise) -> datetime.date:
    """A day the addressee records (an arrival, a return, a disbursement): today unless
    given, plausible, and not in the future (``future`` says so, on ``field_name``)."""
    today = timezone.localdate()
    day = day or today
    errors = plausible_date_errors({field_name: day})
    if errors:
        raise ValidationError(errors)
    if day > today:
        raise ValidationError({field_name: future})
    return day


def relocation_url(name: str, pk) -> str:
    return reverse(f"relocation:{name}", args=[pk])


def requester_side(obj: Any) -> list[User]:
    """The person who raised it and their organisation's admins."""
    people = org_people(obj.organisation_id, admins_only=True)
    creator = obj.created_by
    if creator.acts_for(obj.organisation_id) and creator.pk not in {p.pk for p in people}:
        people.append(creator)
    return people


def _subject(kind: ReferralKind[Any], obj: Referral, event: StrOrPromise) -> str:
    """In each recipient's language (``hrdcase.later``)."""
    return later(
        gettext_noop("%(what)s for %(pseudonym)s: %(event)s"),
        what=kind.label,
        pseudonym=obj.case.pseudonym,
        event=event,
    )


def with_deadline(event: StrOrPromise, urgency_label: StrOrPromise, due) -> str:
    """An event as the side owing the answer is told of it: with the urgency and the
    deadline (issue 20: the receiving side sees both in the notification)."""
    return later(
        gettext_noop("%(event)s (%(urgency)s, answer due %(due)s)"),
        event=event,
        urgency=urgency_label,
        due=later_due(due),
    )


def tell_addressee(
    obj: Referral, kind: ReferralKind[Any], event: StrOrPromise, *, key: str = ""
) -> None:
    # case=None: the addressee cannot open the case, so its notification does not point to it.
    notify(
        recipients=org_people(obj.addressee_id),
        kind=kind.kind,
        subject=_subject(kind, obj, event),
        dedupe_key=f"relocation.{kind.kind}:{obj.pk}:{key or obj.status}",
        url=relocation_url(kind.route, obj.pk),
    )


def tell_requester(obj: Referral, kind: ReferralKind[Any], event: StrOrPromise) -> None:
    notify(
        recipients=requester_side(obj),
        kind=kind.kind,
        subject=_subject(kind, obj, event),
        dedupe_key=f"relocation.{kind.kind}:{obj.pk}:{obj.status}",
        url=relocation_url(kind.route, obj.pk),
        case=obj.case,
    )


def referral_open(*, relocation_request: RelocationRequest, acting_user: User) -> None:
    """Before a new referral or grant: the requester's writer, while its organisation holds
    the case, on a request approved or under way (not frozen) and an open case."""
    require_requester(acting_user, relocation_request)
    if relocation_request.is_frozen:
        raise StateConflict(str(FROZEN_MESSAGE), allowed=list(relocation_request.allowed_next))
    if not relocation_request.is_actionable:
        raise ValidationError(
            {
                "request": _(
                    "Referrals and grants can be raised once the request is approved "
                    "(it is %(status)s)."
                )
                % {"status": relocation_request.get_status_display()}
            }
        )
    require_open_case(relocation_request.case)


def referral_save(
    kind: ReferralKind[R],
    *,
    relocation_request: RelocationRequest,
    addressee: Organisation,
    acting_user: User,
    audit: dict[str, Any],
    **fields: Any,
) -> R:
    """Write a checked new referral, audit it and tell its addressee (with the urgency and
    the deadline of its answer: ``due_at`` from the addressee's service level for the
    request's urgency, unless the kind set it)."""
    answer = REFERRAL_ANSWERS.get(kind.kind)
    if answer and "due_at" not in fields:
        fields["due_at"], fields["remind_at"] = answer_due(
            addressee.pk, relocation_request.urgency, answer
        )
    values: dict[str, Any] = {
        "organisation_id": relocation_request.organisation_id,
        "request": relocation_request,
        "case": relocation_request.case,
        "created_by": acting_user,
        kind.model.ADDRESSEE: addressee,
        **fields,
    }
    referral = kind.model(**values)
    referral.full_clean(exclude=["case", "request", kind.model.ADDRESSEE])
    referral.save()
    if relocation_request.status == RequestStatus.COMPLETED:
        from relocation.services.requests import request_reopen

        request_reopen(relocation_request, acting_user)
    if referral.due_at is not None:
        audit = {
            **audit,
            "urgency": relocation_request.urgency,
            "due_at": referral.due_at.isoformat(),
        }
    audit_record(action=kind.create_action, actor=acting_user, target=referral, data=audit)
    event = kind.new_event
    if referral.due_at is not None:
        event = with_deadline(event, label(relocation_request, "urgency"), referral.due_at)
    tell_addressee(referral, kind, event, key="new")
    return referral


def _answer_errors(
    kind: ReferralKind[Any], answer: str, allowed: Iterable[str], reason: str
) -> dict:
    if answer not in allowed:
        return {kind.answer_field: kind.choose_message}
    if answer in kind.reason_required and not reason:
        return {"reason": kind.reason_message}
    return {}


def referral_decide(
    kind: ReferralKind[R],
    *,
    referral: R,
    answer: str,
    acting_user: User,
    reason: str = "",
    check: AnswerCheck[R] | None = None,
) -> R:
    """The addressee's answer, while the request stands; the requester is told. ``check``
    adds the kind's own errors and fields (a visa's validity). Call it in a transaction."""
    require_writer_of(acting_user, referral.addressee_id)
    # The request first, then the referral: the order a cancellation or a freeze takes them
    # in (the answer may complete the request), so two of them never wait on each other.
    # A grant on its own (issue 20) has no request.
    if referral.request_id is not None:
        locked(RelocationRequest, referral.request_id)
    current = locked(kind.model, referral.pk)
    allowed = kind.answers.get(current.status, ())
    if not allowed or (kind.choose_message is None and answer not in allowed):
        raise StateConflict(
            str(kind.answered_message) % {"status": current.get_status_display(), "answer": answer},
            allowed=list(allowed),
        )
    if current.request_id is not None:
        require_live_request(current.request)
    else:
        require_live_referral(current)
    errors, updates = check(current) if check is not None else ({}, {})
    reason = (reason or "").strip()
    errors = {**_answer_errors(kind, answer, allowed, reason), **errors}
    if errors:
        raise ValidationError(errors)
    reason_field, at_field, by_field = kind.answer_fields
    current.status = answer
    updates.update({reason_field: reason, at_field: timezone.now(), by_field: acting_user})
    for name, value in updates.items():
        setattr(current, name, value)
    current.save(update_fields=["status", *updates])
    audit_record(
        action=kind.decide_action,
        actor=acting_user,
        target=current,
        data={kind.answer_field: answer, **kind.decide_audit(current)},
    )
    tell_requester(current, kind, label(current, "status"))
    if current.request_id is not None:
        _settle(current.request, acting_user)
    return current


def referral_withdraw(kind: ReferralKind[R], *, referral: R, acting_user: User) -> R:
    """The requester withdraws its referral while it is open; the addressee is told. Call it
    in a transaction."""
    require_requester(acting_user, referral.request)
    locked(RelocationRequest, referral.request_id)  # the request first (``referral_decide``)
    current = locked(kind.model, referral.pk)
    if current.status not in kind.open_statuses:
        raise StateConflict(
            str(kind.withdraw_message) % {"status": current.get_status_display()},
            allowed=list(kind.next_steps.get(current.status, ())),
        )
    current.status = WITHDRAWN
    current.save(update_fields=["status"])
    audit_record(action=kind.withdraw_action, actor=acting_user, target=current)
    tell_addressee(current, kind, gettext_lazy("withdrawn"))
    _settle(current.request, acting_user)
    return current


def _settle(relocation_request: RelocationRequest, acting_user: User) -> None:
    """The request completes by itself once its referrals are settled (issue 20). Imported
    here: the request services import this module."""
    from relocation.services.requests import request_settle

    request_settle(relocation_request, acting_user)


def referrals_withdraw_open(
    relocation_request: RelocationRequest,
    acting_user: User | None,
    kinds: Iterable[ReferralKind[Any]],
) -> None:
    """A cancelled or frozen request withdraws its open referrals; their addressees are
    told."""
    for kind in kinds:
        related = getattr(relocation_request, kind.related_name)
        for referral in related.filter(status__in=kind.open_statuses).select_related("case"):
            referral.status = WITHDRAWN
            referral.save(update_fields=["status"])
            tell_addressee(referral, kind, gettext_lazy("withdrawn"))
    audit_record(
        action="relocation.referrals_withdrawn",
        actor=acting_user,
        organisation=None if acting_user is not None else relocation_request.organisation,
        target=relocation_request,
    )
