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
from cases.services.access_log import case_part_viewed
from hrdcase import csv as safe_csv
from hrdcase.audit import audit_record, client_ip
from logbooks.selectors import actions_of_case, entries_of_case

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


def render_pdf(briefing: Briefing) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
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

    def para(text: Any, style: str = "BodyText") -> Paragraph:
        return Paragraph(
            escape("" if text is None else str(text)).replace("\n", "<br/>"), styles[style]
        )

    story: list = [
        para(
            _("Briefing: %(ref)s %(pseudonym)s")
            % {"ref": case.reference, "pseudonym": case.pseudonym},
            "Title",
        ),
        para(
            _(
                "Generated %(when)s by %(who)s (%(org)s). Confidential: contains only what "
                "this user may see."
            )
            % {
                "when": briefing.generated_at.strftime("%Y-%m-%d %H:%M"),
                "who": briefing.user.full_name or briefing.user.email,
                "org": briefing.user.organisation.name,
            },
            "Italic",
        ),
        Spacer(1, 0.4 * cm),
    ]
    if briefing.identity:
        story.append(para(_("Defender"), "Heading2"))
        for label, value in briefing.identity.items():
            if value:
                story.append(para(f"{label}: {value}"))
    else:
        story.append(para(_("Redacted: the defender is referred to by the pseudonym only.")))
    story.append(para(_("Logbook"), "Heading2"))
    if not briefing.entries:
        story.append(para(_("No entries.")))
    for entry in briefing.entries:
        story.append(
            para(
                f"{timezone.localtime(entry.occurred_at):%Y-%m-%d %H:%M} · "
                f"{entry.get_kind_display()} · {entry.organisation.name} · "
                f"{entry.get_visibility_display()}",
                "Heading4",
            )
        )
        story.append(para(entry.summary))
    story.append(para(_("Diplomatic actions"), "Heading2"))
    if not briefing.actions:
        story.append(para(_("No actions.")))
    else:
        rows = [
            [
                para(h)
                for h in (
                    _("Date"),
                    _("Mission"),
                    _("Type"),
                    _("Authority"),
                    _("Status"),
                    _("Outcome"),
                )
            ]
        ]
        for action in briefing.actions:
            rows.append(
                [
                    para(action.taken_on.isoformat()),
                    para(action.organisation.name),
                    para(action.get_type_display()),
                    para(action.authority),
                    para(action.get_status_display()),
                    para(_action_outcome(action, briefing.user)),
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
        story.append(table)
    doc.build(story)
    return buffer.getvalue()


def export_response(
    request: HttpRequest, *, case: Case, access: CaseAccess, fmt: str, include_identity: bool
) -> HttpResponse:
    user = request.user
    with_identity = bool(include_identity and access.sees_identity)
    briefing = build_briefing(case=case, access=access, user=user, include_identity=with_identity)
    ip = client_ip(request)
    if with_identity:
        case_part_viewed(
            case=case,
            user=user,
            part=CaseAccessLog.Part.IDENTITY,
            ip=ip,
            break_glass=access.break_glass is not None,
        )
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
