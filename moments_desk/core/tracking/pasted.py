"""Reading names pasted from WeChat, and the keys they are compared by. No Qt here.

WeChat shows likers as "小美, 阿花, Amy🌸" and comments as "小美：好看！多少钱"; the seller
copies that text (or types it). ``matching`` then finds the customers the names belong to.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Separators between names on one line: ASCII and full-width commas, 、, semicolons.
_SPLIT = re.compile(r"[,，、;；|]+")
#: "name：comment" or "name: comment" (WeChat uses a full-width colon in Chinese).
_COMMENT = re.compile(r"^(?P<name>[^:：]{1,60}?)\s*[:：]\s*(?P<text>.*)$")
#: "A回复B：text" – a reply: the writer is A.
_REPLY = re.compile(r"^(?P<name>.+?)\s*回复\s*.+$")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\ufe0f\ufe0e]")
_SPACES = re.compile(r"\s+")
#: Emoji, punctuation, symbols and "_": what stays is letters and digits of any script.
_NOT_ALNUM = re.compile(r"[\W_]+")
MAX_NAME = 100


@dataclass(frozen=True)
class PastedName:
    """One name from the pasted text, with the comment written after it (if any)."""

    name: str
    comment: str
    #: 1-based line of the pasted text, to name it in messages
    line: int
    #: how often the name appeared (duplicates are collapsed onto the first)
    times: int = 1


@dataclass(frozen=True)
class ParsedPaste:
    likes: tuple[PastedName, ...]
    comments: tuple[PastedName, ...]
    #: names that appeared more than once, with their count, for the note under the table
    duplicates: tuple[tuple[str, int], ...]


def clean_name(raw: str) -> str:
    """The name as it will be stored: invisible characters gone, spaces collapsed."""
    text = _INVISIBLE.sub("", raw)
    text = _SPACES.sub(" ", text.replace("\u3000", " ")).strip()
    return text.strip("\"'“”‘’「」[]【】()（）<>《》").strip()[:MAX_NAME]


def name_key(name: str) -> str:
    """The comparison key: full-width forms folded (ＡＢ→ab, ！→!), case and spaces ignored."""
    # Stored names are already trimmed and single-spaced (clean_text); NFKC turns the
    # ideographic space into a plain one, so removing " " is enough and fast at 50,000.
    if name.isascii():
        return name.casefold().replace(" ", "")
    folded = unicodedata.normalize("NFKC", _INVISIBLE.sub("", name)).casefold()
    return folded.replace(" ", "").replace("\t", "")


def plain_of_key(key: str) -> str:
    """A key without emoji, punctuation and symbols, for a second, looser comparison."""
    return _NOT_ALNUM.sub("", key)


def plain_key(name: str) -> str:
    return plain_of_key(name_key(name))


def parse_pasted(text: str) -> ParsedPaste:
    """Split pasted text into likers and commenters, keeping their order.

    A line "name：comment" is a comment; other lines hold one or more names separated by
    commas or 、. A name pasted twice is kept once, at its first place, and reported.
    """
    likes: dict[str, PastedName] = {}
    comments: dict[str, PastedName] = {}
    counts: dict[tuple[str, str], int] = {}
    shown: dict[tuple[str, str], str] = {}
    for number, raw_line in enumerate(text.splitlines(), 1):
        line = _INVISIBLE.sub("", raw_line).strip()
        if not line:
            continue
        comment = _COMMENT.match(line)
        if comment:
            name = clean_name(comment["name"])
            reply = _REPLY.match(name)
            if reply:
                name = clean_name(reply["name"])
            if not name:
                continue
            _add(comments, counts, shown, "comment", name, comment["text"].strip(), number)
            continue
        for part in _SPLIT.split(line):
            name = clean_name(part)
            if name:
                _add(likes, counts, shown, "like", name, "", number)
    duplicates = tuple((shown[k], n) for k, n in counts.items() if n > 1)
    return ParsedPaste(tuple(likes.values()), tuple(comments.values()), duplicates)


def _add(
    into: dict[str, PastedName],
    counts: dict[tuple[str, str], int],
    shown: dict[tuple[str, str], str],
    kind: str,
    name: str,
    comment: str,
    line: int,
) -> None:
    key = name_key(name)
    counts[(kind, key)] = counts.get((kind, key), 0) + 1
    shown.setdefault((kind, key), name)
    first = into.get(key)
    if first is None:
        into[key] = PastedName(name, comment[:2000], line)
        return
    # Several comments by one friend are kept together, in order, on her first line.
    joined = " / ".join(t for t in (first.comment, comment) if t)[:2000]
    into[key] = PastedName(first.name, joined, first.line, first.times + 1)
