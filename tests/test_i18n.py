"""Every user-visible string is translated, and the shipped .qm matches the .ts."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import i18n  # noqa: E402  - the same script `make i18n` runs


@pytest.fixture(scope="module")
def refreshed_ts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed catalogue, updated with the strings the code has today."""
    target = tmp_path_factory.mktemp("i18n") / "moments_desk_zh_CN.ts"
    shutil.copy(i18n.ts_path("zh_CN"), target)
    i18n.lupdate(target)
    return target


def test_every_string_in_the_code_has_a_chinese_translation(refreshed_ts: Path) -> None:
    untranslated = []
    for context in ET.parse(refreshed_ts).getroot():
        for message in context.findall("message"):
            translation = message.find("translation")
            assert translation is not None
            text = "".join(translation.itertext()).strip()
            if translation.get("type") in ("unfinished", "vanished", "obsolete") or not text:
                untranslated.append(f"{context.findtext('name')}: {message.findtext('source')}")
    assert untranslated == [], "run `make i18n` and translate:\n" + "\n".join(untranslated)


def test_placeholders_survive_translation(refreshed_ts: Path) -> None:
    import re

    placeholder = re.compile(r"\{\w+\}|%L?n")
    for context in ET.parse(refreshed_ts).getroot():
        for message in context.findall("message"):
            source = message.findtext("source") or ""
            translated = "".join(message.find("translation").itertext())  # type: ignore[union-attr]
            assert sorted(placeholder.findall(source)) == sorted(placeholder.findall(translated)), (
                source
            )


def test_shipped_qm_is_compiled_from_the_ts(tmp_path: Path) -> None:
    ts = i18n.ts_path("zh_CN")
    fresh = tmp_path / "fresh.qm"
    i18n.lrelease(ts, fresh)
    assert fresh.read_bytes() == ts.with_suffix(".qm").read_bytes(), "run `make i18n`"


def test_simplified_chinese_font_is_installed_for_screenshots() -> None:
    if shutil.which("fc-list") is None:
        pytest.skip("no fontconfig")
    families = subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True)
    assert "Noto Sans CJK SC" in families.stdout, "install fonts-noto-cjk"


def test_lupdate_sees_every_translate_call_in_the_code() -> None:
    """lupdate silently skips calls it cannot parse (e.g. a plural count that is not a plain
    name, or a QT_TRANSLATE_NOOP with keyword arguments); such strings would show in English
    in the Chinese UI."""
    import ast

    catalogue = ET.parse(i18n.ts_path("zh_CN")).getroot()
    known = {
        (c.findtext("name"), m.findtext("source")) for c in catalogue for m in c.iter("message")
    }
    missing = []
    marked = 0
    # ui/i18n.tr_msg and cli.text.render look up, at run time, what core/ marked with
    # QT_TRANSLATE_NOOP
    looks_up_marked = {
        ROOT / "moments_desk" / "ui" / "i18n.py",
        ROOT / "moments_desk" / "cli" / "text.py",
    }
    for path in (ROOT / "moments_desk").rglob("*.py"):
        if path in looks_up_marked:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            where = f"{path.name}:{node.lineno}"
            if getattr(node.func, "id", "") == "QT_TRANSLATE_NOOP":
                marked += 1
                assert len(node.args) == 2 and not node.keywords, (
                    f"{where}: QT_TRANSLATE_NOOP(context, source) only; fill values with .format()"
                )
            elif getattr(node.func, "attr", "") != "translate":
                continue
            context, source = node.args[0], node.args[1]
            assert isinstance(context, ast.Constant) and isinstance(source, ast.Constant), (
                f"{where}: translate() and QT_TRANSLATE_NOOP() need literal strings for lupdate"
            )
            if len(node.args) == 4:
                assert isinstance(node.args[3], ast.Name), (
                    f"{where}: pass the plural count as a plain name"
                )
            assert isinstance(source.value, str), where
            if (context.value, source.value) not in known:
                missing.append(f"{where}: {source.value}")
    assert missing == []
    assert marked > 100  # core/ marks its seller-facing messages; the check above saw them


def test_lupdate_extracts_qt_translate_noop_with_format(tmp_path: Path) -> None:
    """The form core/ uses: lupdate reads the literal context and source before ``.format``."""
    source = tmp_path / "marked.py"
    source.write_text(
        "from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP\n"
        'a = QT_TRANSLATE_NOOP("Money", "{raw} is negative").format(raw=raw)\n'
        "b = QT_TRANSLATE_NOOP(\n"
        '    "Orders",\n'
        '    "Order {order_id} is already paid. "\n'
        '    "Cancel it.",\n'
        ").format(order_id=3)\n",
        encoding="utf-8",
    )
    ts = tmp_path / "marked.ts"
    subprocess.run(
        [i18n.tool("pyside6-lupdate"), str(source), "-ts", str(ts)], check=True, capture_output=True
    )
    found = {
        (c.findtext("name"), m.findtext("source"))
        for c in ET.parse(ts).getroot()
        for m in c.iter("message")
    }
    assert found == {
        ("Money", "{raw} is negative"),
        ("Orders", "Order {order_id} is already paid. Cancel it."),
    }
