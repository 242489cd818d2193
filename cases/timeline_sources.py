"""The case's own parts on its timeline: consents and shares (incidents and assessments
register theirs from their modules)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cases import timeline
from cases.models import CaseShare, Consent
from cases.parts import register_part
from cases.selectors import CONSENTS, SHARES, case_consents_seen, case_shares_seen
from cases.timeline import TimelineItem


def _consents(case, access):
    # Owner only, like the shares: a consent names the organisations the case may go to.
    if not access.is_owner:
        return
    for consent in case_consents_seen(case, access):
        yield TimelineItem(
            at=TimelineItem.moment(consent.given_on),
            kind="consent",
            title=_("Consent recorded: %(what)s") % {"what": consent},
        )
        if consent.revoked_at:
            yield TimelineItem(
                at=consent.revoked_at,
                kind="consent",
                title=_("Consent revoked: %(what)s") % {"what": consent},
            )


def _shares(case, access):
    if not access.is_owner:
        return
    for share in case_shares_seen(case, access):
        yield TimelineItem(
            at=share.created_at,
            kind="share",
            title=_("Shared with %(org)s (%(level)s)")
            % {"org": share.partner, "level": share.level},
        )
        if share.ended_at:
            yield TimelineItem(
                at=share.ended_at,
                kind="share",
                title=_("Share with %(org)s ended: %(status)s")
                % {"org": share.partner, "status": share.get_status_display()},
            )


timeline.register("cases.consents", _consents)
timeline.register("cases.shares", _shares)
register_part(CONSENTS, Consent)
register_part(SHARES, CaseShare)
