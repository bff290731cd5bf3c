"""``moments-desk read-screenshot FILE... [--json]``: what the screenshots show, unmatched."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path


def read_screenshot_command(files: Sequence[Path], *, as_json: bool = False) -> int:
    """Print the likes and comments read from ``files`` (several: one merged result)."""
    from moments_desk.core.pictures.media import ImageRejected
    from moments_desk.core.screenshots.engine import EngineMissing
    from moments_desk.core.screenshots.reading import read_screenshots

    try:
        reading = read_screenshots(list(files))
    except (ImageRejected, ValueError) as error:
        print(f"moments-desk: {error}", file=sys.stderr)
        return 1
    except EngineMissing as error:
        print(f"moments-desk: the OCR engine is not installed: {error}", file=sys.stderr)
        return 1
    if as_json:
        print(json.dumps(reading.as_json(), ensure_ascii=False))
        return 0
    if reading.seller or reading.time:
        print(f"post: {reading.seller or '?'} · {reading.time or '?'}")
    print(f"likes ({len(reading.likes)}): " + "，".join(like.name for like in reading.likes))
    print(f"comments ({len(reading.comments)}):")
    for comment in reading.comments:
        reply = f"回复{comment.reply_to}" if comment.reply_to else ""
        print(f"  {comment.name}{reply}：{comment.text}")
    for number in reading.empty:
        print(f"note: {Path(files[number]).name} shows no likes or comments", file=sys.stderr)
    return 0
