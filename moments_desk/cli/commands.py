"""Command-line subcommands that work on a shop without opening a window.

moments-desk import products FILE [--dry-run] [--images-folder DIR] [--on-existing ...]
moments-desk import customers FILE [--dry-run] [--account NAME] [--on-existing ...]
moments-desk import taobao-orders FILE [--dry-run] [--account NAME]
moments-desk plan [--weeks N] [--account ID] [--dry-run] [--lang zh_CN|en]
moments-desk backup [--to FILE]
moments-desk restore FILE [--yes]
moments-desk check [--full]
moments-desk relay (--post ID | --today) [--account NAME] [--bind ADDR] [--port N]
moments-desk read-screenshot FILE... [--json]
moments-desk account add NAME [--nickname N] [--wechat-id ID]

Global flags (--data-dir, --database) may come before or after the subcommand.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from moments_desk.prefs import SUPPORTED_LANGUAGES

SUBCOMMANDS = (
    "import",
    "plan",
    "backup",
    "restore",
    "check",
    "relay",
    "read-screenshot",
    "account",
)
#: Flags every subcommand takes; given before the subcommand they are moved after it.
_GLOBAL_FLAGS = ("--data-dir", "--database", "--lang")
#: Subcommands that print no sentences of their own, so take no --lang.
_WITHOUT_LANG = ("read-screenshot", "account")


class _Defaults(argparse.HelpFormatter):
    """Each argument's help ends with its default, when it has one worth saying."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if action.default not in (None, False, argparse.SUPPRESS) and "default" not in text:
            text += " (default: %(default)s)"
        return text


_DEFAULTS = _Defaults


def _parser() -> argparse.ArgumentParser:
    from moments_desk.cli.accounts import add_account_parser

    parser = argparse.ArgumentParser(prog="moments-desk")
    sub = parser.add_subparsers(dest="command", required=True)
    importer = sub.add_parser("import", help="import a spreadsheet into the shop")
    what = importer.add_subparsers(dest="what", required=True)
    products = what.add_parser(
        "products", help="products from CSV or XLSX", formatter_class=_DEFAULTS
    )
    products.add_argument("file", type=Path, help="a CSV (UTF-8 or GBK) or XLSX file")
    products.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    products.add_argument(
        "--images-folder", type=Path, help="pictures named by product code (QZ-01_2.jpg)"
    )
    customers = what.add_parser(
        "customers", help="friend-customers from CSV or XLSX", formatter_class=_DEFAULTS
    )
    orders = what.add_parser(
        "taobao-orders", help="a Taobao order export (订单报表, CSV)", formatter_class=_DEFAULTS
    )
    for p in (products, customers):
        p.add_argument(
            "--on-existing",
            choices=("update", "skip", "error"),
            default="update",
            help="what to do with a row the shop already has",
        )
    for p in (customers, orders):
        p.add_argument("file", type=Path, help="the file to import")
        p.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        p.add_argument(
            "--account",
            metavar="NAME",
            help="the WeChat account new customers belong to (label or WeChat ID; "
            "may be left out when the shop has one)",
        )
    planner = sub.add_parser(
        "plan", help="auto-draft the next weeks and check the rules", formatter_class=_DEFAULTS
    )
    planner.add_argument("--weeks", type=int, default=4, help="how many weeks ahead (1–53)")
    planner.add_argument(
        "--account", type=int, metavar="ID", help="only this WeChat account (default: all)"
    )
    planner.add_argument("--dry-run", action="store_true", help="show the drafts, write nothing")
    planner.add_argument(
        "--lang", choices=SUPPORTED_LANGUAGES, help="zh_CN or en (default: the system's language)"
    )
    backup = sub.add_parser(
        "backup", help="back up the database and pictures", formatter_class=_DEFAULTS
    )
    backup.add_argument(
        "--to", type=Path, metavar="FILE", help="a .zip archive (default: a snapshot in backups/)"
    )
    restore = sub.add_parser(
        "restore", help="replace the shop with a backup", formatter_class=_DEFAULTS
    )
    restore.add_argument("file", type=Path, help="a .zip archive or a snapshot from backups/")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    for p in (backup, restore):
        p.add_argument(
            "--as-owner",
            metavar="NAME",
            help="a shared (PostgreSQL) shop: the owner profile doing this",
        )
        p.add_argument("--pin", metavar="PIN", help="that owner's PIN (asked for when not given)")
    check = sub.add_parser(
        "check", help="check the database and pictures", formatter_class=_DEFAULTS
    )
    check.add_argument("--full", action="store_true", help="read every page (slower)")
    from moments_desk.cli import relay as relay_command

    relay = relay_command.add_parser(sub)
    screenshot = sub.add_parser(
        "read-screenshot", help="print the likes and comments read from screenshots of a post"
    )
    screenshot.add_argument("files", type=Path, nargs="+", metavar="FILE")
    screenshot.add_argument("--json", action="store_true", help="one JSON object on stdout")
    adding = add_account_parser(sub)
    for p in (products, customers, orders, planner, backup, restore, check, relay, adding):
        p.add_argument(
            "--data-dir",
            type=Path,
            metavar="DIR",
            help="the shop's folder (default: your user data folder)",
        )
        p.add_argument("--database", metavar="URL", help="a shared database, e.g. postgresql://…")
    for p in (products, customers, orders, backup, restore, check, relay):
        p.add_argument(
            "--lang", choices=SUPPORTED_LANGUAGES, help="language of messages (default: system)"
        )
    return parser


