"""The layering rules of docs/architecture.md, checked on the real import graph.

The graph is read from the source: every ``import``, at module level or inside a function
(and under ``TYPE_CHECKING``), so a cycle cannot hide behind a function-level import.
"""

from __future__ import annotations

import ast
import importlib
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import moments_desk

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "moments_desk"
MIGRATION_SCRIPTS = PACKAGE / "db" / "migrations" / "versions"

#: A migration script may compute derived columns with a pure core function (no database,
#: no Qt): 0006 writes customers' search texts. Nothing else in db/ imports core/.
MIGRATIONS_MAY_IMPORT = {
    ("0006_customer_search_fields", "moments_desk.core.shared.pinyin"),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def app_modules() -> dict[str, Path]:
    return {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in it; ``from a import b`` also names ``a.b``
    when that is a module of the app."""
    inside = path.is_relative_to(ROOT)
    here = module_name(path).split(".") if inside else [path.stem]
    if path.name != "__init__.py":
        here.pop()
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here[: len(here) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(
                f"{base}.{alias.name}"
                for alias in node.names
                if f"{base}.{alias.name}" in app_modules()
            )
    return names


def app_imports(path: Path) -> set[str]:
    return {m for m in imported_modules(path) if m in app_modules()} - {module_name(path)}


def layer(module: str) -> str:
    """The unit the no-cycles rule is about: a top-level package or module of the app, each
    domain package of core/ on its own, and the migration scripts apart from db/."""
    parts = module.split(".")
    if parts[1:3] == ["db", "migrations"] and len(parts) > 3 and parts[3] == "versions":
        return "db.migrations.versions"
    if parts[1:2] == ["core"] and len(parts) > 3:
        return f"core.{parts[2]}"
    return parts[1] if len(parts) > 1 else parts[0]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def module_graph() -> dict[str, set[str]]:
    return {name: app_imports(path) for name, path in app_modules().items()}


def layer_edges() -> Iterator[tuple[str, str, str, str]]:
    for source, targets in module_graph().items():
        for target in targets:
            if layer(source) != layer(target):
                yield layer(source), layer(target), source, target


def test_no_module_imports_another_that_imports_it_back() -> None:
    assert cycles(module_graph()) == []


def test_no_cycles_between_packages_or_between_the_domain_packages_of_core() -> None:
    graph: dict[str, set[str]] = {}
    for source, target, _module, _imported in layer_edges():
        graph.setdefault(source, set()).add(target)
    assert cycles(graph) == []


def test_the_cycle_check_finds_a_cycle_hidden_in_a_function(tmp_path: Path) -> None:
    """The checks above must be able to fail: an import inside a function counts, and an
    import back from messages to orders would be a cycle."""
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from moments_desk.core.orders import orders\n", "utf-8")
    assert "moments_desk.core.orders.orders" in imported_modules(sample)
    graph = module_graph()
    graph["moments_desk.core.shared.messages"].add("moments_desk.core.orders.orders")
    pair = {"moments_desk.core.orders.orders", "moments_desk.core.shared.messages"}
    assert any(pair <= set(cycle) for cycle in cycles(graph))


def test_the_core_root_holds_only_packages() -> None:
    loose = [p.name for p in (PACKAGE / "core").glob("*.py") if p.name != "__init__.py"]
    assert loose == []


def test_db_never_imports_core_ui_or_the_app() -> None:
    forbidden = ("core", "ui", "cli", "app", "startup", "scheduling")
    offenders = []
    for source, target, module, imported in layer_edges():
        if (source == "db" and target.split(".")[0] in forbidden) or (
            source == "db.migrations.versions"
            and target != "db"
            and (module.rsplit(".", 1)[1], imported) not in MIGRATIONS_MAY_IMPORT
        ):
            offenders.append(f"{module} -> {imported}")
    assert offenders == []


def test_core_never_imports_ui_or_the_app() -> None:
    forbidden = ("ui", "cli", "app", "startup", "__main__")
    offenders = [
        f"{module} -> {imported}"
        for source, target, module, imported in layer_edges()
        if source.startswith("core.") and target in forbidden
    ]
    assert offenders == []


def ui_sql_imports(path: Path) -> set[str]:
    """SQLAlchemy modules and ORM classes (mapped models, tables) ``path`` imports."""
    import sqlalchemy

    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "sqlalchemy")
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] == "sqlalchemy":
                found.add(node.module)
            elif node.module.split(".")[:3] == ["moments_desk", "db", "models"]:
                models = importlib.import_module(node.module)
                for alias in node.names:
                    obj = getattr(models, alias.name, None)
                    if hasattr(obj, "__mapper__") or isinstance(obj, sqlalchemy.Table):
                        found.add(f"{node.module}.{alias.name}")
            elif node.module == "moments_desk.db" and any(a.name == "models" for a in node.names):
                found.add("moments_desk.db.models")
    return found


def test_ui_imports_no_sqlalchemy_and_no_orm_models() -> None:
    """Every ui module asks core for plain data: no sessions, statements or mapped rows."""
    offenders = sorted(
        f"{name}: {sorted(found)}"
        for name, path in app_modules().items()
        if name.startswith("moments_desk.ui.") and (found := ui_sql_imports(path))
    )
    assert offenders == [], "ui must ask core for plain data"


def test_the_ui_check_sees_a_model_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n    from moments_desk.db.models import Customer, PostKind\n"
        "    from moments_desk.db.models.orders import Order\n",
        encoding="utf-8",
    )
    assert ui_sql_imports(sample) == {
        "moments_desk.db.models.Customer",
        "moments_desk.db.models.orders.Order",
    }


def test_the_ui_check_sees_a_session_or_a_statement(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import sqlalchemy.exc\nfrom sqlalchemy.orm import Session\n"
        "from sqlalchemy import select\nfrom moments_desk.db import models\n",
        encoding="utf-8",
    )
    assert ui_sql_imports(sample) == {
        "sqlalchemy.exc",
        "sqlalchemy.orm",
        "sqlalchemy",
        "moments_desk.db.models",
    }


def test_core_and_db_never_import_qt() -> None:
    offenders = []
    for layer_dir in ("core", "db"):
        for path in (PACKAGE / layer_dir).rglob("*.py"):
            qt = {m for m in imported_modules(path) if m.split(".")[0] in ("PySide6", "shiboken6")}
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


def test_the_repository_cites_no_document_outside_it() -> None:
    """The design notes the project started from are not in the repository: what the code,
    tests, README and CI need lives in docs/."""
    outside = "DESIGN" + ".md"
    places = [ROOT / "README.md", ROOT / ".ci" / "run", ROOT / "Makefile", ROOT / "build.spec"]
    for folder in ("moments_desk", "tests", "bench", "scripts", "docs", "packaging"):
        places.extend(p for p in (ROOT / folder).rglob("*") if p.suffix in (".py", ".md", ".sh"))
    citing = [str(p.relative_to(ROOT)) for p in places if outside in p.read_text("utf-8")]
    assert citing == []
