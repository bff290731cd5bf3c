"""The command line as a seller scripting a new shop meets it."""

from __future__ import annotations

from pathlib import Path

import pytest

from moments_desk.cli.commands import _parser, run_command
from moments_desk.cli.flags import build_parser


def run(argv: list[str]) -> int:
    code = run_command(argv)
    assert code is not None
    return code


def test_help_lists_the_subcommands_and_each_says_its_defaults(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = build_parser().format_help()
    for line in ("moments-desk plan [--weeks N]", "moments-desk account add NAME", "check"):
        assert line in text
    subcommands = _parser()._subparsers
    assert subcommands is not None
    choices = subcommands._group_actions[0].choices
    assert isinstance(choices, dict)
    plan = choices["plan"]
    plan_help = " ".join(plan.format_help().split())
    assert "how many weeks ahead (1–53) (default: 4)" in plan_help
    assert "(default: the system's language)" in plan_help and "(default: None)" not in plan_help


def test_global_flags_work_before_the_subcommand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shop = str(tmp_path / "shop")
    assert run(["--data-dir", shop, "account", "add", "主号", "--nickname", "小棉袄"]) == 0
    assert capsys.readouterr().out == "account 1 added: 主号\n"
    assert run([f"--data-dir={shop}", "check"]) == 0
    assert "database: quick check ok" in capsys.readouterr().out
    assert run(["--data-dir", shop, "--lang", "zh_CN", "backup"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("backup saved: ")  # no blank line first


def test_plan_says_why_it_cannot_draft(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shop = str(tmp_path / "shop")
    assert run(["plan", "--data-dir", shop]) == 1
    assert "no WeChat account yet: add one with `moments-desk account add NAME`" in (
        capsys.readouterr().err
    )
    assert run(["account", "add", "主号", "--data-dir", shop]) == 0
    assert run(["plan", "--data-dir", shop]) == 1
    assert "no posting rhythm" in capsys.readouterr().err
    assert run(["plan", "--data-dir", shop, "--account", "99"]) == 2
    assert "--account 99: there is no WeChat account with that id; there are: 1 主号." in (
        capsys.readouterr().err
    )
    with pytest.raises(SystemExit) as refused:
        run(["plan", "--data-dir", shop, "--lang", "fr"])
    assert refused.value.code == 2
    assert "invalid choice: 'fr'" in capsys.readouterr().err


def test_a_scripted_shop_imports_customers_into_the_account_it_added(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shop = str(tmp_path / "shop")
    friends = tmp_path / "friends.csv"
    friends.write_text("微信号,昵称\nlily88,小美\n", encoding="utf-8")
    assert run(["import", "customers", str(friends), "--data-dir", shop]) == 1
    assert "moments-desk account add NAME" in capsys.readouterr().err
    assert run(["account", "add", "主号", "--data-dir", shop]) == 0
    assert run(["account", "add", "主号", "--data-dir", shop]) == 1  # the name is taken
    assert "already an account called 主号" in capsys.readouterr().err
    assert run(["import", "customers", str(friends), "--data-dir", shop]) == 0
    assert "account 主号" in capsys.readouterr().out


def test_restore_names_the_pictures_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shop = str(tmp_path / "shop")
    archive = tmp_path / "backup.zip"
    assert run(["account", "add", "主号", "--data-dir", shop]) == 0
    assert run(["backup", "--to", str(archive), "--data-dir", shop]) == 0
    capsys.readouterr()
    assert run(["restore", str(archive), "--yes", "--data-dir", shop]) == 0
    out = capsys.readouterr().out
    assert out.count("pictures") == 1, out
    assert "\n\n" not in out and out.splitlines()[-1].startswith("restored.")
