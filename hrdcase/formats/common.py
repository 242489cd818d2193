"""What every language of hrdcase shares: 24-hour times, ISO input first."""

TIME_FORMAT = "H:i"

# ISO first: a date input's value is written with the first format and must be ISO.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-04, what <input type="date"> posts
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",  # 2026-12-04 14:30:59 (datetime-local inputs read it too)
    "%Y-%m-%dT%H:%M:%S",  # 2026-12-04T14:30:59, what <input type="datetime-local"> posts
    "%Y-%m-%dT%H:%M",  # 2026-12-04T14:30
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"]
