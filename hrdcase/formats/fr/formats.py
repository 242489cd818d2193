"""French: "4 déc. 2026", "4 juil. 2026, 14:30" (the usual abbreviations, with their dot)."""

from hrdcase.formats.common import (  # noqa: F401  (Django reads these names)
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    TIME_FORMAT,
    TIME_INPUT_FORMATS,
)

DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j N Y, H:i"
SHORT_DATE_FORMAT = "j N Y"
SHORT_DATETIME_FORMAT = "j N Y H:i"
