"""Recording and revoking consent, and the checks that sharing and public action need."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import require_case_write
from cases.models import Case, Consent

if TYPE_CHECKING:
    from accounts.models import Organisation, ProtectionNetwork, User

from hrdcase.audit import audit_record


def _active(case: Case):
    return case.consents.filter(revoked_at__isnull=True)


def consent_covering_share(*, case: Case, partner: Organisation) -> Consent | None:
    """The active consent that lets ``case`` be shared with ``partner``: a consent naming the
    organisation, or one for a protection network the partner belongs to."""
    named = _active(case).filter(scope=Consent.Scope.SHARE_ORGANISATION, partner=partner).first()
    if named is not None:
        return named
    return (
        _active(case)
        .filter(scope=Consent.Scope.SHARE_NETWORK, network__members=partner)
        .order_by("-given_on")
        .first()
    )


def require_share_consent(*, case: Case, partner: Organisation) -> Consent:
    consent = consent_covering_share(case=case, partner=partner)
    if consent is None:
        raise ValidationError(
            {
                "partner": _(
                    "The defender has not consented to sharing with %(org)s: record consent to "
                    "share with this organisation, or within a protection network it belongs to."
                )
                % {"org": partner.name}
            }
        )
    return consent


def has_public_action_consent(*, case: Case) -> bool:
    return _active(case).filter(scope=Consent.Scope.PUBLIC_ACTION).exists()


def require_public_action_consent(*, case: Case) -> Consent:
    """For statements, public visits and other public actions (logbooks, benchmarks)."""
    consent = _active(case).filter(scope=Consent.Scope.PUBLIC_ACTION).first()
    if consent is None:
        raise ValidationError(
            _(
                "The defender has not consented to public action: "
                "record public-action consent first."
            )
        )
    return consent


def require_relocation_consent(*, case: Case) -> Consent:
    consent = _active(case).filter(scope=Consent.Scope.RELOCATION).first()
    if consent is None:
        raise ValidationError(
            _(
                "The defender has not consented to relocation support: "
                "record relocation consent first."
            )
        )
    return consent


@transaction.atomic
def consent_record(
    *,
    case: Case,
    scope: str,
    given_on: date,
    method: str,
    acting_user: User,
    partner: Organisation | None = None,
    network: ProtectionNetwork | None = None,
    channel: str = "",
    note: str = "",
) -> Consent:
    require_case_write(case=case, acting_user=acting_user)
    errors = {}
    if given_on > timezone.localdate():
        errors["given_on"] = _("Consent cannot be dated in the future.")
    if scope == Consent.Scope.SHARE_ORGANISATION:
        if partner is None:
            errors["partner"] = _("Name the organisation the defender agreed to share with.")
        elif partner.pk == case.organisation_id:
            errors["partner"] = _("Your own organisation needs no consent to share with.")
    if scope == Consent.Scope.SHARE_NETWORK and network is None:
        errors["network"] = _("Name the protection network the defender agreed to share within.")
    if scope == Consent.Scope.CONTACT_CHANNEL and not channel.strip():
        errors["channel"] = _("Name the channel the defender agreed to be contacted through.")
    if errors:
        raise ValidationError(errors)
    consent = Consent(
        organisation=case.organisation,
        case=case,
        scope=scope,
        partner=partner if scope == Consent.Scope.SHARE_ORGANISATION else None,
        network=network if scope == Consent.Scope.SHARE_NETWORK else None,
        channel=channel.strip(),
        given_on=given_on,
        method=method,
        recorded_by=acting_user,
        note=note,
    )
    consent.full_clean()
    consent.save()
    audit_record(
        action="consent.record",
        actor=acting_user,
        target=case,
        data={"scope": scope, "consent": str(consent.pk)},
    )
    return consent


@transaction.atomic
def consent_revoke(*, consent: Consent, acting_user: User, note: str = "") -> list:
    """Revoke consent. Shares no longer covered by any remaining consent are suspended at
    once (their permissions removed); returns the suspended shares."""
    from cases.services.sharing import shares_suspend_uncovered

    require_case_write(case=consent.case, acting_user=acting_user)
    if consent.revoked_at is not None:
        raise ValidationError(_("This consent was already revoked."))
    consent.revoked_at = timezone.now()
    consent.revoked_by = acting_user
    consent.revocation_note = note
    consent.save(update_fields=["revoked_at", "revoked_by", "revocation_note"])
    audit_record(
        action="consent.revoke",
        actor=acting_user,
        target=consent.case,
        data={"scope": consent.scope, "consent": str(consent.pk)},
    )
    return shares_suspend_uncovered(case=consent.case, acting_user=acting_user)
