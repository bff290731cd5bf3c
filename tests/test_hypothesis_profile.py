"""`make test` must draw the same Hypothesis examples on every run (see tests/conftest.py)."""

from __future__ import annotations

from hypothesis import settings


def test_the_default_run_is_derandomized_and_keeps_no_example_database() -> None:
    current = settings.default
    assert current is not None
    assert current.derandomize and current.database is None


def test_the_wide_profile_explores_freshly() -> None:
    wide = settings.get_profile("wide")
    assert not wide.derandomize and wide.max_examples > settings.get_profile("ci").max_examples
