"""Briefing export of a case's logbook and actions, as PDF (reportlab) or CSV.

Only what the exporting user may see goes in: entries through ``LogEntry.visible_to`` and
actions through ``DiplomaticAction.visible_to`` (another organisation's outcome only when
shared). Redacted by default: the pseudonym stands for the defender; the identity is added
only when the user asks AND ``access.sees_identity``, and that read is logged like the
identity view. Every export is audited (``logbooks.export``). CSV cells go through
``hrdcase.csv``, so none can start a spreadsheet formula.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import CaseAccessLog
from cases.services.access_log import case_part_viewed, identity_viewed
from hrdcase import csv as safe_csv
from hrdcase.audit import audit_record, client_ip
from logbooks.selectors.actions import actions_of_case
from logbooks.selectors.entries import entries_of_case

if TYPE_CHECKING:
    from accounts.models import User
    from cases.access import CaseAccess
    from cases.models import Case


@dataclass
class Briefing:
    case: Case
    identity: dict[str, str] | None
    entries: list
    actions: list
    user: User
    generated_at: Any


def build_briefing(*, case: Case, access: CaseAccess, user: User, include_identity: bool):
    identity = None
    if include_identity and access.sees_identity:
        defender = case.defender
        identity = {
            _("Legal name"): defender.legal_name,
            _("Other names"): defender.other_names,
            _("Location"): defender.location,
            _("Country"): str(defender.country.name),
        }
    entries = list(entries_of_case(case, user).order_by("occurred_at", "created_at"))
    actions = list(actions_of_case(case, user).order_by("taken_on", "created_at"))
    return Briefing(
        case=case,
        identity=identity,
        entries=entries,
        actions=actions,
        user=user,
        generated_at=timezone.localtime(),
    )


def _action_outcome(action, user) -> str:
    if action.outcome_visible_to(user):
        return action.outcome
    return _("(not shared)")


def render_csv(briefing: Briefing) -> bytes:
    out = io.StringIO()
    writer = safe_csv.writer(out)
    case = briefing.case
    writer.writerow(["record", "date", "organisation", "author", "kind", "visibility", "text"])
    case_row = ["case", case.opened_on, case.organisation.name, "", "", "", ""]
    case_row[-1] = f"{case.reference} {case.pseudonym}"
    writer.writerow(case_row)
    if briefing.identity:
        for label, value in briefing.identity.items():
            writer.writerow(["identity", "", "", "", label, "", value or ""])
    for entry in briefing.entries:
        writer.writerow(
            [
                "entry",
                timezone.localtime(entry.occurred_at).strftime("%Y-%m-%d %H:%M"),
                entry.organisation.name,
                entry.author.full_name or entry.author.email,
                entry.get_kind_display(),
                entry.get_visibility_display(),
                entry.summary,
            ]
        )
    for action in briefing.actions:
        writer.writerow(
            [
                "action",
                action.taken_on.isoformat(),
                action.organisation.name,
                action.authority,
                action.get_type_display(),
                action.get_status_display(),
                _action_outcome(action, briefing.user),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


class _Pdf:
    """The briefing's PDF story, paragraph by paragraph (reportlab is imported on first use:
    only an export needs it)."""

    def __init__(self) -> None:
        from reportlab.lib.styles import getSampleStyleSheet

        self.styles = getSampleStyleSheet()
        self.story: list = []

    def para(self, text: Any, style: str = "BodyText"):
        from xml.sax.saxutils import escape

        from reportlab.platypus import Paragraph

        return Paragraph(
            escape("" if text is None else str(text)).replace("\n", "<br/>"), self.styles[style]
        )

    def add(self, text: Any, style: str = "BodyText") -> None:
        self.story.append(self.para(text, style))


def _pdf_heading(pdf: _Pdf, briefing: Briefing) -> None:
    from reportlab.lib.units import cm
    from reportlab.platypus import Spacer

    case = briefing.case
    pdf.add(
        _("Briefing: %(ref)s %(pseudonym)s") % {"ref": case.reference, "pseudonym": case.pseudonym},
        "Title",
    )
    pdf.add(
        _(
            "Generated %(when)s by %(who)s (%(org)s). Confidential: contains only what "
            "this user may see."
        )
        % {
            "when": timezone.localtime(briefing.generated_at).strftime("%Y-%m-%d %H:%M"),
            "who": briefing.user.full_name or briefing.user.email,
            "org": briefing.user.organisation.name,
        },
        "Italic",
    )
    pdf.story.append(Spacer(1, 0.4 * cm))
    if briefing.identity:
        pdf.add(_("Defender"), "Heading2")
        for label, value in briefing.identity.items():
            if value:
                pdf.add(f"{label}: {value}")
    else:
        pdf.add(_("Redacted: the defender is referred to by the pseudonym only."))


def _pdf_entries(pdf: _Pdf, briefing: Briefing) -> None:
    pdf.add(_("Logbook"), "Heading2")
    if not briefing.entries:
        pdf.add(_("No entries."))
    for entry in briefing.entries:
        pdf.add(
            f"{timezone.localtime(entry.occurred_at):%Y-%m-%d %H:%M} · "
            f"{entry.get_kind_display()} · {entry.organisation.name} · "
            f"{entry.get_visibility_display()}",
            "Heading4",
        )
        pdf.add(entry.summary)


def _pdf_actions(pdf: _Pdf, briefing: Briefing) -> None:
    from reportlab.lib import colors
    from reportlab.lib.units import cm
    from reportlab.platypus import Table, TableStyle

    pdf.add(_("Diplomatic actions"), "Heading2")
    if not briefing.actions:
        pdf.add(_("No actions."))
        return
    headers = (_("Date"), _("Mission"), _("Type"), _("Authority"), _("Status"), _("Outcome"))
    rows = [[pdf.para(h) for h in headers]]
    for action in briefing.actions:
        rows.append(
            [
                pdf.para(action.taken_on.isoformat()),
                pdf.para(action.organisation.name),
                pdf.para(action.get_type_display()),
                pdf.para(action.authority),
                pdf.para(action.get_status_display()),
                pdf.para(_action_outcome(action, briefing.user)),
            ]
        )
    table = Table(
        rows, repeatRows=1, colWidths=[2.2 * cm, 2.8 * cm, 2.6 * cm, 3 * cm, 2 * cm, 4.4 * cm]
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ]
        )
    )
    pdf.story.append(table)


def render_pdf(briefing: Briefing) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    case = briefing.case
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{case.reference} {case.pseudonym}",
        author="hrdcase",
        leftMargin=2 * cm,
        rightMargin=2 * cm,
    )
    pdf = _Pdf()
    _pdf_heading(pdf, briefing)
    _pdf_entries(pdf, briefing)
    _pdf_actions(pdf, briefing)
    doc.build(pdf.story)
    return buffer.getvalue()


def export_response(
    request: HttpRequest, *, case: Case, access: CaseAccess, fmt: str, include_identity: bool
) -> HttpResponse:
    user = request.user
    with_identity = bool(include_identity and access.sees_identity)
    briefing = build_briefing(case=case, access=access, user=user, include_identity=with_identity)
    ip = client_ip(request)
    if with_identity:
        identity_viewed(case=case, access=access, user=user, ip=ip)
    case_part_viewed(case=case, user=user, part=CaseAccessLog.Part.EXPORT, ip=ip)
    audit_record(
        action="logbooks.export",
        actor=user,
        target=case,
        ip=ip,
        data={
            "format": fmt,
            "redacted": not with_identity,
            "entries": len(briefing.entries),
            "actions": len(briefing.actions),
        },
    )
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse(render_csv(briefing), content_type="text/csv; charset=utf-8")
        name = f"{case.reference}-logbook-{stamp}.csv"
    else:
        response = HttpResponse(render_pdf(briefing), content_type="application/pdf")
        name = f"{case.reference}-briefing-{stamp}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response
