"""``moments-desk backup``, ``restore`` and ``check``: data safety without a window."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, datetime
from pathlib import Path

from moments_desk.cli.text import report_startup_failure
from moments_desk.core.safety.archive import (
    ArchiveError,
    ArchiveInfo,
    create_archive,
    inspect_archive,
)
from moments_desk.core.safety.backup import (
    MANUAL,
    Manifest,
    Snapshot,
    read_manifest_file,
)
from moments_desk.core.safety.integrity import check_database, missing_media
from moments_desk.core.safety.restore import restore_archive, restore_snapshot
from moments_desk.core.safety.snapshots import snapshot
from moments_desk.core.shared import uow
from moments_desk.core.team.owner_check import check_owner
from moments_desk.core.team.permissions import Action
from moments_desk.paths import default_data_dir
from moments_desk.startup import (
    Shop,
    StartupError,
    StartupProblem,
    acquire_lock,
    open_data_dir,
    open_shop,
)

_COUNT_NAMES = {
    "customer": "customers",
    "product": "products",
    "sales_order": "orders",
    "post": "posts",
    "interaction": "interactions",
    "media_file": "pictures",
}


def describe_manifest(manifest: Manifest) -> str:
    local = manifest.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
    counts = ", ".join(
        f"{manifest.counts.get(table, 0):,} {name}" for table, name in _COUNT_NAMES.items()
    )
    return (
        f"made {local} by Moments Desk {manifest.app_version} "
        f"(data format {manifest.schema_revision}, {manifest.dialect}): {counts}"
    )


def _open(args: argparse.Namespace) -> Shop | int:
    try:
        return open_shop(args.data_dir or default_data_dir(), args.database)
    except StartupError as error:
        return report_startup_failure(error, args.lang)


def run(args: argparse.Namespace) -> int:
    if args.command == "backup":
        return _backup(args)
    if args.command == "restore":
        return _restore(args)
    return _check(args)


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)


def _end_progress() -> None:
    """Close the progress line (drawn on a terminal only), so no blank line shows elsewhere."""
    if sys.stderr.isatty():
        print(file=sys.stderr, flush=True)


def _acting_owner(args: argparse.Namespace, shop: Shop, action: Action) -> int | None:
    """The owner a command on a shared shop acts as (None: a SQLite shop, no one to name);
    raises ``_Refused`` after printing why."""
    if shop.is_sqlite:
        return None
    name: str | None = getattr(args, "as_owner", None)
    pin: str | None = getattr(args, "pin", None)
    if name and pin is None:
        pin = getpass.getpass(f"PIN for {name}: ") if sys.stdin.isatty() else ""
    now = datetime.now(UTC)
    checked = uow.write(shop.sessions, lambda s: check_owner(s, name, pin or "", action, now))
    if checked.owner_id is None:
        print(f"moments-desk: {checked.refusal}; nothing was changed", file=sys.stderr)
        raise _Refused
    return checked.owner_id


class _Refused(Exception):
    """The command's owner check failed; the reason is already printed."""


def _backup(args: argparse.Namespace) -> int:
    shop = _open(args)
    if isinstance(shop, int):
        return shop
    try:
        by = _acting_owner(args, shop, Action.MAKE_BACKUP)
        if args.to is None:
            snap = snapshot(shop.engine, shop.paths.backups, MANUAL, progress=_progress, by=by)
            _end_progress()
            print(f"backup saved: {snap.path}")
            print(describe_manifest(snap.manifest))
            return 0
        target: Path = args.to
        if target.suffix.lower() != ".zip":
            target = target.with_name(target.name + ".zip")
        manifest = create_archive(
            shop.engine,
            shop.paths.media,
            target,
            progress=_progress,
            data_dir=shop.paths.data_dir,
            by=by,
        )
        _end_progress()
        print(f"backup saved: {target}")
        print(describe_manifest(manifest))
        return 0
    except _Refused:
        return 2
    except OSError as error:
        print(f"moments-desk: the backup could not be written: {error}", file=sys.stderr)
        return 1
    finally:
        shop.close()


def _confirm(question: str, assume_yes: bool) -> bool:
    if assume_yes:
        return True
    if not sys.stdin.isatty():
        print("moments-desk: not confirmed (add --yes to restore without asking)", file=sys.stderr)
        return False
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def _find_snapshot(path: Path) -> Snapshot | None:
    """The snapshot's own manifest beside it (only that one file is read: the folder may
    be anyone's Downloads)."""
    manifest = read_manifest_file(path.with_suffix(".json"))
    return None if manifest is None else Snapshot(path, manifest)


