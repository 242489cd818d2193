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
from cases.models.consent import REVOCATION_NOTE_MAX_LENGTH
from cases.selectors.consent import consent_covering_share, consent_in_force
from cases.services.retention import blank_fields
from hrdcase.audit import audit_record

if TYPE_CHECKING:
    from accounts.models import Organisation, ProtectionNetwork, User


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


def _require_consent(*, case: Case, scope: str, refusal: str) -> Consent:
    consent = consent_in_force(case=case, scope=scope)
    if consent is None:
        raise ValidationError(refusal)
    return consent


def require_public_action_consent(*, case: Case) -> Consent:
    """For statements, public visits and other public actions (logbooks, benchmarks)."""
    return _require_consent(
        case=case,
        scope=Consent.Scope.PUBLIC_ACTION,
        refusal=_(
            "The defender has not consented to public action: record public-action consent first."
        ),
    )


def require_relocation_consent(*, case: Case) -> Consent:
    return _require_consent(
        case=case,
        scope=Consent.Scope.RELOCATION,
        refusal=_(
            "The defender has not consented to relocation support: record relocation consent first."
        ),
    )


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
    if len(note) > REVOCATION_NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "note": _("Keep the note under %(max)s characters.")
                % {"max": REVOCATION_NOTE_MAX_LENGTH}
            }
        )
    if "\x00" in note:
        refusal = _("Remove the invisible control character (%(char)s).") % {"char": "U+0000"}
        raise ValidationError({"note": refusal})
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


def consents_purge(case: Case) -> None:
    """Retention: the notes and channels of a purged case's consents go."""
    # unscoped: the purge job runs for every tenant; narrowed to this case.
    for consent in Consent.objects.unscoped().filter(case=case):
        blank_fields(consent, ("note", "revocation_note", "channel"))
