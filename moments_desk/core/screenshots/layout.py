"""From the engine's text boxes to WeChat's layout: lines, the post header, the block.

A Moments post reads, top to bottom: the seller's nickname (link blue), the post's text,
the time ("2小时前", "昨天", "11月24日 20:00"), then the grey block: a heart and the likers
(blue, separated by "，"), a hairline, and the comments ("名字：内容", "A回复B：内容", the
text wrapping under the name). The engine returns boxes per run of text; boxes sharing a
vertical centre are one line. Lines cut by the screen's edge or hidden under the phone's
title bar are left out: the next, overlapping screenshot holds them whole.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass

from moments_desk.core.screenshots.engine import TextBox

TIME = re.compile(
    r"^(刚刚|\d{1,2}分钟前|\d{1,2}小时前|昨天|前天|\d{1,2}天前|星期[一二三四五六日天]|"
    r"(\d{4}年)?\d{1,2}月\d{1,2}日)(\s*\d{1,2}[:：]\d{2})?"
)


@dataclass(frozen=True)
class Line:
    """One line of text on one screenshot (``source``: its index in the files read)."""

    boxes: tuple[TextBox, ...]
    source: int

    @property
    def text(self) -> str:
        return self.joined.strip()

    @property
    def joined(self) -> str:
        return "".join(char for char, _, _ in self.glyphs())

    def glyphs(self) -> list[tuple[str, float, float]]:
        """Each character left to right with where it sits (a box's width shared among its
        characters, wide ones counting double). Two boxes the engine drew over the same
        glyph (they overlap) both hold it: it is kept once."""
        out: list[tuple[str, float, float]] = []
        previous: TextBox | None = None
        for box in self.boxes:
            total = sum(_width(c) for c in box.text) or 1.0
            x = box.left
            for number, char in enumerate(box.text):
                step = (box.right - box.left) * _width(char) / total
                overlaps = previous is not None and previous.right - box.left > 0.3 * box.height
                if not (number == 0 and overlaps and out and out[-1][0] == char):
                    out.append((char, x, x + step))
                x += step
            previous = box
        return out

    @property
    def left(self) -> float:
        return self.boxes[0].left

    @property
    def right(self) -> float:
        return max(box.right for box in self.boxes)

    @property
    def top(self) -> float:
        return min(box.top for box in self.boxes)

    @property
    def bottom(self) -> float:
        return max(box.bottom for box in self.boxes)

    @property
    def height(self) -> float:
        return statistics.median(box.height for box in self.boxes)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def link(self) -> float:
        """Share of the line's ink in link blue, weighted by box width."""
        widths = [max(1.0, box.right - box.left) for box in self.boxes]
        return sum(b.link * w for b, w in zip(self.boxes, widths, strict=True)) / sum(widths)

    @property
    def starts_link(self) -> bool:
        return self.boxes[0].starts_link


@dataclass(frozen=True)
class Page:
    """What one screenshot shows of the post."""

    source: int
    seller: str | None
    post_text: str
    time: str | None
    block: tuple[Line, ...]

    @property
    def has_header(self) -> bool:
        return self.time is not None


def group_lines(boxes: list[TextBox], source: int) -> list[Line]:
    """Boxes whose vertical centres agree within half a line height are one line."""
    lines: list[list[TextBox]] = []
    for box in sorted(boxes, key=lambda b: b.middle):
        if box.height <= 0 or not box.text.strip():
            continue
        current = lines[-1] if lines else None
        if current is not None:
            middle = statistics.median(b.middle for b in current)
            height = min(box.height, statistics.median(b.height for b in current))
            if abs(box.middle - middle) < 0.5 * height:
                current.append(box)
                continue
        lines.append([box])
    return [Line(tuple(sorted(line, key=lambda b: b.left)), source) for line in lines]


def whole_lines(lines: list[Line], height: int) -> list[Line]:
    """Lines fully on the screen: not touching its top or bottom edge, not half hidden."""
    kept = [
        line for line in lines if line.top > 2 and line.bottom < height - 2 and line.text.strip()
    ]
    if not kept:
        return []
    usual = statistics.median(line.height for line in kept)
    return [line for line in kept if line.height >= 0.72 * usual]


def read_page(lines: list[Line], source: int) -> Page:
    """Split one screenshot's lines into the post's header and its likes-and-comments block."""
    stamp = next(
        (i for i, line in enumerate(lines) if line.link < 0.5 and TIME.match(line.text)), None
    )
    if stamp is None:
        column = _usual_left(lines)
        if column is None:
            return Page(source, None, "", None, ())
        return Page(source, None, "", None, tuple(_in_block(lines, column)))
    time_line = lines[stamp]
    column = time_line.left
    size = time_line.height
    header = [line for line in lines[:stamp] if line.left >= column - 0.6 * size]
    seller = None
    text_lines = header
    for number, line in enumerate(header):
        if line.link >= 0.5:
            seller = _clean(line.text)
            text_lines = header[number + 1 :]
            break
    time_match = TIME.match(time_line.text)
    return Page(
        source,
        seller,
        "".join(line.text for line in text_lines),
        time_match.group(0) if time_match else None,
        tuple(_in_block(lines[stamp + 1 :], column)),
    )


def _usual_left(lines: list[Line]) -> float | None:
    """The left edge most lines share: the block's text column on a scrolled screenshot."""
    if not lines:
        return None
    size = statistics.median(line.height for line in lines)
    buckets = Counter(round(line.left / (size / 2)) for line in lines)
    bucket, _ = buckets.most_common(1)[0]
    return min(line.left for line in lines if round(line.left / (size / 2)) == bucket)


def _in_block(lines: list[Line], column: float) -> list[Line]:
    """Lines starting in the block's column (the first like line starts after the heart)."""
    return [
        line
        for line in lines
        if column - 1.0 * line.height <= line.left <= column + 3.6 * line.height
    ]


def _width(char: str) -> float:
    return 1.0 if unicodedata.east_asian_width(char) in "WF" else 0.55


_JUNK_EDGES = " \t?？·•.。、'\"`~^_|¦@#*□■◆◇●○★☆♡♥❤"


def _clean(text: str) -> str:
    return text.strip(_JUNK_EDGES)
