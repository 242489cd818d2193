"""Reads of what the defender agreed to: the consents in force, and which of them covers a
share or a public action (the services refuse what no consent covers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from cases.models import Case, Consent

if TYPE_CHECKING:
    from accounts.models import Organisation
    from cases.access import CaseAccess

#: the key of the case page's read of consents (``CaseAccess.remember``, cases.registries.parts).
CONSENTS = "cases.consents"


def consents_in_force(case: Case) -> QuerySet[Consent]:
    return case.consents.filter(revoked_at__isnull=True)


def consent_covering_share(*, case: Case, partner: Organisation) -> Consent | None:
    """The active consent that lets ``case`` be shared with ``partner``: a consent naming the
    organisation, or one for a protection network the partner belongs to."""
    named = (
        consents_in_force(case)
        .filter(scope=Consent.Scope.SHARE_ORGANISATION, partner=partner)
        .first()
    )
    if named is not None:
        return named
    return (
        consents_in_force(case)
        .filter(scope=Consent.Scope.SHARE_NETWORK, network__members=partner)
        .order_by("-given_on")
        .first()
    )


def consent_in_force(*, case: Case, scope: str) -> Consent | None:
    """The consent in force for ``scope`` (public action, relocation...), if any."""
    return consents_in_force(case).filter(scope=scope).first()


def has_public_action_consent(*, case: Case) -> bool:
    return consents_in_force(case).filter(scope=Consent.Scope.PUBLIC_ACTION).exists()


def consents_of(case: Case) -> QuerySet[Consent]:
    """The consents page: every consent, with who recorded and who revoked it."""
    return case.consents.select_related("partner", "network", "recorded_by", "revoked_by")


def case_consents_seen(case: Case, access: CaseAccess) -> list[Consent]:
    """The case's consents for the case page, read once per request (the timeline and the
    owner's sharing panel both show them)."""
    return access.remember(
        CONSENTS,
        lambda: list(case.consents.select_related("partner", "network", "recorded_by")),
    )
