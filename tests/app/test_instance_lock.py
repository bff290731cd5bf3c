"""One Moments Desk per data folder: a live second instance is refused, a dead one never
blocks, even when its process id now belongs to another program."""

from __future__ import annotations

import errno
import logging
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from moments_desk.instance_lock import InstanceLock, LockHeld
from moments_desk.startup import StartupError, StartupProblem, open_shop

HOLD = """
import sys
from pathlib import Path
from moments_desk.startup import open_shop
shop = open_shop(Path(sys.argv[1]))
print("ready", flush=True)
sys.stdin.read()
shop.close()
"""


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """A real first Moments Desk process with the shop in tmp_path/shop open."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path / "shop")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        yield process
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


@pytest.fixture
def unrelated_python() -> Iterator[int]:
    """A live Python process that has nothing to do with Moments Desk."""
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"]) as process:
        yield process.pid
        process.kill()


def test_lock_naming_a_live_unrelated_process_does_not_block(
    tmp_path: Path, unrelated_python: int
) -> None:
    data = tmp_path / "shop"
    data.mkdir()
    # What a crashed Moments Desk leaves behind once its pid went to another Python program:
    # QLockFile's format (pid, program, host), naming a process that is alive.
    (data / "moments-desk.lock").write_text(
        f"{unrelated_python}\n{os.path.realpath(sys.executable)}\n{socket.gethostname()}\n"
    )
    shop = open_shop(data)
    try:
        assert shop.migration.to_revision
    finally:
        shop.close()


def test_a_real_second_instance_is_refused(tmp_path: Path, holder: subprocess.Popen[str]) -> None:
    with pytest.raises(StartupError) as raised:
        open_shop(tmp_path / "shop")
    assert raised.value.problem is StartupProblem.ALREADY_RUNNING
    assert raised.value.exit_code == 4


def test_a_killed_instance_leaves_no_lock(tmp_path: Path, holder: subprocess.Popen[str]) -> None:
    holder.kill()  # no chance to clean up: SIGKILL / TerminateProcess
    holder.wait(timeout=30)
    assert (tmp_path / "shop" / "moments-desk.lock").exists()
    open_shop(tmp_path / "shop").close()


def test_second_lock_in_the_same_process_is_refused_until_released(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    first = InstanceLock.acquire(path)
    with pytest.raises(LockHeld):
        InstanceLock.acquire(path)
    first.unlock()
    assert not first.locked
    InstanceLock.acquire(path).unlock()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX locks")
def test_a_filesystem_without_locks_still_opens_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import fcntl

    def refuse(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", refuse)
    monkeypatch.setattr(fcntl, "lockf", refuse)
    with caplog.at_level(logging.WARNING, logger="moments_desk.instance_lock"):
        lock = InstanceLock.acquire(tmp_path / "x.lock")
    lock.unlock()
    assert "cannot lock files" in caplog.text
