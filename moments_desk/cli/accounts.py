"""``moments-desk account add NAME``: a WeChat account for a shop set up by script."""

from __future__ import annotations

import argparse
import sys

from moments_desk.paths import default_data_dir


def add_account_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """``account add``; returns its parser (the caller adds the shop's flags)."""
    account = sub.add_parser(
        "account",
        help="add a WeChat account (so imports have one to go to)",
        description="WeChat accounts of the shop.",
    )
    what = account.add_subparsers(dest="what", required=True, metavar="add")
    add = what.add_parser(
        "add",
        help="add a WeChat account",
        description="Add a WeChat account with the default anti-spam rules "
        "(3 posts a day, 2 hours apart, quiet 23:00–07:00).",
    )
    add.add_argument("name", help="what the shop calls the account, e.g. 主号 or 小号")
    add.add_argument(
        "--nickname", default="", help="the WeChat nickname friends see (the Moments preview)"
    )
    add.add_argument("--wechat-id", default="", help="the account's WeChat ID (微信号)")
    return add


def account_command(args: argparse.Namespace) -> int:
    from moments_desk.core.shared.uow import write
    from moments_desk.core.team.accounts import AccountError, list_accounts, save_account
    from moments_desk.startup import StartupError, open_shop

    try:
        shop = open_shop(args.data_dir or default_data_dir(), args.database)
    except StartupError as error:
        print(f"moments-desk: cannot open the shop: {error}", file=sys.stderr)
        return error.exit_code
    try:
        name = args.name.strip()
        taken = [a.label for a in write(shop.sessions, list_accounts) if a.label == name]
        if taken:
            print(f"moments-desk: there is already an account called {name}", file=sys.stderr)
            return 1
        account_id = write(
            shop.sessions,
            lambda s: save_account(s, None, name, args.nickname.strip(), args.wechat_id),
        )
        print(f"account {account_id} added: {name}")
        return 0
    except AccountError as error:
        print(f"moments-desk: {error}", file=sys.stderr)
        return 1
    finally:
        shop.close()
