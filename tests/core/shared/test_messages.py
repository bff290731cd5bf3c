"""Core messages read in English everywhere a plain string is expected, and remember what to
look up so the interface can translate them."""

from __future__ import annotations

import pickle

import pytest

from moments_desk.core.catalogue.catalogue import ProductError
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP, Msg, message_of
from moments_desk.core.shared.money import PriceError, parse_price
from moments_desk.core.spreadsheets.importing import RowError


def test_a_message_is_its_english_text() -> None:
    msg = QT_TRANSLATE_NOOP("Money", "{raw} is negative").format(raw="-3")
    assert msg == "-3 is negative"
    assert isinstance(msg, str) and isinstance(msg, Msg)
    assert (msg.context, msg.source, dict(msg.params)) == (
        "Money",
        "{raw} is negative",
        {"raw": "-3"},
    )
    assert f"row 3: {msg}" == "row 3: -3 is negative"
    assert QT_TRANSLATE_NOOP("Catalogue", "The tag is empty.") == "The tag is empty."


def test_nested_messages_read_in_english_and_keep_their_parts() -> None:
    inner = QT_TRANSLATE_NOOP("Birthdays", "{month}/{day} does not exist").format(month=2, day=30)
    outer = QT_TRANSLATE_NOOP("Customers", "Birthday: {error}.").format(error=inner)
    assert outer == "Birthday: 2/30 does not exist."
    assert outer.params["error"] is inner
    assert pickle.loads(pickle.dumps(outer)) == outer
    assert pickle.loads(pickle.dumps(outer)).params["error"].context == "Birthdays"


def test_format_takes_names_only() -> None:
    with pytest.raises(TypeError):
        QT_TRANSLATE_NOOP("Money", "{} is negative").format("-3")


def test_errors_carry_the_message_and_still_print_english() -> None:
    with pytest.raises(PriceError) as caught:
        parse_price("12,5")
    assert str(caught.value) == "12,5 is ambiguous: write 12.5 for a decimal, 1,299 for thousands"
    message = message_of(caught.value)
    assert isinstance(message, Msg) and message.context == "Money"
    error = ProductError(QT_TRANSLATE_NOOP("Catalogue", "Every product needs a name."), "name")
    assert str(error) == "Every product needs a name." and error.field == "name"
    assert isinstance(message_of(error), Msg)
    assert message_of(ValueError("plain")) == "plain"
    assert str(RowError(3, "price", message)).startswith("row 3: price: 12,5 is ambiguous")
