"""What an alert is about: its cause. One open alert per case and cause (issue 22).

An automatic alert (risk raised, detention recorded, missed check-in, a feature's source)
whose cause already has an open alert on the case, raised by a person or automatically,
joins that alert's history (``AlertEvent``) instead of opening another: the people on the
first alert are already on it. Alerts raised by a person never join: raising by hand is a
decision, and its author may mean a second alert.

The mapping (docs/alerts.md, "One open alert per case and cause"):

| cause | kinds |
| --- | --- |
| ``detention`` | Detained (by hand), Detention recorded |
| ``risk`` | Imminent threat (by hand), Risk raised to high, Risk raised to critical |
| ``whereabouts`` | Missing (by hand), Missed check-in |
| ``hearing`` | Hearing without an observer |
| ``attacked``, ``raid``, ``travel_blocked`` | their one kind each |
| none | Other by hand (never joined); an automatic "Other" takes its source's name (the key's
  prefix), or the cause the source gives |
"""

from __future__ import annotations

CAUSE_OF_KIND: dict[str, str] = {
    "detained": "detention",
    "detention_recorded": "detention",
    "imminent_threat": "risk",
    "risk_high": "risk",
    "risk_critical": "risk",
    "missing": "whereabouts",
    "missed_check_in": "whereabouts",
    "hearing_unobserved": "hearing",
    "attacked": "attacked",
    "raid": "raid",
    "travel_blocked": "travel_blocked",
}

#: the severities in order: a joining event more severe than the open alert raises it.
SEVERITY_ORDER = {"medium": 1, "high": 2, "critical": 3}


def cause_of(kind: str, auto_key: str = "") -> str:
    """The cause of an alert of ``kind``; for a kind without one (``other``), the source's
    name, the part of the automatic key before its first ``:`` (blank by hand)."""
    cause = CAUSE_OF_KIND.get(kind, "")
    if cause or not auto_key:
        return cause
    return auto_key.split(":", 1)[0][:100]
