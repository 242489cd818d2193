"""The load run's CPU reading: what a request cost the web workers and PostgreSQL, and the
rate that bounds on this machine's cores (bench/cpu.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from bench import cpu, dispatch, runner, throughput  # noqa: F401  (runner first: it loads the probes in order)

# A "master" whose one child burns CPU until killed, as a gunicorn worker under load would.
_MASTER = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "while True: pass"])
print(child.pid, flush=True)
time.sleep(60)
"""


def test_the_meter_reads_the_cpu_the_master_s_children_spent():
    master = subprocess.Popen([sys.executable, "-c", _MASTER], stdout=subprocess.PIPE, text=True)
    worker = master.stdout.readline().strip()
    try:
        assert cpu.children(master.pid) == [worker]
        # The same processes read as Celery's too: a master and its children.
        meter = cpu.CpuMeter(master.pid, worker_masters=(master.pid,))
        meter.start()
        time.sleep(0.5)
        use = meter.stop()
    finally:
        subprocess.run(["kill", worker], check=False)
        master.kill()
        master.wait()
    # Busy for the whole half second, on whatever share of a core the machine's other tests
    # leave it: clearly more than a sleeping process, never more than the time itself.
    assert 0.05 <= use.web <= 0.6
    assert use.worker == pytest.approx(use.web, abs=0.05)  # the master itself sleeps
    assert use.client < 0.1  # this process slept
    assert use.database >= 0


def test_the_ceiling_is_the_cores_over_the_server_s_cpu_per_request():
    use = cpu.CpuUse(web=2.0, database=0.5, client=0.3)
    assert use.per_request_ms(100) == pytest.approx({"web": 20.0, "database": 5.0, "client": 3.0})
    # 25 ms of server CPU a request: two cores serve at most 80 a second, whatever the client.
    assert use.ceiling_req_s(100, cores=2) == pytest.approx(80.0)


def test_the_load_run_prints_the_cpu_a_request_cost_and_its_ceiling():
    record = throughput.Connection(samples=[10.0] * 100)
    record.statuses[200] = 100
    record.workers["1"] = 100
    use = cpu.CpuUse(web=2.0, database=0.5, client=0.3)
    outcome = throughput.summarise([record], 1.0, 150, ["1"], use)
    assert "CPU a request: web 20.0 ms, PostgreSQL 5.0 ms, client 3.0 ms" in outcome.note
    assert outcome.extra["cpu_ms_per_request"]["web"] == pytest.approx(20.0)
    assert outcome.extra["cpu_ceiling_req_per_s"] == pytest.approx(outcome.extra["cores"] / 0.025)
    assert not outcome.passed  # 100 req/s against 150


def test_the_burst_prints_what_an_alert_cost_and_the_fewest_seconds_that_allows():
    # 1,000 alerts: 20 s of web CPU, 5 of PostgreSQL's, 25 of the workers' (client left out).
    use = cpu.CpuUse(web=20.0, database=5.0, client=3.0, worker=25.0)
    cores = os.cpu_count() or 1
    assert dispatch._burst_floor_s(use) == pytest.approx(50.0 / cores)
    words = dispatch._burst_cpu_words(use)
    assert "web 20.0 ms, PostgreSQL 5.0 ms, workers 25.0 ms" in words
    assert f"at least {50.0 / cores:.1f} s on {cores} cores" in words
