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
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from moments_desk.prefs import SUPPORTED_LANGUAGES

SUBCOMMANDS = ("import", "plan", "backup", "restore", "check", "relay", "read-screenshot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="moments-desk")
    sub = parser.add_subparsers(dest="command", required=True)
    importer = sub.add_parser("import", help="import a spreadsheet into the shop")
    what = importer.add_subparsers(dest="what", required=True)
    products = what.add_parser("products", help="products from CSV or XLSX")
    products.add_argument("file", type=Path)
    products.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    products.add_argument("--images-folder", type=Path, help="pictures named by product code")
    products.add_argument("--on-existing", choices=("update", "skip", "error"), default="update")
    customers = what.add_parser("customers", help="friend-customers from CSV or XLSX")
    customers.add_argument("--on-existing", choices=("update", "skip", "error"), default="update")
    orders = what.add_parser("taobao-orders", help="a Taobao order export (订单报表, CSV)")
    for p in (customers, orders):
        p.add_argument("file", type=Path)
        p.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        p.add_argument(
            "--account", metavar="NAME", help="the WeChat account new customers belong to"
        )
    planner = sub.add_parser("plan", help="auto-draft the next weeks and check the rules")
    planner.add_argument("--weeks", type=int, default=4)
    planner.add_argument("--account", type=int, help="only this WeChat account (id)")
    planner.add_argument("--dry-run", action="store_true", help="show the drafts, write nothing")
    planner.add_argument("--lang", choices=SUPPORTED_LANGUAGES, help="zh_CN or en")
    backup = sub.add_parser("backup", help="back up the database and pictures")
    backup.add_argument(
        "--to", type=Path, metavar="FILE", help="a .zip archive (default: a snapshot in backups/)"
    )
    restore = sub.add_parser("restore", help="replace the shop with a backup")
    restore.add_argument("file", type=Path, help="a .zip archive or a snapshot from backups/")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    check = sub.add_parser("check", help="check the database and pictures")
    check.add_argument("--full", action="store_true", help="read every page (slower)")
    from moments_desk.cli import relay as relay_command

    relay = relay_command.add_parser(sub)
    screenshot = sub.add_parser(
        "read-screenshot", help="print the likes and comments read from screenshots of a post"
    )
    screenshot.add_argument("files", type=Path, nargs="+", metavar="FILE")
    screenshot.add_argument("--json", action="store_true", help="one JSON object on stdout")
    for p in (products, customers, orders, planner, backup, restore, check, relay):
        p.add_argument("--data-dir", type=Path)
        p.add_argument("--database", metavar="URL")
    for p in (products, customers, orders, backup, restore, check, relay):
        p.add_argument(
            "--lang", choices=SUPPORTED_LANGUAGES, help="language of messages (default: system)"
        )
    return parser


def run_command(argv: list[str]) -> int | None:
    """Run a subcommand and return its exit code, or None when ``argv`` holds none."""
    if not argv or argv[0] not in SUBCOMMANDS:
        return None
    args = _parser().parse_args(argv)
    if args.command == "read-screenshot":
        from moments_desk.cli.screenshots import read_screenshot_command

        return read_screenshot_command(args.files, as_json=args.json)
    if args.command == "plan":
        from moments_desk.cli.plan import plan_command

        return plan_command(args)
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
