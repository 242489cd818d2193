"""The dashboards' one write: an audited CSV export of a chart's (suppressed) data."""

from __future__ import annotations

import io
from datetime import date
from typing import TYPE_CHECKING

from hrdcase import csv as safe_csv
from hrdcase.audit import audit_record

if TYPE_CHECKING:
    from accounts.models import User
    from dashboards.figures import Figure
    from dashboards.periods import Period


def figure_export_csv(
    *,
    figure: Figure,
    period: Period | None,
    scope,
    acting_user: User,
    ip: str | None = None,
    as_of: date | None = None,
) -> str:
    """The chart's table as shown on the page (small counts suppressed), audited.

    ``period``: the calendar period of a network figure; an organisation's own figures are
    of one day (``as_of``)."""
    out = io.StringIO()
    writer = safe_csv.writer(out)
    when = period.label if period is not None else (as_of.isoformat() if as_of else "")
    # The safe writer quotes any cell a spreadsheet would run as a formula (CSV injection).
    writer.writerow([figure.title, when])
    writer.writerow(["", *figure.columns])
    for label, shown in figure.table():
        writer.writerow([label, *shown])
    writer.writerow(["Total", *figure.shown_totals])
    data: dict = {"chart": figure.key}
    if period is not None:
        data.update(period=period.label, start=period.start, end=period.end)
    elif as_of is not None:
        data["as_of"] = as_of
    audit_record(
        action="dashboard.export",
        actor=acting_user,
        target=scope if hasattr(scope, "_meta") else None,
        ip=ip,
        data=data,
    )
    return out.getvalue()
