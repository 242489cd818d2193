"""CPU time spent by the server's processes during a load run (Linux /proc).

A load run's req/s says how fast the server went, not how fast it could go: on a machine of
``cores`` CPUs that also runs PostgreSQL and the load client, every request costs the web
workers' CPU plus PostgreSQL's. Measured over the run's window, that cost bounds the rate
whatever the settings: ``cores / (web + database CPU per request)`` is the most requests a
second the machine can serve even if the client cost nothing. ``make bench`` prints it next
to each load run's rate (docs/performance.md, session 17).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat_ticks(pid: str) -> tuple[str, int] | None:
    """(command name, user + system ticks) of one process; None once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = stat[stat.find("(") + 1 : stat.rfind(")")]
    fields = stat[stat.rfind(")") + 2 :].split()
    return name, int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)


def children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


def database_pids() -> list[str]:
    """Every PostgreSQL process of this machine (its backends serve the run's queries)."""
    pids = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            found = _stat_ticks(pid)
            if found is not None and found[0] == "postgres":
                pids.append(pid)
    return pids


def _ticks(pids: list[str]) -> dict[str, int]:
    out = {}
    for pid in pids:
        found = _stat_ticks(pid)
        if found is not None:
            out[pid] = found[1]
    return out


def _spent(before: dict[str, int], after: dict[str, int]) -> float:
    """Seconds of CPU the processes spent between the two readings (those alive at both)."""
    return sum(after[pid] - ticks for pid, ticks in before.items() if pid in after) / TICKS


@dataclass
class CpuUse:
    """CPU seconds of the window, per tier (``worker``: Celery's processes, when measured)."""

    web: float
    database: float
    client: float
    worker: float = 0.0

    def per_request_ms(self, requests: int) -> dict[str, float]:
        n = max(requests, 1)
        return {
            "web": 1000 * self.web / n,
            "database": 1000 * self.database / n,
            "client": 1000 * self.client / n,
        }

    def ceiling_req_s(self, requests: int, cores: int) -> float:
        """The most requests a second ``cores`` CPUs could serve at this cost (web and
        database; the client left out): the rate's upper bound on this machine."""
        server = (self.web + self.database) / max(requests, 1)
        return cores / server if server > 0 else float("inf")


class CpuMeter:
    """Reads the web workers' (children of ``master_pid``), PostgreSQL's, this process's and
    (``worker_masters``: Celery workers) each master's and its children's CPU time at
    ``start()`` and ``stop()``. ``stop()`` may be called again: each reading counts from the
    start, for the processes alive at both."""

    def __init__(self, master_pid: int, worker_masters: tuple[int, ...] = ()):
        self.master_pid = master_pid
        self.worker_masters = worker_masters

    def _worker_pids(self) -> list[str]:
        return [p for m in self.worker_masters for p in (str(m), *children(m))]

    def _read(self) -> tuple[dict[str, int], dict[str, int], dict[str, int], float]:
        times = os.times()
        return (
            _ticks(children(self.master_pid)),
            _ticks(database_pids()),
            _ticks(self._worker_pids()),
            times.user + times.system,
        )

    def start(self) -> None:
        self._before = self._read()

    def stop(self) -> CpuUse:
        web, database, worker, client = self._read()
        web0, database0, worker0, client0 = self._before
        return CpuUse(
            web=_spent(web0, web),
            database=_spent(database0, database),
            client=client - client0,
            worker=_spent(worker0, worker),
        )
