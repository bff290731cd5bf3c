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
    name); such strings would show in English in the Chinese UI."""
    import ast

    catalogue = ET.parse(i18n.ts_path("zh_CN")).getroot()
    known = {
        (c.findtext("name"), m.findtext("source")) for c in catalogue for m in c.iter("message")
    }
    missing = []
    for path in (ROOT / "moments_desk").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "translate"):
                continue
            context, source = node.args[0], node.args[1]
            assert isinstance(context, ast.Constant) and isinstance(source, ast.Constant), (
                f"{path.name}:{node.lineno}: translate() needs literal strings for lupdate"
            )
            if len(node.args) == 4:
                assert isinstance(node.args[3], ast.Name), (
                    f"{path.name}:{node.lineno}: pass the plural count as a plain name"
                )
            if (context.value, source.value) not in known:
                missing.append(f"{path.name}:{node.lineno}: {source.value}")
    assert missing == []
