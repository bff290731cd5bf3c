"""The layering rules of DESIGN.md §3, checked on the real import graph."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import moments_desk

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "moments_desk"


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_and_db_never_import_qt() -> None:
    offenders = []
    for layer in ("core", "db"):
        for path in (PACKAGE / layer).rglob("*.py"):
            qt = {m for m in imported_modules(path) if m.startswith("PySide6")}
            if qt:
                offenders.append(f"{path.relative_to(ROOT)}: {sorted(qt)}")
    assert offenders == []


def test_only_ui_and_app_import_widgets() -> None:
    allowed = {PACKAGE / "app.py"}
    offenders = [
        str(path.relative_to(ROOT))
        for path in PACKAGE.rglob("*.py")
        if "ui" not in path.relative_to(PACKAGE).parts
        and path not in allowed
        and any(
            m.startswith(("PySide6.QtWidgets", "PySide6.QtGui")) for m in imported_modules(path)
        )
    ]
    assert offenders == []


def test_services_load_without_any_gui_module() -> None:
    probe = (
        "import sys, moments_desk.core.reports.dashboard, moments_desk.core.planning,"
        " moments_desk.db.migrate, moments_desk.startup;"
        "print(sorted(m for m in sys.modules"
        " if m.startswith(('PySide6.QtWidgets', 'PySide6.QtGui'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert out.stdout.strip() == "[]"


def test_package_version_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert moments_desk.__version__ == project["version"]
