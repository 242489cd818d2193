"""Every bench run names the CPython it measured and how fast that interpreter runs plain
Python here (bench/interpreter.py): a PGO/LTO build runs the pages ~20% faster than a plain
one, so figures are only comparable with it."""

from __future__ import annotations

import platform
import re
import sys
import sysconfig

import pytest

from bench import interpreter


def test_the_run_names_the_interpreter_and_its_calibration():
    line = interpreter.interpreter_line()
    assert sys.executable in line and platform.python_version() in line
    assert float(re.search(r"calibration (\d+) ms", line).group(1)) > 0


@pytest.mark.parametrize(
    ("config_args", "shown"),
    [
        (
            "'--prefix=/usr/local' '--enable-optimizations' '--with-lto'",
            "--enable-optimizations --with-lto",
        ),
        ("'--prefix=/root/.pyenv/versions/3.11.7' '--enable-shared'", "no PGO/LTO configure flags"),
    ],
)
def test_it_says_which_optimisations_configure_was_given(monkeypatch, config_args, shown):
    real = sysconfig.get_config_var
    monkeypatch.setattr(
        sysconfig,
        "get_config_var",
        lambda name: config_args if name == "CONFIG_ARGS" else real(name),
    )
    assert interpreter.build_flags().startswith(shown)
