"""The import graph points one way (docs/architecture.md):

    hrdcase (core) <- accounts <- cases <- alerts <- logbooks, relocation <- dashboards

Read from the source with ``ast``, so imports inside functions and under ``TYPE_CHECKING``
count too. The core takes the user and tenant models through settings
(``AUTH_USER_MODEL``, ``TENANT_MODEL``); its settings and its URLconf name apps only as
strings (``INSTALLED_APPS``, ``include("cases.api_urls")``), never by importing them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: each app's level: an app may import the core and the apps of a lower level, no other.
LEVELS = {
    "accounts": 1,
    "cases": 2,
    "alerts": 3,
    "logbooks": 4,
    "relocation": 4,
    "dashboards": 5,
    # support requests create logbooks' diplomatic actions and reuse relocation's urgency
    # and answer deadlines: above both, beside dashboards.
    "support": 5,
}
#: above every app: the benchmark reads and seeds them all, and no app may import it.
ABOVE_ALL = ("bench", "tests")


def imported_packages(path: Path) -> set[tuple[str, int]]:
    """(top-level package, line) of every absolute import in the module at ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {(alias.name.split(".")[0], node.lineno) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add((node.module.split(".")[0], node.lineno))
    return found


def modules_of(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


def test_the_core_imports_no_app():
    apps = set(LEVELS) | set(ABOVE_ALL)
    offenders = [
        f"{_where(path, line)} imports {package}"
        for path in modules_of("hrdcase")
        for package, line in sorted(imported_packages(path), key=lambda found: found[1])
        if package in apps
    ]
    assert offenders == []


@pytest.mark.parametrize("app", sorted(LEVELS))
def test_no_app_imports_an_app_above_it(app):
    allowed = {other for other, level in LEVELS.items() if level < LEVELS[app]} | {app}
    offenders = [
        f"{_where(path, line)} imports {package}"
        for path in modules_of(app)
        for package, line in sorted(imported_packages(path), key=lambda found: found[1])
        if (package in LEVELS or package in ABOVE_ALL) and package not in allowed
    ]
    assert offenders == []


def test_the_rule_reads_every_kind_of_import(tmp_path):
    """The checks above see through function bodies, TYPE_CHECKING blocks and aliases."""
    module = tmp_path / "example.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "import accounts.models as account_models\n"
        "if TYPE_CHECKING:\n"
        "    from cases.models import Case\n"
        "def later():\n"
        "    from alerts import services\n"
        "from . import sibling\n"
    )
    packages = {package for package, _line in imported_packages(module)}
    assert packages == {"typing", "accounts", "cases", "alerts"}
