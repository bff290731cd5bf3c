"""Hypothesis against every importer and the picture store: random bytes, encodings, column
orders, huge fields and hostile pictures. Nothing may crash; everything is accepted or
refused with a message, and a refused import writes nothing."""

from __future__ import annotations

import functools
import io
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import Engine, text

from moments_desk.core.pictures.media import ImageRejected, store_image
from moments_desk.db.engine import make_engine, sqlite_url
from moments_desk.db.migrate import upgrade_to_head
from tests.fuzz.targets import TARGETS, FuzzTarget
from tests.images import hostile_images

FAST = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SLOW = settings(
    max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "big5", "latin-1", "shift_jis")
cells = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30
) | st.sampled_from(["¥259", "12,5", "1e9", "-3", "2026年11月20日", '="3515"', "'138", ""])
huge = st.integers(min_value=10_000, max_value=120_000).map(lambda n: "长" * n)


@pytest.fixture(scope="module")
def shop_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    folder = tmp_path_factory.mktemp("fuzz")
    engine = make_engine(sqlite_url(folder / "shop.sqlite3"))
    upgrade_to_head(engine)
    yield engine
    engine.dispose()


def counts(engine: Engine) -> tuple[int, ...]:
    with engine.connect() as conn:
        return tuple(
            int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
            for t in (
                "product",
                "product_image",
                "tag",
                "product_tag",
                "customer",
                "customer_tag",
                "customer_address",
                "sales_order",
                "order_item",
            )
        )


def attack(target: FuzzTarget, engine: Engine, name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / name
        path.write_bytes(data)
        before = counts(engine)
        try:
            outcome = target.consume(path, engine, Path(work) / "media", None)
        except target.expected as error:
            assert str(error).strip(), f"{target.name}: refused without a message"
            assert counts(engine) == before, f"{target.name}: a refused import wrote rows"
            return
        if outcome.startswith("refused"):
            assert counts(engine) == before


@st.composite
def spreadsheets(draw: st.DrawFn, target: FuzzTarget) -> tuple[str, bytes]:
    """A CSV as sellers' tools write them: known and unknown columns in any order."""
    fields = list(target.aliases)
    chosen = draw(st.lists(st.sampled_from(fields), unique=True, min_size=1))
    headers = [draw(st.sampled_from(target.aliases[f])) for f in chosen]
    headers += draw(st.lists(cells, max_size=2))
    headers = draw(st.permutations(headers))
    rows = draw(st.lists(st.lists(cells | huge, min_size=0, max_size=len(headers) + 2), max_size=6))
    sep = draw(st.sampled_from([",", "\t", ";"]))
    body = "\n".join(
        sep.join(f'"{c}"' if sep in c or '"' in c else c for c in row) for row in [headers, *rows]
    )
    encoding = draw(st.sampled_from(ENCODINGS))
    data = body.encode(encoding, errors="replace")
    return draw(st.sampled_from(["data.csv", "data.txt", "data.tsv"])), data


def random_files() -> st.SearchStrategy[tuple[str, bytes]]:
    names = st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a.xls", "a"])
    prefixes = st.sampled_from([b"", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"\xd0\xcf"])
    return st.tuples(names, st.builds(lambda p, b: p + b, prefixes, st.binary(max_size=2000)))


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
@FAST
@given(data=st.data())
def test_importers_survive_spreadsheets(
    shop_engine: Engine, target: FuzzTarget, data: st.DataObject
) -> None:
    attack(target, shop_engine, *data.draw(spreadsheets(target)))


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
@FAST
@given(file=random_files())
def test_importers_survive_random_bytes(
    shop_engine: Engine, target: FuzzTarget, file: tuple[str, bytes]
) -> None:
    attack(target, shop_engine, *file)


@pytest.mark.slow
@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
@SLOW
@given(data=st.data())
def test_importers_survive_many_spreadsheets(
    shop_engine: Engine, target: FuzzTarget, data: st.DataObject
) -> None:
    attack(target, shop_engine, *data.draw(spreadsheets(target)))
    attack(target, shop_engine, *data.draw(random_files()))


# ---- pictures ---------------------------------------------------------------------------


def test_every_hostile_picture_is_accepted_or_refused_by_name(tmp_path: Path) -> None:
    outcomes = {}
    for name, path in hostile_images(tmp_path / "in").items():
        try:
            stored = store_image(path, tmp_path / "media")
        except ImageRejected as error:
            assert name in str(error)
            outcomes[name] = error.reason
        else:
            assert stored.format in ("JPEG", "PNG") and stored.width > 0
            outcomes[name] = "accepted" + "".join(f" ({n})" for n in stored.notes)
    assert outcomes["truncated.jpg"] == "truncated"
    assert outcomes["zero-byte.jpg"] == "empty"
    assert outcomes["bomb.png"] == "too_many_pixels"
    assert outcomes["text-named.jpg"] == "not_an_image"
    assert outcomes["scan.bmp"] == outcomes["scan.tif"] == "unsupported_format"
    assert outcomes["png-named.jpg"].startswith("accepted")
    assert "CMYK" in outcomes["cmyk.jpg"] and "16-bit" in outcomes["sixteen-bit.png"]
    assert "animated" in outcomes["animated.gif"]
    assert outcomes["palette-transparent.png"].startswith("accepted")


def test_hostile_pictures_in_an_import_name_the_row_and_write_nothing(
    shop_engine: Engine, tmp_path: Path
) -> None:
    images = tmp_path / "images"
    made = hostile_images(tmp_path / "src")
    rows = ["货号,宝贝标题,一口价"]
    for n, (name, path) in enumerate(sorted(made.items())):
        code = f"HOST-{n:02d}"
        rows.append(f"{code},{name},10")
        images.mkdir(exist_ok=True)
        (images / f"{code}{path.suffix}").write_bytes(path.read_bytes())
    sheet = tmp_path / "products.csv"
    sheet.write_text("\n".join(rows), encoding="utf-8")
    target = TARGETS[0]
    before = counts(shop_engine)
    # The plan checks every picture as the real run would: refused before anything is written.
    outcome = target.consume(sheet, shop_engine, tmp_path / "media", images)
    assert re.match(r"refused: row \d+: images: HOST-\d\d", outcome), outcome
    assert counts(shop_engine) == before
    assert not (tmp_path / "media").exists()


@functools.cache
def _valid_picture(fmt: str) -> bytes:
    buffer = io.BytesIO()
    # Deterministic content: Hypothesis replays examples and needs the same bytes each time.
    image = Image.linear_gradient("L").resize((64, 48)).convert("RGB")
    image.save(buffer, fmt)
    return buffer.getvalue()


@st.composite
def mangled_pictures(draw: st.DrawFn) -> bytes:
    data = bytearray(_valid_picture(draw(st.sampled_from(["JPEG", "PNG", "GIF", "WEBP"]))))
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    cut = draw(st.integers(1, len(data)))
    return bytes(data[:cut])


@FAST
@given(data=mangled_pictures(), suffix=st.sampled_from([".jpg", ".png", ".gif", ".heic", ""]))
def test_mangled_pictures_never_crash_the_store(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / f"photo{suffix}"
        path.write_bytes(data)
        try:
            stored = store_image(path, Path(work) / "media")
        except ImageRejected as error:
            assert path.name in str(error)
        else:
            assert stored.width > 0 and stored.height > 0


@pytest.mark.slow
@SLOW
@given(data=mangled_pictures())
def test_many_mangled_pictures(data: bytes) -> None:
    test_mangled_pictures_never_crash_the_store.hypothesis.inner_test(data=data, suffix=".jpg")  # type: ignore[attr-defined]
