"""Restore of mangled backups: any archive ends restored or refused with a sentence, never a
traceback, and never with a file written outside the data folder.

The normal suite runs a small derandomized round; ``make test-slow`` explores widely.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moments_desk.core.pictures.media import media_file_path
from moments_desk.core.safety.archive import ArchiveError
from moments_desk.core.safety.integrity import check_database
from moments_desk.core.safety.restore import restore_archive
from tests.core.safety.hostile import Entry, copy_shop, files_under, manifest_of, write_zip
from tests.core.safety.test_hostile_archives import ESCAPING_PATHS

pytestmark = pytest.mark.db

FAST = settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SLOW = settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

names = st.sampled_from(
    [*ESCAPING_PATHS, "media/", "tables/x.jsonl", "database.sqlite3", "backup.json"]
) | st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
blobs = st.binary(max_size=2048) | st.sampled_from([b"", b"SQLite format 3\x00" + bytes(200)])
json_values: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=20)
    | st.sampled_from(["0001-01-01T00:00:00", "9999-12-31T23:59:59-12:00", "2026-11-22"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
mutations = st.one_of(
    st.tuples(st.just("rename"), st.integers(0, 50), names),
    st.tuples(st.just("add"), names, blobs),
    st.tuples(st.just("drop"), st.integers(0, 50)),
    st.tuples(st.just("replace"), st.integers(0, 50), blobs),
    st.tuples(st.just("mode"), st.integers(0, 50), st.sampled_from([0o120777, 0o010644, 0o100644])),
    st.tuples(st.just("media-path"), st.integers(0, 20), names),
    st.tuples(
        st.just("manifest-field"),
        st.sampled_from(["media", "schema_revision", "kind", "counts", "format", "created_at"]),
        json_values,
    ),
)
damage = st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 255)), max_size=3)


def mutate(entries: list[Entry], steps: list[tuple[Any, ...]]) -> list[Entry]:
    entries = list(entries)
    for step in steps:
        kind = step[0]
        if kind in ("rename", "drop", "replace", "mode") and entries:
            index = step[1] % len(entries)
            name, data, compression, mode = entries[index]
            if kind == "rename":
                entries[index] = (step[2] or "x", data, compression, mode)
            elif kind == "drop":
                del entries[index]
            elif kind == "replace":
                entries[index] = (name, step[2], compression, mode)
            else:
                entries[index] = (name, data, compression, step[2])
        elif kind == "add":
            entries.append((step[1] or "x", step[2], zipfile.ZIP_DEFLATED, None))
        elif kind in ("media-path", "manifest-field"):
            try:
                manifest: object = manifest_of(entries)  # junk JSON may be any value
            except (ValueError, KeyError):  # the manifest was dropped or replaced by junk
                continue
            if not isinstance(manifest, dict):
                continue
            media = manifest.get("media")
            if kind == "media-path" and isinstance(media, list) and media:
                picture = media[step[1] % len(media)]
                if isinstance(picture, dict):
                    picture["rel_path"] = step[2]
            elif kind == "manifest-field":
                manifest[step[1]] = step[2]
            raw = json.dumps(manifest).encode()
            entries = [(n, raw if n == "backup.json" else d, c, m) for n, d, c, m in entries]
    return entries


def restore_mangled(
    template: tuple[Path, Path], steps: list[tuple[Any, ...]], flips: list[tuple[int, int]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        live = copy_shop(template[0], root)
        try:
            with zipfile.ZipFile(template[1]) as src:
                good: list[Entry] = [
                    (i.filename, src.read(i), i.compress_type, None) for i in src.infolist()
                ]
            (root / "in").mkdir()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # duplicate names are one of the mutations
                archive = write_zip(root / "in" / "fuzzed.zip", mutate(good, steps))
            raw = bytearray(archive.read_bytes())
            for offset, xor in flips:
                raw[offset % len(raw)] ^= xor
            archive.write_bytes(bytes(raw))
            state = live.state()
            outside = files_under(root, skip=live.data)
            inside = files_under(live.data)
            try:
                result = restore_archive(archive, live.engine, live.media, live.backups)
            except ArchiveError as error:
                assert str(error).strip()
                assert files_under(live.data) == inside
                assert live.state() == state
            else:
                assert check_database(live.engine, full=True).ok
                for entry in result.info.manifest.media:
                    path = media_file_path(live.media, entry.rel_path)
                    assert live.media.resolve() in path.resolve().parents
            assert files_under(root, skip=live.data) == outside
        finally:
            live.engine.dispose()
            shutil.rmtree(live.data, ignore_errors=True)


@FAST
@given(steps=st.lists(mutations, max_size=4), flips=damage)
def test_mangled_archives_restore_or_are_refused(
    template: tuple[Path, Path], steps: list[tuple[Any, ...]], flips: list[tuple[int, int]]
) -> None:
    restore_mangled(template, steps, flips)


@pytest.mark.slow
@SLOW
@given(steps=st.lists(mutations, max_size=8), flips=damage)
def test_mangled_archives_restore_or_are_refused_wide(
    template: tuple[Path, Path], steps: list[tuple[Any, ...]], flips: list[tuple[int, int]]
) -> None:
    restore_mangled(template, steps, flips)
