"""Backups made to hurt: paths that escape, links, bombs, damaged bytes, oversized manifests.

Each one is refused as a whole with a sentence naming what is wrong, before anything is
written: no file outside the data folder, no file inside it (not even the pre-restore copy),
and the shop's data unchanged.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from moments_desk.core.safety.archive import ArchiveError, inspect_archive
from moments_desk.core.safety.backup import Manifest
from moments_desk.core.safety.restore import restore_archive
from tests.core.safety.hostile import (
    Entry,
    Live,
    add_picture,
    files_under,
    flip_byte_in_member,
    patch_declared_size,
    replace_member,
    with_manifest,
    write_zip,
)
from tests.core.safety.shopdata import jpeg

pytestmark = pytest.mark.db


def archive_path(live: Live, name: str = "hostile.zip") -> Path:
    folder = live.root / "in"
    folder.mkdir(exist_ok=True)
    return folder / name


def assert_refused(live: Live, archive: Path, match: str) -> str:
    """Restore ``archive``; it must be refused with a sentence matching ``match`` and leave
    every file in and around the data folder, and every row, as they were."""
    state = live.state()
    outside = files_under(live.root, skip=live.data)
    inside = files_under(live.data)
    with pytest.raises(ArchiveError) as caught:
        restore_archive(archive, live.engine, live.media, live.backups)
    message = str(caught.value)
    assert re.search(match, message), message
    assert archive.name in message or "backup.json" in message
    assert files_under(live.root, skip=live.data) == outside
    assert files_under(live.data) == inside
    assert live.state() == state
    return message


def picture_bytes(tmp: Path, colour: str = "purple") -> bytes:
    return jpeg(tmp / f"{colour}.jpg", colour, (40, 30)).read_bytes()


ESCAPING_PATHS = [
    "../../evil.sh",
    "../evil.sh",
    "ab/../../evil.sh",
    "/tmp/evil.sh",
    "C:/evil.sh",
    "C:evil.sh",
    "c:\\Users\\evil.sh",
    "ab\\..\\..\\evil.sh",
    "\\\\server\\share\\evil.sh",
    "//server/share/evil.sh",
    "ab/./evil.sh",
    "ab//evil.sh",
    "ab/evil.sh:stream",
    "ab/CON.jpg",
    "ab/evil.sh ",
    "ab/evil\x00.jpg",
    "",
]


@pytest.mark.parametrize("rel_path", ESCAPING_PATHS, ids=repr)
def test_a_manifest_picture_path_that_escapes_refuses_the_archive(
    live: Live, good: list[Entry], rel_path: str
) -> None:
    data = picture_bytes(live.root)
    entries = add_picture(good, rel_path, data, member="media/ab/evil.jpg")
    # The zip entry named like the manifest too, where the zip format allows it.
    if rel_path and "\x00" not in rel_path:
        entries = add_picture(entries, rel_path, data)
    archive = write_zip(archive_path(live), entries)
    assert_refused(live, archive, "unsafe|outside")
    assert not list(live.root.rglob("evil*"))


@pytest.mark.parametrize(
    "member",
    [
        "../evil.sh",
        "../../evil.sh",
        "/etc/evil.sh",
        "C:/evil.sh",
        "media\\..\\..\\evil.sh",
        "media/../../evil.sh",
        "tables/../../evil.jsonl",
        "//server/share/evil.sh",
    ],
    ids=repr,
)
def test_a_zip_entry_whose_name_escapes_refuses_the_archive(
    live: Live, good: list[Entry], member: str
) -> None:
    entries = [*good, (member, b"#!/bin/sh\necho owned\n", zipfile.ZIP_DEFLATED, None)]
    archive = write_zip(archive_path(live), entries)
    with pytest.raises(ArchiveError, match=r"unsafe|outside"):
        inspect_archive(archive)
    assert_refused(live, archive, "unsafe|outside")
    assert not list(live.root.rglob("evil*"))


def test_a_symlink_entry_refuses_the_archive(live: Live, good: list[Entry]) -> None:
    link = ("media/ab/link.jpg", b"/etc/passwd", zipfile.ZIP_STORED, 0o120777)
    archive = write_zip(archive_path(live), [*good, link])
    assert_refused(live, archive, "link")
    assert not any(p.is_symlink() for p in live.root.rglob("*"))


def test_two_entries_with_one_name_refuse_the_archive(live: Live, good: list[Entry]) -> None:
    data = picture_bytes(live.root)
    entries = add_picture(good, "ab/twice.jpg", data)
    entries = [*entries, ("media/ab/twice.jpg", b"other bytes", zipfile.ZIP_STORED, None)]
    with pytest.warns(UserWarning, match="Duplicate name"):
        archive = write_zip(archive_path(live), entries)
    assert_refused(live, archive, "twice")


def test_a_picture_that_inflates_far_past_the_picture_limit_is_a_bomb(
    live: Live, good: list[Entry]
) -> None:
    """A few hundred KB of zip that would expand to 100 MB of "picture"."""
    bomb = b"\xff\xd8\xff" + bytes(100 * 1024 * 1024)
    archive = write_zip(archive_path(live), add_picture(good, "ab/bomb.jpg", bomb))
    assert archive.stat().st_size < 1024 * 1024
    assert_refused(live, archive, "too large")


def test_an_entry_that_grows_past_its_declared_size_is_stopped(
    live: Live, good: list[Entry]
) -> None:
    """The headers say 2 KB; the data inflates to 20 MB. Reading stops at the first lie."""
    lying = b"\xff\xd8\xff" + bytes(20 * 1024 * 1024)
    entries = add_picture(good, "ab/liar.jpg", lying)
    entries = with_manifest(
        entries, lambda m: m["media"][-1].update(size_bytes=2048)
    )  # the manifest agrees with the lie
    archive = write_zip(archive_path(live), entries)
    patch_declared_size(archive, "media/ab/liar.jpg", 2048)
    assert_refused(live, archive, "damaged|does not match|not a picture")


def test_a_declared_size_that_disagrees_with_the_manifest_refuses(
    live: Live, good: list[Entry]
) -> None:
    data = picture_bytes(live.root)
    entries = add_picture(good, "ab/shrunk.jpg", data)
    entries = with_manifest(entries, lambda m: m["media"][-1].update(size_bytes=len(data) + 1))
    assert_refused(live, write_zip(archive_path(live), entries), "size")


def test_a_bad_crc_refuses_the_archive(live: Live, good: list[Entry]) -> None:
    data = picture_bytes(live.root)
    entries = [
        (n, d, zipfile.ZIP_STORED if n.startswith("media/") else c, m) for n, d, c, m in good
    ]
    entries = add_picture(entries, "ab/crc.jpg", data)
    entries = [
        (n, d, zipfile.ZIP_STORED if n == "media/ab/crc.jpg" else c, m) for n, d, c, m in entries
    ]
    archive = write_zip(archive_path(live), entries)
    flip_byte_in_member(archive, "media/ab/crc.jpg", offset=len(data) // 2)
    assert_refused(live, archive, "damaged")


def test_a_bad_crc_in_the_database_refuses_the_archive(live: Live, good: list[Entry]) -> None:
    entries = [
        (n, d, zipfile.ZIP_STORED if n == "database.sqlite3" else c, m) for n, d, c, m in good
    ]
    archive = write_zip(archive_path(live), entries)
    flip_byte_in_member(archive, "database.sqlite3", offset=20_000)
    assert_refused(live, archive, "damaged")


def test_an_oversized_manifest_is_refused_without_being_parsed(
    live: Live, good: list[Entry], monkeypatch: pytest.MonkeyPatch
) -> None:
    """400 MB of manifest (declared): refused from the zip headers alone."""
    archive = write_zip(archive_path(live), good)
    patch_declared_size(archive, "backup.json", 400 * 1024 * 1024)

    def parse(_data: str) -> Manifest:
        raise AssertionError("the oversized manifest was parsed")

    monkeypatch.setattr(Manifest, "from_json", staticmethod(parse))
    with pytest.raises(ArchiveError, match=r"backup\.json is too large"):
        inspect_archive(archive)
    assert_refused(live, archive, "too large")


def test_a_manifest_padded_past_the_limit_is_refused(live: Live, good: list[Entry]) -> None:
    """Really large (not just declared): 40 MB of spaces that deflate to almost nothing."""
    from tests.core.safety.hostile import manifest_of

    padded = (" " * (40 * 1024 * 1024)).encode() + str(manifest_of(good)).encode()
    archive = write_zip(archive_path(live), replace_member(good, "backup.json", padded))
    assert_refused(live, archive, "too large")


@pytest.mark.parametrize("stamp", ["0001-01-01T00:00:00", "9999-12-31T23:59:59-12:00", 7])
def test_a_manifest_date_that_cannot_be_shown_is_refused(
    live: Live, good: list[Entry], stamp: object
) -> None:
    entries = with_manifest(good, lambda m: m.update(created_at=stamp))
    assert_refused(live, write_zip(archive_path(live), entries), "unreadable")


def test_a_huge_database_is_refused_before_it_is_written(live: Live, good: list[Entry]) -> None:
    archive = write_zip(archive_path(live), good)
    patch_declared_size(archive, "database.sqlite3", 2 * 1024**3)
    assert_refused(live, archive, "too large")


def test_a_database_entry_that_is_not_sqlite_is_refused(live: Live, good: list[Entry]) -> None:
    junk = bytes(range(256)) * 4096
    archive = write_zip(archive_path(live), replace_member(good, "database.sqlite3", junk))
    assert_refused(live, archive, "not a database|damaged")


def test_a_file_under_media_that_is_not_a_picture_is_refused(live: Live, good: list[Entry]) -> None:
    script = b"#!/bin/sh\nrm -rf ~\n" * 20
    archive = write_zip(archive_path(live), add_picture(good, "ab/notes.jpg", script))
    message = assert_refused(live, archive, "not a picture")
    assert "ab/notes.jpg" in message


def test_a_picture_whose_bytes_differ_from_the_manifest_is_refused(
    live: Live, good: list[Entry]
) -> None:
    data = picture_bytes(live.root)
    entries = add_picture(good, "ab/swapped.jpg", data)
    other = picture_bytes(live.root, "olive")
    entries = with_manifest(entries, lambda m: m["media"][-1].update(size_bytes=len(other)))
    entries = replace_member(entries, "media/ab/swapped.jpg", other)
    assert_refused(live, write_zip(archive_path(live), entries), "does not match")


def test_an_encrypted_entry_is_refused(live: Live, good: list[Entry]) -> None:
    archive = write_zip(archive_path(live), good)
    raw = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as src:
        info = src.getinfo("database.sqlite3")
    raw[info.header_offset + 6] |= 1  # the local header's "encrypted" flag
    central = raw.find(b"PK\x01\x02")
    while central >= 0:
        if raw[central + 46 : central + 46 + 16] == b"database.sqlite3":
            raw[central + 8] |= 1
            break
        central = raw.find(b"PK\x01\x02", central + 4)
    archive.write_bytes(bytes(raw))
    assert_refused(live, archive, "password|encrypted")


def test_a_good_archive_still_restores_every_picture(live: Live, good: list[Entry]) -> None:
    """The checks refuse the hostile, not the ordinary: a new picture comes back."""
    data = picture_bytes(live.root, "teal")
    archive = write_zip(archive_path(live), add_picture(good, "ab/teal.jpg", data))
    result = restore_archive(archive, live.engine, live.media, live.backups)
    assert (live.media / "ab" / "teal.jpg").read_bytes() == data
    assert result.media_missing == ()
    assert not [p for p in live.data.iterdir() if p.name.startswith(".moments-desk-tmp")]


@pytest.mark.parametrize(
    "row",
    [b"[" * 100_000 + b"]" * 100_000, b" " * (17 * 1024 * 1024), b'{"no": "list"}', b"[1]"],
    ids=["nested", "endless-line", "object", "short-row"],
)
def test_a_portable_archive_with_hostile_rows_is_refused(live: Live, row: bytes) -> None:
    from moments_desk.core.safety.archive import create_archive
    from tests.core.safety.hostile import read_members

    portable = create_archive(live.engine, live.media, live.root / "p.zip", portable=True)
    assert portable.counts["customer"] == 2
    entries = read_members(live.root / "p.zip")
    [table] = [d for n, d, _, _ in entries if n == "tables/customer.jsonl"]
    header = table.split(b"\n", 1)[0]
    entries = replace_member(entries, "tables/customer.jsonl", header + b"\n" + row + b"\n")
    assert_refused(live, write_zip(archive_path(live), entries), "damaged|too large")
