"""Merging overlapping screenshots of one post and reading its likes and comments."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from moments_desk.core.screenshots.layout import Line, Page

_COLON = re.compile("[：:]")
_COMMA = re.compile("[，,]")
#: What the engine makes of emoji and of the heart: symbols and stray marks, never letters.
_JUNK = re.compile(r"[?？□■◆◇●○★☆♡♥❤•·`~^_|¦@#*\"'“”‘’]+")
_SPACES = re.compile(r"\s+")
#: What a painted-over emoji's rim leaves at the edge of a name: marks, never letters.
_EDGE_MARKS = " .．。、!！+-－「」『』【】[]()（）{},，;；:：∫|/\\~"
_DASH_FOR_ONE = re.compile("(?<=[\u4e00-\u9fff])[—―─]|[—―─](?=[\u4e00-\u9fff])")
_L_FOR_I = re.compile(r"(?<![A-Za-z])l(?=[bcdfghjkmnpqrstvwxz])")


def _fold(text: str) -> str:
    """The engine reads WeChat's full-width comma and colon as ASCII ones at times."""
    return text.replace(",", "，").replace(":", "：")


@dataclass(frozen=True)
class Region:
    """Where a name was read: screenshot ``source`` (index), a rectangle in its pixels."""

    source: int
    left: int
    top: int
    right: int
    bottom: int


@dataclass(frozen=True)
class ReadName:
    name: str
    region: Region | None = None


@dataclass(frozen=True)
class ReadComment:
    name: str
    text: str
    reply_to: str | None = None
    region: Region | None = None


@dataclass(frozen=True)
class Reading:
    """What the screenshots of one post show, likes in order and comments in order."""

    likes: tuple[ReadName, ...] = ()
    comments: tuple[ReadComment, ...] = ()
    seller: str | None = None
    post_text: str = ""
    time: str | None = None
    #: screenshots that showed no likes or comments (index), to say so
    empty: tuple[int, ...] = field(default=())

    def as_json(self) -> dict[str, object]:
        return {
            "likes": [like.name for like in self.likes],
            "comments": [
                {"name": c.name, "reply_to": c.reply_to, "text": c.text} for c in self.comments
            ],
        }


def clean_name(text: str) -> str:
    """A name as read: emoji junk and spaces at the edges gone, inner spaces single."""
    text = unicodedata.normalize("NFC", _JUNK.sub("", text))
    text = _SPACES.sub(" ", text).strip(_EDGE_MARKS)
    # Sans-serif "I" and "l" are one stroke; no name starts with "l" and then a consonant
    # ("lrene", "lvy"), so that is an "I". A dash touching a Chinese character is its 一.
    return _DASH_FOR_ONE.sub("一", _L_FOR_I.sub("I", text))


def _same(a: Line, b: Line) -> bool:
    ta, tb = _key(a.text), _key(b.text)
    if ta == tb:
        return True
    if min(len(ta), len(tb)) < 4:
        return False
    from rapidfuzz import fuzz

    return fuzz.ratio(ta, tb) >= 88


def _key(text: str) -> str:
    return _SPACES.sub("", _JUNK.sub("", _fold(text))).casefold()


def merge_blocks(pages: Sequence[Page]) -> list[Line]:
    """One run of block lines: each screenshot continues where the previous one overlaps.

    Screenshots showing the post's header go first (the seller scrolls down from it);
    the others keep the order they were given in. The longest run of lines ending one
    screenshot and starting the next is counted once.
    """
    ordered = sorted(pages, key=lambda page: not page.has_header)
    merged: list[Line] = []
    for page in ordered:
        block = list(page.block)
        if not block:
            continue
        overlap = 0
        for size in range(min(len(merged), len(block)), 0, -1):
            if all(_same(merged[-size + i], block[i]) for i in range(size)):
                overlap = size
                break
        merged.extend(block[overlap:])
    return merged


@dataclass
class _Comment:
    name: str
    reply_to: str | None
    text: str
    region: Region


def read_block(lines: Sequence[Line]) -> tuple[list[ReadName], list[ReadComment]]:
    """Likes in order (a name said twice is kept once, first) and comments in order."""
    likes: list[ReadName] = []
    comments: list[_Comment] = []
    for line in lines:
        text = _fold(line.text).strip()
        colon = _COLON.search(text)
        starts_comment = colon is not None and colon.start() > 0 and line.starts_link
        # Before the first comment every line is likers (blue ink, less of it in dark mode).
        if not comments and not starts_comment and line.link >= 0.4:
            parts = _COMMA.split(_fold(line.joined))
            spans = _spans(line, parts)
            # WeChat wraps the likes after a comma, so a line ends a name even when the
            # engine missed that comma.
            for number, part in enumerate(parts):
                name = clean_name(part)
                if name:
                    likes.append(ReadName(name, spans[number]))
            continue
        if starts_comment and colon is not None:
            head, body = text[: colon.start()], text[colon.end() :]
            name, _, reply_to = head.partition("回复")
            raw = _fold(line.joined)
            region = _spans(line, [raw[: raw.find("：") + 1]])[0]
            if name.strip() and reply_to.strip():
                comments.append(
                    _Comment(clean_name(name), clean_name(reply_to), body.strip(), region)
                )
            else:
                comments.append(_Comment(clean_name(head), None, body.strip(), region))
        elif comments:
            comments[-1].text += text  # the comment's text wrapped onto this line
    seen: set[str] = set()
    unique = []
    for like in likes:
        if like.name and like.name.casefold() not in seen:
            seen.add(like.name.casefold())
            unique.append(like)
    said = [ReadComment(c.name, c.text.strip(), c.reply_to, c.region) for c in comments if c.name]
    return unique, said


def _spans(line: Line, parts: list[str]) -> list[Region]:
    """Where each comma-separated part of ``line.joined`` sits on the line."""
    edges = [(left, right) for _, left, right in line.glyphs()]
    regions = []
    at = 0
    for part in parts:
        chars = edges[at : at + len(part)] or edges[-1:]
        regions.append(_region(line, chars[0][0], chars[-1][1]))
        at += len(part) + 1  # the comma
    return regions


def _region(line: Line, left: float, right: float) -> Region:
    size = line.height
    return Region(
        line.source,
        int(max(0.0, left - size * 0.4)),
        int(max(0.0, line.top - size * 0.12)),
        int(right + size * 0.4),
        int(line.bottom + size * 0.12),
    )