def _move_global_flags(argv: list[str]) -> list[str]:
    """``--data-dir D check`` reads as ``check --data-dir D``: flags before the subcommand
    are moved after it (``--lang`` only where the subcommand has it)."""
    moved: list[str] = []
    index = 0
    while index < len(argv) and argv[index] not in SUBCOMMANDS:
        flag, equals, _ = argv[index].partition("=")
        if flag not in _GLOBAL_FLAGS:
            return argv  # not ours: the window's flags (--demo, --smoke, …)
        width = 1 if equals else 2
        moved += argv[index : index + width]
        index += width
    if index >= len(argv):
        return argv
    command, rest = argv[index], argv[index + 1 :]
    if command in _WITHOUT_LANG:
        moved = [m for i, m in enumerate(moved) if not _is_lang(moved, i)]
    return [command, *rest, *moved]


def _is_lang(flags: list[str], index: int) -> bool:
    item = flags[index]
    return item.startswith("--lang") or (index > 0 and flags[index - 1] == "--lang")


def run_command(argv: list[str]) -> int | None:
    """Run a subcommand and return its exit code, or None when ``argv`` holds none."""
    argv = _move_global_flags(argv)
    if not argv or argv[0] not in SUBCOMMANDS:
        return None
    args = _parser().parse_args(argv)
    if args.command == "read-screenshot":
        from moments_desk.cli.screenshots import read_screenshot_command

        return read_screenshot_command(args.files, as_json=args.json)
    if args.command == "plan":
        from moments_desk.cli.plan import plan_command

        return plan_command(args)
    if args.command == "account":
        from moments_desk.cli.accounts import account_command

        return account_command(args)
    if args.command == "import":
        if args.what == "products":
            return _import_products(args)
        from moments_desk.cli.imports import import_people

        return import_people(args)
    if args.command == "relay":
        from moments_desk.cli import relay as relay_command

        return relay_command.run(args)
    from moments_desk.cli import safety as safety_commands

    return safety_commands.run(args)


def _import_products(args: argparse.Namespace) -> int:
    from moments_desk.cli.text import cli_language, render, report_startup_failure
    from moments_desk.core.catalogue.product_import import (
        PRODUCT_FIELDS,
        apply_product_import,
        plan_product_import,
    )
    from moments_desk.core.spreadsheets.tabular import TableError, guess_mapping, read_table
    from moments_desk.paths import default_data_dir
    from moments_desk.startup import StartupError, open_shop

    try:
        table = read_table(args.file)
    except TableError as error:
        print(f"moments-desk: {render(error, cli_language(args.lang))}", file=sys.stderr)
        return 1
    data_dir = args.data_dir or default_data_dir()
    try:
        shop = open_shop(data_dir, args.database)
    except StartupError as error:
        return report_startup_failure(error, args.lang)
    try:
        mapping = guess_mapping(table.headers, PRODUCT_FIELDS)
        with shop.sessions() as session:
            plan = plan_product_import(
                table,
                mapping,
                session,
                images_folder=args.images_folder,
                on_existing=args.on_existing,
            )
        encoding = f", {table.encoding}" if table.encoding else ""
        print(f"{args.file.name}: {len(table.rows)} rows{encoding}")
        print(
            f"to create: {plan.to_create}  to update: {plan.to_update}  "
            f"skipped: {plan.skipped}  errors: {len(plan.errors)}"
        )
        for warning in plan.warnings:
            print(f"warning: {warning}")
        for row_error in plan.errors:
            print(str(row_error), file=sys.stderr)
        if plan.errors:
            print("nothing was written", file=sys.stderr)
            return 1
        if args.dry_run:
            print("dry run: nothing was written")
            return 0
        result = apply_product_import(plan, shop.engine, shop.paths.media)
        print(f"created: {result.created}  updated: {result.updated}  pictures: {result.images}")
        return 0
    except ValueError as error:
        reason = render(error, cli_language(args.lang))
        print(f"moments-desk: {reason}; nothing was written", file=sys.stderr)
        return 1
    finally:
        shop.close()
