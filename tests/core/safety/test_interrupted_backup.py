"""A backup killed half-way leaves only files with the known prefix, and the next backup or
the next start removes them: no copy of the customers stays behind in anyone's folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from moments_desk.core.safety.temp_files import PREFIX, sweep_leftovers
from tests.app.test_startup_cli import run_app

#: A child that starts ``backup --to`` and is SIGKILLed the moment the database copy goes
#: into the zip: both the copy and the half-written zip exist then.
CHILD = """
import os, signal, sys, zipfile
from pathlib import Path
from moments_desk.core.safety.archive import create_archive
from moments_desk.startup import open_shop

write = zipfile.ZipFile.write

def write_then_die(self, filename, arcname=None, *args, **kwargs):
    if arcname == "database.sqlite3":
        write(self, filename, arcname, *args, **kwargs)
        self.fp.flush()
        os.kill(os.getpid(), signal.SIGKILL)
    return write(self, filename, arcname, *args, **kwargs)

zipfile.ZipFile.write = write_then_die
shop = open_shop(Path(sys.argv[1]))
create_archive(shop.engine, shop.paths.media, Path(sys.argv[2]), data_dir=shop.paths.data_dir)
"""


def killed_backup(data: Path, target: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(data), str(target)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr


def ours(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(PREFIX)]


@pytest.fixture
def demo_shop(tmp_path: Path) -> Path:
    data = tmp_path / "shop"
    assert run_app("--data-dir", str(data), "--demo", "--smoke").returncode == 0
    return data


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_backup_leaves_only_known_names_that_the_next_backup_removes(
    demo_shop: Path, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    (usb / "holiday.jpg").write_bytes(b"the seller's own file")
    killed_backup(demo_shop, usb / "shop.zip")

    beside = sorted(p.name for p in usb.iterdir())
    assert len(beside) == 2 and "holiday.jpg" in beside, beside
    [part] = ours(usb)
    assert part.name.endswith(".part") and "shop.zip" in part.name
    [copy_folder] = ours(demo_shop)  # the database copy: in the data folder, not on the USB
    assert (copy_folder / "database.sqlite3").is_file()

    again = run_app("backup", "--to", str(usb / "shop.zip"), "--data-dir", str(demo_shop))
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in usb.iterdir()) == ["holiday.jpg", "shop.zip"]
    assert ours(demo_shop) == []


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_the_next_start_removes_what_a_killed_backup_left(demo_shop: Path, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    killed_backup(demo_shop, usb / "shop.zip")
    assert ours(usb) and ours(demo_shop)

    assert run_app("--data-dir", str(demo_shop), "--smoke").returncode == 0
    assert ours(usb) == [] and ours(demo_shop) == []
    assert not list(demo_shop.glob(".moments-desk-writing*"))


def test_another_shops_leftovers_beside_the_target_are_left_alone(tmp_path: Path) -> None:
    """Two shops backing up into one folder: each sweeps only its own temporary files."""
    from moments_desk.core.safety.temp_files import outside_prefix, writing_outside

    shop_a, shop_b, usb = tmp_path / "a", tmp_path / "b", tmp_path / "usb"
    for folder in (shop_a, shop_b, usb):
        folder.mkdir()
    other = usb / f"{outside_prefix(shop_b)}shop.zip.123.part"
    other.write_bytes(b"b is writing this right now")
    with writing_outside(shop_a, usb) as prefix:
        (usb / f"{prefix}shop.zip.456.part").write_bytes(b"a was killed here")
    (shop_a / f"{PREFIX}restore-x").mkdir()
    leftover = usb / f"{outside_prefix(shop_a)}shop.zip.789.part"
    leftover.write_bytes(b"a killed again")
    # the killed run never cleared its note; simulate it by noting the folder again
    from moments_desk.core.safety import temp_files

    temp_files._save_pending(shop_a, [str(usb)])
    removed = sweep_leftovers(shop_a)
    assert leftover in removed and other.exists()
    assert ours(shop_a) == []
