"""Arabic: the month in full ("4 ديسمبر 2026"): its names have no usual abbreviation."""

from hrdcase.formats.common import (  # noqa: F401  (Django reads these names)
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    TIME_FORMAT,
    TIME_INPUT_FORMATS,
)

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y H:i"
