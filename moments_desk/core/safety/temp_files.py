"""Temporary files with one known prefix, removed by the next run and at start (no Qt).

A backup or restore cut short (killed, power cut) leaves half-written files; one that holds a
copy of the database holds every customer. So every temporary file or folder the data-safety
code makes is named ``.moments-desk-tmp-…`` and lives either in the data folder (and its
``backups/``), which only the process holding the data folder's lock writes, or beside a
``backup --to`` target, named with a tag of the data folder so that only this shop's own
leftovers are ever removed there. Folders outside the data folder that are being written are
noted in the data folder while the write runs, so the next start can find what a killed run
left there.

Start-up only looks in the data folder, ``backups/`` and the noted folders: a few directory
listings.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

PREFIX = ".moments-desk-tmp-"
#: Folders outside the data folder with a write in progress (JSON list of paths).
_PENDING = ".moments-desk-writing.json"


def owner_tag(data_dir: Path) -> str:
    """A short tag naming one data folder, for temporary files written outside it."""
    return hashlib.sha256(str(data_dir.absolute()).encode("utf-8")).hexdigest()[:10]


def outside_prefix(data_dir: Path) -> str:
    return f"{PREFIX}{owner_tag(data_dir)}-"


def sweep(folder: Path, prefix: str = PREFIX) -> list[Path]:
    """Remove every file or folder in ``folder`` whose name starts with ``prefix``."""
    removed = []
    try:
        names = [n for n in os.listdir(folder) if n.startswith(prefix)]
    except OSError:
        return []
    for name in names:
        path = folder / name
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            continue  # in use on Windows, or gone already: the next sweep tries again
        removed.append(path)
    return removed


def _pending(data_dir: Path) -> list[str]:
    try:
        raw = json.loads((data_dir / _PENDING).read_text("utf-8"))
    except (OSError, ValueError):
        return []
    return [p for p in raw if isinstance(p, str)] if isinstance(raw, list) else []


def _save_pending(data_dir: Path, folders: list[str]) -> None:
    record = data_dir / _PENDING
    if not folders:
        record.unlink(missing_ok=True)
        return
    part = data_dir / f"{PREFIX}{_PENDING}"
    part.write_text(json.dumps(sorted(set(folders)), ensure_ascii=False), "utf-8")
    os.replace(part, record)


@contextlib.contextmanager
def writing_outside(data_dir: Path, folder: Path) -> Iterator[str]:
    """Note that this shop writes temporary files in ``folder`` (outside the data folder)
    while the block runs; yields the prefix to name them with. Sweeps leftovers first."""
    prefix = outside_prefix(data_dir)
    sweep(folder, prefix)
    noted = str(folder.absolute())
    _save_pending(data_dir, [*_pending(data_dir), noted])
    try:
        yield prefix
    finally:
        _save_pending(data_dir, [p for p in _pending(data_dir) if p != noted])


def sweep_leftovers(data_dir: Path) -> list[Path]:
    """What a cut-short backup or restore left behind; called at start under the lock."""
    removed = sweep(data_dir) + sweep(data_dir / "backups")
    pending = _pending(data_dir)
    if pending:
        prefix = outside_prefix(data_dir)
        for folder in pending:
            removed += sweep(Path(folder), prefix)
        _save_pending(data_dir, [])
    return removed
