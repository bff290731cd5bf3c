"""``moments-desk read-screenshot FILE... [--json]``: what was read, without matching."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moments_desk.cli.commands import run_command

SCREENS = Path(__file__).resolve().parents[1] / "screens"


def test_json_is_exactly_one_object_with_the_likes_in_order_and_the_comments(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run_command(["read-screenshot", str(SCREENS / "wechat-phone.png"), "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # one line, one object
    printed = json.loads(out)
    assert list(printed) == ["likes", "comments"]
    assert printed == json.loads((SCREENS / "wechat-phone.json").read_text(encoding="utf-8"))
    assert printed["comments"][2] == {
        "name": "悦己服饰",
        "reply_to": "阿花",
        "text": "好的，给你留一件",
    }


def test_a_file_that_is_no_picture_is_refused_with_its_name_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "notes.jpg"
    bad.write_bytes(b"\x00" * 64)
    assert run_command(["read-screenshot", str(bad)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "notes.jpg: this file is not a picture" in captured.err
