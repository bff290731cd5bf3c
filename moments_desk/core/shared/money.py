"""Parsing and showing yuan amounts exactly."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("100000000")  # ¥100 million: anything above is a typo, not a price

_CURRENCY = re.compile(r"^(?:¥|￥|RMB|CNY|元)|(?:元|¥|￥)$", re.IGNORECASE)
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")


class PriceError(ValueError):
    """A price that cannot be read; ``str()`` is a message for the seller."""


def parse_price(
    raw: str | int | float | Decimal | None, *, allow_empty: bool = False
) -> Decimal | None:
    """Read "129", "129.90", "¥129.9", "￥1,299.00", "129元" as an exact two-place Decimal.

    Refuses what is ambiguous rather than guessing: "12,5" (a European decimal comma or a
    typo for 1,25x?), several dots, negative amounts, letters.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if allow_empty:
            return None
        raise PriceError(QT_TRANSLATE_NOOP("Money", "price is empty"))
    if isinstance(raw, bool):
        raise PriceError(QT_TRANSLATE_NOOP("Money", "{raw} is not a price").format(raw=repr(raw)))
    if isinstance(raw, float):
        raw = repr(raw)  # repr keeps 0.1 as "0.1", not its binary approximation
    text = str(raw).strip().replace("\u3000", " ").replace(" ", "")
    text = text.replace("，", ",").replace("．", ".")
    # "RMB¥129" needs two passes. Each pass that changes the text shortens it, so the
    # loop ends after at most len(text) passes whatever the text is.
    for _ in range(len(text)):
        stripped = _CURRENCY.sub("", text)
        if stripped == text:
            break
        text = stripped
    if "," in text:
        if not _GROUPED.match(text):
            raise PriceError(
                QT_TRANSLATE_NOOP(
                    "Money", "{raw} is ambiguous: write 12.5 for a decimal, 1,299 for thousands"
                ).format(raw=raw)
            )
        text = text.replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise PriceError(
            QT_TRANSLATE_NOOP("Money", "{raw} is not a price").format(raw=raw)
        ) from None
    if not amount.is_finite():
        raise PriceError(QT_TRANSLATE_NOOP("Money", "{raw} is not a price").format(raw=raw))
    if amount < 0:
        raise PriceError(QT_TRANSLATE_NOOP("Money", "{raw} is negative").format(raw=raw))
    if amount >= MAX_AMOUNT:
        raise PriceError(QT_TRANSLATE_NOOP("Money", "{raw} is too large").format(raw=raw))
    # Any rounding changes an amount with a third decimal and none changes one without.
    if amount != amount.quantize(CENT):
        raise PriceError(
            QT_TRANSLATE_NOOP("Money", "{raw} has more than two decimals").format(raw=raw)
        )
    return amount.quantize(CENT)


def format_price(amount: Decimal | None) -> str:
    """¥129.00 → "¥129", ¥129.90 → "¥129.90" (sellers write whole prices without decimals)."""
    if amount is None:
        return ""
    if amount == amount.to_integral_value():
        return f"¥{amount:,.0f}"
    return f"¥{amount:,.2f}"
