"""Spanish: "4 dic 2026", "4 jul 2026, 14:30"."""

from hrdcase.formats.common import (  # noqa: F401  (Django reads these names)
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    TIME_FORMAT,
    TIME_INPUT_FORMATS,
)

DATE_FORMAT = "j b Y"
DATETIME_FORMAT = "j b Y, H:i"
SHORT_DATE_FORMAT = "j b Y"
SHORT_DATETIME_FORMAT = "j b Y H:i"
