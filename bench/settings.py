"""Settings of the benchmark's own commands (``python -m bench``, ``bench_seed``,
``bench_run``): the production settings with the ``bench`` app installed.

The product never runs with ``bench`` installed: its model (``BenchDataset``) and its
commands exist only under these settings (``DJANGO_SETTINGS_MODULE=bench.settings``, which
``bench/env.py`` sets for ``make bench``), and in the test settings, which run the smoke test.
"""

from hrdcase.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
