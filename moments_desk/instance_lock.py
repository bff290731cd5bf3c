"""One Moments Desk per data folder, held by an operating-system lock on the lock file.

Why not a process id in a file (what ``QLockFile`` does): a pid names a process only while it
lives. After a crash the system hands the same number to another program, often another
Python, and a pid-based lock then looks alive for as long as that program runs; comparing
process start times narrows the window but needs a different API on every platform and
trusts clocks and ``/proc``. An OS lock belongs to the open file instead: ``flock`` on Linux
and macOS, ``LockFileEx`` (through ``msvcrt.locking``) on Windows. The kernel drops it the
moment the process ends, however it ends (crash, kill, power cut), so a lock is never stale
and never confused with an unrelated process.

The lock file itself is never deleted: removing a locked file lets a third process create a
fresh one and lock it while a second still waits on the old one.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger(__name__)

# Errors that mean "this filesystem cannot lock", not "someone holds the lock".
_NO_LOCKS = {errno.ENOLCK, errno.EOPNOTSUPP, getattr(errno, "ENOTSUP", errno.EOPNOTSUPP)}


class LockHeld(Exception):
    """Another process (or another open of the same file) holds the lock."""


def _lock_posix(fd: int) -> bool:
    """Lock ``fd``; False when the filesystem has no locks at all."""
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError as err:
        raise LockHeld from err
    except OSError as err:
        if err.errno not in _NO_LOCKS:
            raise
    # Some network filesystems (older NFS, SMB mounts on macOS) refuse flock but honour
    # POSIX record locks.
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except (BlockingIOError, PermissionError) as err:
        raise LockHeld from err
    except OSError as err:
        if err.errno not in _NO_LOCKS:
            raise
    return False


class InstanceLock:
    """An exclusive lock on ``path`` for as long as this object is not unlocked."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, path: Path) -> InstanceLock:
        """Lock ``path`` (created if missing) or raise ``LockHeld``; other ``OSError`` s
        (a read-only folder) pass through."""
        # Python's file descriptors are not inherited by programs the app starts, so a
        # folder opened in the file manager never keeps the shop locked.
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if sys.platform == "win32":
                import msvcrt

                try:
                    msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                except OSError as err:
                    if err.errno in (errno.EACCES, errno.EDEADLK):
                        raise LockHeld from err
                    raise
            elif not _lock_posix(fd):
                log.warning(
                    "the filesystem of %s cannot lock files; a second Moments Desk on this "
                    "folder would not be stopped",
                    path,
                )
        except BaseException:
            os.close(fd)
            raise
        return cls(path, fd)

    @property
    def locked(self) -> bool:
        return self._fd is not None

    def unlock(self) -> None:
        """Release the lock (closing the file releases it on every platform)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        if sys.platform == "win32":
            import msvcrt

            try:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
            except OSError:
                pass  # closing below releases it anyway
        os.close(fd)
