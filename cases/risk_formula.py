"""How a risk assessment's level is computed: one pure function, shown to users as is.

The protection-manual tradition (Protection International, Front Line Defenders) reads risk
as *threats x vulnerabilities / capacities*. hrdcase asks the assessor, for each dimension of
holistic security (physical, digital, psychosocial; see the ISHR guide's "holistic approaches
to security"), for:

- the **likelihood** that the threat materialises (1 rare ... 5 almost certain), which is
  where the threats meet the defender's vulnerabilities;
- its **impact** on the defender if it does (1 minimal ... 5 life, liberty or the work
  destroyed);
- the **capacities** the defender has against it: ``limited`` (none or few), ``partial``
  or ``strong``.

Formula (version 1):

    raw score(dimension)   = likelihood x impact                              (1 .. 25)
    score(dimension)       = ceil(raw x capacity factor), at least 1
                             capacity factor: limited 100 %, partial 80 %, strong 60 %
    overall score          = the highest dimension score
    level                  = band of the overall score:
                             1-4 low, 5-9 medium, 10-15 high, 16-25 critical

Why these choices:
- the overall level is the *highest* dimension, not an average: a defender whose phone is
  compromised is not made safer by being well protected at home (holistic security);
- capacities reduce risk (the division of the tradition) but never to nothing: with strong
  capacities an almost-certain, life-threatening threat (5 x 5) still scores 15, *high*;
- rounding is upwards, so a score never falls into a lower band by rounding.

The stored level of an assessment never changes: assessments are immutable, and each
records the ``FORMULA_VERSION`` that computed it. An officer who judges the computed level
wrong overrides the case's level with a reason; the assessment keeps what it computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

FORMULA_VERSION = 1

DIMENSIONS: tuple[str, ...] = ("physical", "digital", "psychosocial")

SCALE_MIN = 1
SCALE_MAX = 5

# Capacity rating -> percentage of the raw score that remains (integer arithmetic: no float
# rounding surprises at band edges).
CAPACITY_PERCENT: dict[str, int] = {"limited": 100, "partial": 80, "strong": 60}

# Lowest score of each band, highest band first.
BANDS: tuple[tuple[int, str], ...] = ((16, "critical"), (10, "high"), (5, "medium"), (1, "low"))


@dataclass(frozen=True)
class DimensionScore:
    dimension: str
    likelihood: int
    impact: int
    capacity: str
    raw: int
    score: int
    level: str

    @property
    def capacity_percent(self) -> int:
        return CAPACITY_PERCENT[self.capacity]


@dataclass(frozen=True)
class RiskResult:
    dimensions: tuple[DimensionScore, ...]
    score: int
    level: str
    formula_version: int = FORMULA_VERSION


def level_for_score(score: int) -> str:
    """The band of a score (1..25)."""
    if not SCALE_MIN <= score <= SCALE_MAX * SCALE_MAX:
        raise ValueError(f"a risk score is between 1 and 25, not {score}")
    for lowest, level in BANDS:
        if score >= lowest:
            return level
    raise AssertionError("unreachable: the lowest band starts at 1")


def dimension_score(
    *, dimension: str, likelihood: int, impact: int, capacity: str
) -> DimensionScore:
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not SCALE_MIN <= value <= SCALE_MAX
        ):
            raise ValueError(f"{dimension} {name} must be an integer from 1 to 5, not {value!r}")
    if capacity not in CAPACITY_PERCENT:
        raise ValueError(
            f"{dimension} capacity must be one of {sorted(CAPACITY_PERCENT)}, not {capacity!r}"
        )
    raw = likelihood * impact
    # ceil(raw * percent / 100) in integers
    score = max(SCALE_MIN, -(-(raw * CAPACITY_PERCENT[capacity]) // 100))
    return DimensionScore(
        dimension=dimension,
        likelihood=likelihood,
        impact=impact,
        capacity=capacity,
        raw=raw,
        score=score,
        level=level_for_score(score),
    )


def compute_risk(ratings: Mapping[str, tuple[int, int, str]]) -> RiskResult:
    """The level of an assessment from ``{dimension: (likelihood, impact, capacity)}`` for
    every dimension in ``DIMENSIONS``. Raises ValueError on a missing or out-of-range rating."""
    missing = [d for d in DIMENSIONS if d not in ratings]
    if missing:
        raise ValueError(f"ratings missing for {', '.join(missing)}")
    dimensions = tuple(
        dimension_score(
            dimension=d, likelihood=ratings[d][0], impact=ratings[d][1], capacity=ratings[d][2]
        )
        for d in DIMENSIONS
    )
    score = max(d.score for d in dimensions)
    return RiskResult(dimensions=dimensions, score=score, level=level_for_score(score))
