"""Sizes and colours of the demo shop's clothes, so a seller trying the demo sees variants:
a cardigan in 燕麦色/黑色 × S/M/L with uneven stock, a dress in S/M/L, 均码 accessories."""

from __future__ import annotations

import random
from dataclasses import dataclass

#: Sizes per demo category; a category not listed is sold in one version.
SIZES: dict[str, tuple[str, ...]] = {
    "连衣裙": ("S", "M", "L"),
    "针织衫": ("S", "M", "L"),
    "外套": ("S", "M", "L", "XL"),
    "半身裙": ("S", "M", "L"),
    "裤装": ("S", "M", "L", "XL"),
    "配饰": ("均码",),
}
#: Knitwear comes in a second colour (black, or oatmeal when the first is black).
TWO_COLOURS = frozenset({"针织衫"})
#: How a clothing seller's stock of one style tends to fall over its sizes: M most, the
#: ends thin, sometimes one size gone.
_WEIGHTS = (0, 1, 2, 3, 3, 5)


@dataclass(frozen=True)
class DemoVariant:
    color: str
    size: str
    stock: int


def demo_variants(pid: int, category: str, colour: str, stock: int) -> list[DemoVariant]:
    """The variants of demo product ``pid``; their stock adds up to ``stock``. A random of
    its own per product, so the rest of the demo (drawn from the shop's seed) stays as it
    was."""
    sizes = SIZES.get(category)
    if not sizes:
        return [DemoVariant("", "", stock)]
    colours = [""]
    if category in TWO_COLOURS:
        colours = [colour, "燕麦色" if colour == "黑色" else "黑色"]
    cells = [(c, s) for c in colours for s in sizes]
    rng = random.Random(pid * 7919)
    weights = [rng.choice(_WEIGHTS) + (2 if s == "M" else 0) for _, s in cells]
    if not any(weights):
        weights[0] = 1
    total = sum(weights)
    counts = [stock * w // total for w in weights]
    # What rounding left over goes to the best-stocked cell: the sum stays the product's.
    counts[max(range(len(cells)), key=lambda i: weights[i])] += stock - sum(counts)
    return [DemoVariant(c, s, n) for (c, s), n in zip(cells, counts, strict=True)]
