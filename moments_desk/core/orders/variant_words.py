"""Which variant a friend means: "M码", "黑色L", "+1 S", "2XL", "均码", "165" → one SKU.

Pure: the caller hands in the product's variants. A size written two ways (XXL and 2XL,
"M码" and "m") is the same size; a colour may be written short ("黑" for 黑色). When the
words fit several variants (only "M" for a cardigan in two colours) or none, the answer
lists the candidates so the seller is asked instead of a guess taking the wrong stock.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from moments_desk.core.catalogue.variants import VariantInfo

_X_SIZES = {"XXL": "2XL", "XXXL": "3XL", "XXXXL": "4XL", "XXXXXL": "5XL"}
_WORDS = {"F": "均码", "FREE": "均码", "FREESIZE": "均码", "ONESIZE": "均码", "加大": "加大码"}
_SIZE_AT_END = re.compile(
    r"(XXXXXL|XXXXL|XXXL|XXL|XL|XS|[2-5]XL|S|M|L|F|均码|大码|小码|中码|加大码?|"
    r"1[0-8][05](?:/\d{2,3}[AB]?)?)$"
)


def normalise_size(size: str) -> str:
    """One spelling per size: "xxl" → "2XL", "M码" → "M", "F" → "均码", "165/84A" kept."""
    text = unicodedata.normalize("NFKC", size).strip().upper().replace(" ", "")
    text = text.removesuffix("码") if text not in ("均码", "大码", "小码", "中码") else text
    text = _X_SIZES.get(text, text)
    return _WORDS.get(text, text)


def _height(size: str) -> str:
    """ "165/84A" and "165" share the height a seller writes in a comment."""
    return size.split("/", 1)[0]


def split_written(written: str) -> tuple[str, str]:
    """(colour, size) of what a friend wrote: "黑色L" → ("黑色", "L"), "M码" → ("", "M")."""
    text = unicodedata.normalize("NFKC", written).strip().upper().replace(" ", "")
    text = text.removesuffix("码") if not text.endswith(("均码", "大码", "小码", "中码")) else text
    found = _SIZE_AT_END.search(text)
    if found is None:
        return text, ""
    return text[: found.start()], normalise_size(found.group(1))


@dataclass(frozen=True)
class VariantMatch:
    """The variant meant, or None with the candidates to ask about."""

    variant_id: int | None
    candidates: tuple[VariantInfo, ...] = ()

    @property
    def asks(self) -> bool:
        return self.variant_id is None


def _colour_fits(written: str, colour: str) -> bool:
    if not written:
        return True
    colour = unicodedata.normalize("NFKC", colour).upper()
    return colour.startswith(written) or written.startswith(colour) or written in colour


def _size_fits(written: str, size: str) -> bool:
    if not written:
        return True
    have = normalise_size(size)
    return have == written or _height(have) == written or have == _height(written)


def match_variant(variants: Sequence[VariantInfo], written: str) -> VariantMatch:
    """The one variant ``written`` fits; otherwise ask among the ones it could mean."""
    if len(variants) == 1:
        return VariantMatch(variants[0].id)
    colour, size = split_written(written)
    if not colour and not size:
        return VariantMatch(None, tuple(variants))
    exact = [
        v
        for v in variants
        if "".join(v.label.split()).upper() == unicodedata.normalize("NFKC", written).upper()
    ]
    if len(exact) == 1:
        return VariantMatch(exact[0].id)
    fits = [v for v in variants if _colour_fits(colour, v.color) and _size_fits(size, v.size)]
    if len(fits) == 1:
        return VariantMatch(fits[0].id)
    # Nothing fits: ask among the variants of the size, or of the colour, or all of them.
    if not fits:
        fits = [v for v in variants if size and _size_fits(size, v.size)] or [
            v for v in variants if colour and _colour_fits(colour, v.color)
        ]
    return VariantMatch(None, tuple(fits or variants))
