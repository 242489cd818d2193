"""The interpreter a bench run measures, and how fast it runs plain Python on this machine.

The pages' time outside SQL is CPython's: the same code runs ~20% faster on a CPython built
with profile-guided optimisation and link-time optimisation (the official Docker image that
the Dockerfile builds on, Debian's ``python3.11``) than on a plain build (pyenv's default).
So each run prints which interpreter it measured and a calibration: a fixed pure-Python
workload, in milliseconds (lower is faster), to compare runs across machines and builds as
``/healthz`` compares the stack (docs/performance.md, session 16).
"""

from __future__ import annotations

import platform
import sys
import sysconfig
import time

#: rounds of the calibration workload: ~0.15-0.25 s a run on this kind of 2-core machine.
CALIBRATION_ROUNDS = 100_000


def _workload(rounds: int) -> int:
    # what a request does most in Python: calls, attribute and dict reads, string building
    class Row:
        __slots__ = ("key", "label")

        def __init__(self, key: int, label: str) -> None:
            self.key, self.label = key, label

    def cell(row: Row, labels: dict[int, str]) -> str:
        return f"<td>{labels.get(row.key % 7, row.label)}</td>"

    labels = {n: f"label {n}" for n in range(7)}
    total = 0
    for n in range(rounds):
        rows = [Row(n + i, "x") for i in range(5)]
        total += len("".join(cell(row, labels) for row in rows))
    return total


def calibration_ms(repeat: int = 3) -> float:
    """The best of ``repeat`` runs of the workload, in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        _workload(CALIBRATION_ROUNDS)
        best = min(best, time.perf_counter() - start)
    return best * 1000


def build_flags() -> str:
    """The optimisation flags CPython's ``configure`` was given, as far as it records them (a
    distribution may build with PGO and LTO through its own rules, leaving none here)."""
    args = sysconfig.get_config_var("CONFIG_ARGS") or ""
    flags = [flag for flag in ("--enable-optimizations", "--with-lto") if flag in args]
    return " ".join(flags) or "no PGO/LTO configure flags recorded"


def interpreter_line() -> str:
    return (
        f"python: {platform.python_implementation()} {platform.python_version()} "
        f"({sys.executable}; {build_flags()}), calibration {calibration_ms():.0f} ms "
        "(a fixed pure-Python workload: lower is faster)"
    )
