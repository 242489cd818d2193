"""The dashboards' one write: an audited CSV export of a chart's (suppressed) data, or of
every chart of a network's period at once (a ZIP of the same CSV files)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import TYPE_CHECKING

from hrdcase import csv as safe_csv
from hrdcase.audit import audit_record

if TYPE_CHECKING:
    from accounts.models import User
    from dashboards.figures import Figure
    from dashboards.periods import Period


def _figure_csv(figure: Figure, when: str) -> str:
    """The chart's table as shown on the page: small counts suppressed, a total only where
    the rows add up (``Figure.summable``)."""
    out = io.StringIO()
    writer = safe_csv.writer(out)
    # The safe writer quotes any cell a spreadsheet would run as a formula (CSV injection).
    writer.writerow([figure.title, when])
    writer.writerow(["", *figure.columns])
    for label, shown in figure.table():
        writer.writerow([label, *shown])
    if figure.summable:
        writer.writerow(["Total", *figure.shown_totals])
    for name, value in figure.measures:
        writer.writerow([name, value])
    return out.getvalue()


def figure_export_csv(
    *,
    figure: Figure,
    period: Period | None,
    scope,
    acting_user: User,
    ip: str | None = None,
    as_of: date | None = None,
) -> str:
    """The chart's table as shown on the page, audited.

    ``period``: the calendar period of a network figure; an organisation's own figures are
    of one day (``as_of``)."""
    when = period.label if period is not None else (as_of.isoformat() if as_of else "")
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
    return _figure_csv(figure, when)


def figures_export_zip(
    *, figures: list[Figure], period: Period, scope, acting_user: User, ip: str | None = None
) -> bytes:
    """Every chart of a network's period, one CSV each (exactly what each chart's own
    download gives), in one ZIP; audited once, naming the charts."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for figure in figures:
            archive.writestr(f"{figure.key}-{period.label}.csv", _figure_csv(figure, period.label))
    audit_record(
        action="dashboard.export_all",
        actor=acting_user,
        target=scope,
        ip=ip,
        data={
            "charts": [figure.key for figure in figures],
            "period": period.label,
            "start": period.start,
            "end": period.end,
        },
    )
    return out.getvalue()
