"""Mutation testing of the domain core: each module against its own tests (``make mutate``).

    .venv/bin/python scripts/mutate.py                 # every module below
    .venv/bin/python scripts/mutate.py money draws     # some of them
    .venv/bin/python scripts/mutate.py --report        # the kill rates of the last runs

mutmut (3.x) reads its settings from ``pyproject.toml`` in the folder it runs in, so each
module runs in its own scratch copy under ``build/mutate/NAME/`` whose ``pyproject.toml``
names that module and its tests. Inside a run mutmut gives every mutant only the tests that
executed the mutated function. Mutants that hang are stopped (and count as killed): both
mutmut's own time limit and the per-test pytest-timeout apply.

Prints killed / mutants and the kill rate per module; surviving mutants are listed by name
(``mutmut show NAME`` in the module's scratch folder prints the change). The ones that
remain are argued in docs/mutation-survivors.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "build" / "mutate"


@dataclass(frozen=True)
class Target:
    source: str
    tests: tuple[str, ...]
    #: Only these functions count (the cell parsers of a larger importer); None: all.
    functions: frozenset[str] | None = None


TARGETS: dict[str, Target] = {
    "rules": Target(
        "moments_desk/core/planning/rules.py",
        ("tests/core/planning/test_rules.py", "tests/core/planning/test_rule_windows.py"),
    ),
    "allocation": Target(
        "moments_desk/core/orders/allocation.py",
        (
            "tests/core/orders/test_allocation.py",
            "tests/core/orders/test_allocation_orders.py",
            "tests/core/orders/test_allocation_properties.py",
        ),
    ),
    "draws": Target(
        "moments_desk/core/tracking/draws.py",
        ("tests/core/tracking/test_draws.py",),
    ),
    "birthdays": Target(
        "moments_desk/core/customers/birthdays.py",
        (
            "tests/core/customers/test_birthdays.py",
            "tests/core/customers/test_birthday_calendar.py",
        ),
    ),
    "money": Target("moments_desk/core/shared/money.py", ("tests/core/shared/test_money.py",)),
    "matching": Target(
        "moments_desk/core/tracking/matching.py",
        ("tests/core/tracking/test_matching.py", "tests/core/tracking/test_matching_paths.py"),
    ),
    "customer_cells": Target(
        "moments_desk/core/customers/customer_cells.py",
        ("tests/core/customers/test_customer_cells.py",),
    ),
    "tabular_cells": Target(
        "moments_desk/core/spreadsheets/tabular.py",
        ("tests/core/spreadsheets/test_cell_parsers.py", "tests/core/spreadsheets/test_tabular.py"),
        frozenset(
            {"clean_cell", "normalise_header", "_cell_text", "_fit", "_tidy", "guess_mapping"}
        ),
    ),
    "product_cells": Target(
        "moments_desk/core/catalogue/product_import.py",
        ("tests/core/spreadsheets/test_cell_parsers.py",),
        frozenset({"parse_date"}),
    ),
}

#: How mutmut's ``results`` names each outcome; "timeout" is a mutant that hung and was
#: stopped, which the tests noticed.
KILLED = {"killed", "timeout", "caught by type check", "segfault"}
_RESULT = re.compile(r"^\s*(?P<name>\S+): (?P<status>.+)$")
_FUNCTION = re.compile(r"\.x(?:_|ǁ\w+ǁ)(?P<function>\w+?)__mutmut_\d+$")


def _pyproject(target: Target) -> str:
    own = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    pytest_options = own["tool"]["pytest"]["ini_options"]
    lines = ["[tool.pytest.ini_options]"]
    for key, value in pytest_options.items():
        lines.append(f"{key} = {_toml(value)}")
    lines += [
        "",
        "[tool.mutmut]",
        'source_paths = ["moments_desk"]',
        f"only_mutate = [{_toml(target.source)}]",
        f"pytest_add_cli_args_test_selection = {_toml(list(target.tests))}",
        # Stop at the first failing test; -p no:randomly keeps the order mutmut measured.
        'pytest_add_cli_args = ["-x", "-q", "-p", "no:randomly", "--timeout=60"]',
        'also_copy = ["resources"]',
        "use_git_change_detection = false",
        "timeout_multiplier = 5.0",
        "timeout_constant = 5.0",
    ]
    return "\n".join(lines) + "\n"


def _selected(target: Target) -> list[str]:
    """Only the counted functions of a larger file are run (mutmut takes name patterns)."""
    if target.functions is None:
        return []
    module = target.source.removesuffix(".py").replace("/", ".")
    return [f"{module}.x_{function}__mutmut_*" for function in sorted(target.functions)]


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    raise TypeError(value)


def prepare(name: str, target: Target) -> Path:
    folder = SCRATCH / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
    for part in ("moments_desk", "tests", "resources"):
        shutil.copytree(ROOT / part, folder / part, ignore=ignore)
    (folder / "pyproject.toml").write_text(_pyproject(target), encoding="utf-8")
    return folder


def run(name: str, target: Target, children: int) -> None:
    folder = prepare(name, target)
    env = {**os.environ, "PYTHONPATH": "", "QT_QPA_PLATFORM": "offscreen", "CI": "true"}
    mutmut = Path(sys.executable).with_name("mutmut")
    print(f"mutate: {name}: {target.source} against {', '.join(target.tests)}", flush=True)
    subprocess.run(
        [str(mutmut), "run", "--max-children", str(children), *_selected(target)],
        cwd=folder,
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
    )


def outcomes(name: str, target: Target) -> dict[str, str]:
    folder = SCRATCH / name
    if not (folder / "mutants").is_dir():
        return {}
    mutmut = Path(sys.executable).with_name("mutmut")
    listed = subprocess.run(
        [str(mutmut), "results", "--all", "true"],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": ""},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found: dict[str, str] = {}
    for line in listed.splitlines():
        match = _RESULT.match(line)
        if match is None:
            continue
        mutant, status = match["name"], match["status"].strip()
        function = _FUNCTION.search(mutant)
        if target.functions is not None and (
            function is None or function["function"] not in target.functions
        ):
            continue
        found[mutant] = status
    return found


def report(names: list[str]) -> int:
    worst = 100.0
    for name in names:
        target = TARGETS[name]
        found = outcomes(name, target)
        if not found:
            print(f"{name:15} not run yet")
            continue
        killed = sum(1 for status in found.values() if status in KILLED)
        rate = 100 * killed / len(found)
        worst = min(worst, rate)
        print(f"{name:15} {killed:4}/{len(found):4} killed  {rate:5.1f}%  ({target.source})")
        for mutant, status in sorted(found.items()):
            if status not in KILLED:
                print(f"    {status:12} {mutant}")
    return 0 if worst >= 90 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", metavar="MODULE", help=", ".join(TARGETS))
    parser.add_argument("--report", action="store_true", help="only print the last results")
    parser.add_argument("--children", type=int, default=2, help="mutants run in parallel")
    args = parser.parse_args()
    names = args.modules or list(TARGETS)
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        parser.error(f"unknown module {', '.join(unknown)}; choose from {', '.join(TARGETS)}")
    if not args.report:
        for name in names:
            run(name, TARGETS[name], args.children)
    return report(names)


if __name__ == "__main__":
    sys.exit(main())
