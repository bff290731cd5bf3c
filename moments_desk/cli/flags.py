"""Command-line flags of ``moments-desk``."""

from __future__ import annotations

import argparse
from pathlib import Path

from moments_desk import __version__
from moments_desk.prefs import SUPPORTED_LANGUAGES


def build_parser() -> argparse.ArgumentParser:
    from moments_desk.cli import commands as commands

    listed = commands.__doc__.split("\n\n")[1] if commands.__doc__ else ""
    parser = argparse.ArgumentParser(
        prog="moments-desk",
        description="Moments Desk (朋友圈卖货台): plan, publish by hand and track WeChat "
        "Moments selling. It never automates WeChat.",
        epilog="Work without a window (each takes --data-dir and --database, before or\n"
        "after the subcommand; moments-desk SUBCOMMAND --help for its arguments):\n\n" + listed,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="folder for the database, pictures and backups (default: your user data folder)",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="use a shared database instead of the SQLite file, e.g. "
        "postgresql://user:password@host/dbname",
    )
    parser.add_argument(
        "--lang",
        choices=SUPPORTED_LANGUAGES,
        help="interface language (default: saved, else system)",
    )
    parser.add_argument(
        "--demo", action="store_true", help="fill an empty database with a demo shop first"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="open the main window, wait for the first page to paint with data, "
        "print 'smoke ok <ms>' and exit",
    )
    return parser


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    return build_parser().parse_args(argv)