def _restore(args: argparse.Namespace) -> int:
    source: Path = args.file
    if source.suffix == ".sqlite3":
        return _restore_snapshot(args, source)
    try:
        info: ArchiveInfo = inspect_archive(source)
    except ArchiveError as error:
        print(f"moments-desk: {error}", file=sys.stderr)
        return 1
    # The manifest already counts the pictures; the files are named only when they differ.
    files = info.media_in_archive
    listed = info.manifest.counts.get("media_file", 0)
    extra = "" if files == listed else f"; {files:,} picture files in the archive"
    print(f"{source.name}: {describe_manifest(info.manifest)}{extra}")
    if not _confirm("Replace everything in this shop with this backup?", args.yes):
        return 1
    shop = _open(args)
    if isinstance(shop, int):
        return shop
    try:
        by = _acting_owner(args, shop, Action.RESTORE_BACKUP)
        result = restore_archive(
            source, shop.engine, shop.paths.media, shop.paths.backups, progress=_progress, by=by
        )
    except _Refused:
        return 2
    except ArchiveError as error:
        _end_progress()
        print(f"moments-desk: {error}; nothing was changed", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"\nmoments-desk: the backup could not be restored: {error}", file=sys.stderr)
        return 1
    finally:
        shop.close()
    _end_progress()
    print(f"restored. The shop as it was before is saved in {result.safety_copy}")
    if result.media_missing:
        print(f"{len(result.media_missing)} pictures were not in the backup", file=sys.stderr)
    return 0


def _restore_snapshot(args: argparse.Namespace, source: Path) -> int:
    """A snapshot from backups/ also restores a database too damaged to open."""
    if args.database:
        print("moments-desk: snapshots restore SQLite shops only", file=sys.stderr)
        return 2
    snap = _find_snapshot(source)
    when = describe_manifest(snap.manifest) if snap else "no description found"
    print(f"{source.name}: {when}")
    if not _confirm("Replace this shop's database with this snapshot?", args.yes):
        return 1
    try:
        paths = open_data_dir(args.data_dir or default_data_dir())
        lock = acquire_lock(paths)
    except StartupError as error:
        return report_startup_failure(error, args.lang)
    try:
        kept = restore_snapshot(source, paths.database, paths.backups)
    except ArchiveError as error:
        print(f"moments-desk: {error}; nothing was changed", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"moments-desk: the snapshot could not be restored: {error}", file=sys.stderr)
        return 1
    finally:
        lock.unlock()
    print("restored." + (f" The replaced database is kept as {kept}" if kept else ""))
    return 0


def _check(args: argparse.Namespace) -> int:
    try:
        shop = open_shop(args.data_dir or default_data_dir(), args.database)
    except StartupError as error:
        code = report_startup_failure(error, args.lang)
        if error.problem is StartupProblem.DATABASE_CORRUPT:
            _suggest_snapshot(args)
        return code
    try:
        started = datetime.now(UTC)
        report = check_database(shop.engine, full=args.full)
        seconds = (datetime.now(UTC) - started).total_seconds()
        kind = "full integrity check" if args.full else "quick check"
        if report.ok:
            print(f"database: {kind} ok ({seconds:.1f} s)")
        else:
            print(f"database: {kind} FAILED", file=sys.stderr)
            for problem in report.problems:
                print(f"  {problem}", file=sys.stderr)
        gone = missing_media(shop.engine, shop.paths.media)
        if gone:
            print(f"pictures: {len(gone)} missing from {shop.paths.media}", file=sys.stderr)
            for item in gone:
                print(f"  {item.rel_path} ({item.original_name})", file=sys.stderr)
        else:
            print("pictures: all present")
        return 0 if report.ok and not gone else 1
    finally:
        shop.close()


def _suggest_snapshot(args: argparse.Namespace) -> None:
    from moments_desk.core.safety.backup import newest_good_snapshot

    paths = open_data_dir(args.data_dir or default_data_dir())
    good = newest_good_snapshot(paths.backups)
    if good is None:
        print("no good backup found in " + str(paths.backups), file=sys.stderr)
    else:
        print(
            f"newest good backup: {good.path}\n  moments-desk restore {good.path}", file=sys.stderr
        )
