"""Which names taken from a backup are safe to turn into paths, on POSIX and Windows alike.

A name is safe when it is relative, uses ``/`` only, and every part is an ordinary file name
on both systems: no ``..`` or ``.``, no drive (``C:``), no UNC or absolute start, no
backslash, no characters Windows forbids (``:`` would also open an NTFS stream), no part that
Windows would silently change (trailing dots or spaces) or treat as a device (``CON``,
``NUL``, ``COM1``…). Then the path must still land inside its folder once links in the live
folder are followed.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

from moments_desk.core.safety.errors import ArchiveError
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP

#: Longer names than this are not something Moments Desk ever writes.
MAX_NAME_CHARS = 240
_FORBIDDEN = frozenset('<>:"|?*\\') | frozenset(chr(c) for c in range(32)) | {"\x7f"}
_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{kind}{n}" for kind in ("COM", "LPT") for n in "123456789¹²³"}
)


def is_safe_name(name: str) -> bool:
    """True when ``name`` stays inside whatever folder it is joined to, on any system."""
    if not name or len(name) > MAX_NAME_CHARS or name.startswith("/"):
        return False
    if any(ch in _FORBIDDEN for ch in name):
        return False
    for part in name.split("/"):
        if part in ("", ".", ".."):
            return False
        if part != part.rstrip(". "):
            return False  # Windows drops trailing dots and spaces: "..." and ".. " become ".."
        if part.split(".")[0].rstrip(" ").upper() in _DEVICES:
            return False
    # The same verdict from both path flavours, in case a rule above missed a form.
    for flavour in (PurePosixPath, PureWindowsPath):
        parsed = flavour(name)
        if parsed.is_absolute() or parsed.anchor or ".." in parsed.parts:
            return False
    return True


def path_inside(root: Path, name: str, archive_name: str) -> Path:
    """``root`` joined with the safe ``name``, refusing one that a link would lead outside."""
    if not is_safe_name(name):
        raise unsafe_name(archive_name, name)
    target = root.joinpath(*name.split("/"))
    resolved_root = root.resolve()
    resolved = target.parent.resolve()
    if resolved != resolved_root and resolved_root not in resolved.parents:
        raise ArchiveError(
            QT_TRANSLATE_NOOP(
                "Archive", "{name} is refused: “{entry}” would be written outside {folder}"
            ).format(name=archive_name, entry=name, folder=str(root))
        )
    return target


def unsafe_name(archive_name: str, entry: str) -> ArchiveError:
    return ArchiveError(
        QT_TRANSLATE_NOOP(
            "Archive",
            "{name} is refused: “{entry}” is an unsafe name that could write outside the "
            "data folder",
        ).format(name=archive_name, entry=printable(entry))
    )


def printable(entry: str) -> str:
    """The name as shown in a sentence: control characters visible, length bounded."""
    shown = entry.encode("unicode_escape").decode("ascii") if not entry.isprintable() else entry
    return shown if len(shown) <= 120 else shown[:117] + "…"
