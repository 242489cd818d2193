"""The dashboards' one write: an audited CSV export of a chart's (suppressed) data."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from hrdcase.audit import audit_record

if TYPE_CHECKING:
    from accounts.models import User
    from dashboards.figures import Figure, Period


def _cell(value: str) -> str:
    # A spreadsheet would run a cell starting with these as a formula (CSV injection).
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


def figure_export_csv(
    *, figure: Figure, period: Period, scope, acting_user: User, ip: str | None = None
) -> str:
    """The chart's table as shown on the page (small counts suppressed), audited."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_cell(figure.title), f"{period.start.isoformat()}..{period.end.isoformat()}"])
    writer.writerow(["", *map(_cell, figure.columns)])
    for label, shown in figure.table():
        writer.writerow([_cell(label), *shown])
    writer.writerow(["Total", *figure.totals])
    audit_record(
        action="dashboard.export",
        actor=acting_user,
        target=scope if hasattr(scope, "_meta") else None,
        ip=ip,
        data={"chart": figure.key, "start": period.start, "end": period.end},
    )
    return out.getvalue()
