"""Screenshot reading (截图识别) against generated WeChat-like screenshots with their truth.

Prints name-level recall and precision of the likes, how much of their order is kept, the
share of comments read exactly, and the time to read a 1080×2400 screenshot against the
OCR engine alone on the same picture (same run, alternating, medians).
Set BENCH_OCR_CACHE=DIR to reuse the engine's boxes between runs while tuning the layout
(the timing rows always run the engine).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import random
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.common import Result
from bench.wechat_posts import PostTruth, plain, random_post
from bench.wechat_screens import Style, screens_of

STYLES = (
    Style(),
    Style(dark=True),
    Style(width=1440),
    Style(width=1260, dark=True),
    Style(desktop=True, width=760),
    Style(desktop=True, width=820, dark=True),
)
LIKERS = (3, 12, 40, 90, 200)


def corpus(posts: int) -> list[tuple[PostTruth, Style]]:
    rng = random.Random(20)
    out = []
    for number in range(posts):
        likers = LIKERS[number % len(LIKERS)]
        style = STYLES[number % len(STYLES)]
        out.append((random_post(rng, likers, rng.randint(0, 20)), style))
    return out


def _key(name: str) -> str:
    """Names compare as matching compares them (core.matching.name_key): case and spaces
    aside, since OCR cannot see a space between "Lily" and "李" any better than a reader."""
    from moments_desk.core.tracking.matching import name_key

    return name_key(name)


def _lcs(a: Sequence[object], b: Sequence[object]) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def _cached_boxes(cache: Path) -> Callable[[], None]:
    """Serve the engine's boxes from ``cache``; returns what undoes it."""
    from moments_desk.core.screenshots import engine, reading

    original = engine.read_boxes

    def read_boxes(image, top=0):  # type: ignore[no-untyped-def]
        key = hashlib.sha256(image.tobytes()).hexdigest()[:24] + f"-{top}"
        path = cache / f"{key}.pickle"
        if path.exists():
            return pickle.loads(path.read_bytes())
        boxes = original(image, top)
        path.write_bytes(pickle.dumps(boxes))
        return boxes

    reading.read_boxes = read_boxes  # type: ignore[attr-defined]

    def undo() -> None:
        reading.read_boxes = original  # type: ignore[attr-defined]

    return undo


def accuracy(posts: int) -> tuple[list[Result], dict[str, list[str]]]:
    from moments_desk.core.screenshots.reading import read_images

    liked = found = read = right = ordered = 0
    comments_total = comments_right = 0
    misses: dict[str, list[str]] = {"likes": [], "extra": [], "comments": []}
    started = time.perf_counter()
    screens_read = 0
    for truth, style in corpus(posts):
        screens = screens_of(truth, style)
        screens_read += len(screens)
        reading = read_images([s.image for s in screens])
        want = [_key(plain(n)) for n in truth.likes if plain(n)]
        got = [_key(like.name) for like in reading.likes]
        hits = [n for n in got if n in set(want)]
        liked += len(want)
        found += len(set(hits))
        read += len(got)
        right += len(hits)
        ordered += _lcs(hits, [n for n in want if n in set(hits)])
        misses["likes"] += [f"{style.label}: {n}" for n in want if n not in set(got)]
        misses["extra"] += [f"{style.label}: {n}" for n in got if n not in set(want)]
        want_c = [
            (_key(plain(c.name)), _key(plain(c.reply_to)) if c.reply_to else None, c.text)
            for c in truth.comments
        ]
        got_c = [
            (_key(c.name), _key(c.reply_to) if c.reply_to else None, c.text)
            for c in reading.comments
        ]
        comments_total += len(want_c)
        same = _lcs(want_c, got_c)
        comments_right += same
        if same < len(want_c):
            missing = [c for c in want_c if c not in got_c]
            misses["comments"] += [f"{style.label}: {m}" for m in missing[:3]]
    took = (time.perf_counter() - started) * 1000
    note = f"{posts} posts, {screens_read} screenshots, {liked} likers, {comments_total} comments"
    results = [
        Result(
            "screenshots: likers read exactly (recall)", 100 * found / liked, note=note, unit="%"
        ),
        Result(
            "screenshots: names read that are likers (precision)",
            100 * right / max(1, read),
            unit="%",
        ),
        Result("screenshots: likers in their order", 100 * ordered / max(1, right), unit="%"),
        Result(
            "screenshots: comments read exactly (name, reply-to, text)",
            100 * comments_right / max(1, comments_total),
            unit="%",
        ),
        Result("screenshots: whole corpus read", took, note=f"{took / screens_read:.0f} ms/shot"),
    ]
    return results, misses


def timing(repeat: int) -> list[Result]:
    """A 1080×2400 screenshot: the whole reading against the engine alone, alternating."""
    from moments_desk.core.screenshots.engine import engine, recognise
    from moments_desk.core.screenshots.reading import read_images

    engine()  # models loaded before timing either side
    rng = random.Random(7)
    image = screens_of(random_post(rng, 40, 12), Style())[0].image
    ours: list[float] = []
    alone: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        recognise(image)
        alone.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        read_images([image])
        ours.append((time.perf_counter() - started) * 1000)
    results = [
        Result(
            "screenshots: read one 1080×2400 screenshot",
            statistics.median(ours),
            "OCR engine alone, same picture",
            statistics.median(alone),
        )
    ]
    try:  # for reference: rapidocr's own pipeline (needs OpenCV, not bundled)
        import numpy as np
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        return results
    theirs = RapidOCR(use_cls=False)
    bgr = np.ascontiguousarray(np.asarray(image)[:, :, ::-1])
    theirs(bgr, use_cls=False)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        theirs(bgr, use_cls=False)
        samples.append((time.perf_counter() - started) * 1000)
    results.append(
        Result(
            "screenshots: rapidocr-onnxruntime's own pipeline (OpenCV), same picture",
            statistics.median(samples),
            "OCR engine alone, same picture",
            statistics.median(alone),
        )
    )
    return results


def run(repeat: int, posts: int = 30, show_misses: bool = True) -> list[Result]:
    cache = os.environ.get("BENCH_OCR_CACHE")
    undo = None
    if cache:
        Path(cache).mkdir(parents=True, exist_ok=True)
        undo = _cached_boxes(Path(cache))
    results, misses = accuracy(posts)
    if undo is not None:
        undo()
    if show_misses:
        for kind, items in misses.items():
            for item in items[:40]:
                print(f"  missed {kind}: {item}")
    return results + timing(repeat)
