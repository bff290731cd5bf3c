"""``moments-desk import customers|taobao-orders FILE``: the GUI imports, without a window."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.orm import Session

from moments_desk.cli.text import cli_language, render, report_startup_failure
from moments_desk.core.spreadsheets.importing import RowError
from moments_desk.core.spreadsheets.tabular import Table, TableError, guess_mapping, read_table
from moments_desk.core.team.accounts import AccountSummary, list_accounts
from moments_desk.paths import default_data_dir
from moments_desk.startup import Shop, StartupError, open_shop


def choose_account(accounts: list[AccountSummary], name: str | None) -> AccountSummary:
    """The account called ``name`` (label or WeChat ID), or the only one there is."""
    if not accounts:
        raise LookupError(
            "the shop has no WeChat account yet; add one first: "
            "moments-desk account add NAME (or in Settings)"
        )
    if name is None:
        if len(accounts) == 1:
            return accounts[0]
        labels = ", ".join(a.label for a in accounts)
        raise LookupError(f"choose the account with --account ({labels})")
    for account in accounts:
        if name in (account.label, account.wechat_id):
            return account
    labels = ", ".join(a.label for a in accounts)
    raise LookupError(f"no WeChat account called {name} (there are: {labels})")


def _report_errors(errors: list[RowError], warnings: list[str]) -> None:
    for warning in warnings:
        print(f"warning: {warning}")
    for row_error in errors:
        print(str(row_error), file=sys.stderr)
    if errors:
        print("nothing was written", file=sys.stderr)


def import_people(args: argparse.Namespace) -> int:
    """Run ``import customers`` or ``import taobao-orders``; returns the exit code."""
    try:
        table = read_table(args.file)
    except TableError as error:
        print(f"moments-desk: {render(error, cli_language(args.lang))}", file=sys.stderr)
        return 1
    try:
        shop = open_shop(args.data_dir or default_data_dir(), args.database)
    except StartupError as error:
        return report_startup_failure(error, args.lang)
    try:
        with shop.sessions() as session:
            account = choose_account(list_accounts(session), args.account)
            encoding = f", {table.encoding}" if table.encoding else ""
            print(f"{args.file.name}: {len(table.rows)} rows{encoding}; account {account.label}")
            if args.what == "customers":
                return _customers(args, shop, session, table, account.id)
            return _orders(args, shop, session, table, account.id)
    except LookupError as error:
        print(f"moments-desk: {error}", file=sys.stderr)
        return 1
    except ValueError as error:
        reason = render(error, cli_language(args.lang))
        print(f"moments-desk: {reason}; nothing was written", file=sys.stderr)
        return 1
    finally:
        shop.close()


def _customers(
    args: argparse.Namespace, shop: Shop, session: Session, table: Table, account_id: int
) -> int:
    from moments_desk.core.customers.customer_import import apply_customer_import
    from moments_desk.core.customers.customer_import_plan import (
        CUSTOMER_FIELDS,
        plan_customer_import,
    )

    mapping = guess_mapping(table.headers, CUSTOMER_FIELDS)
    plan = plan_customer_import(table, mapping, session, account_id, on_existing=args.on_existing)
    session.close()  # let the write below take the database
    print(
        f"to create: {plan.to_create}  to update: {plan.to_update}  "
        f"skipped: {plan.skipped}  errors: {len(plan.errors)}"
    )
    _report_errors(plan.errors, plan.warnings)
    if plan.errors:
        return 1
    if args.dry_run:
        print("dry run: nothing was written")
        return 0
    result = apply_customer_import(plan, shop.engine)
    print(f"created: {result.created}  updated: {result.updated}  addresses: {result.addresses}")
    return 0


def _orders(
    args: argparse.Namespace, shop: Shop, session: Session, table: Table, account_id: int
) -> int:
    from moments_desk.core.orders.taobao_import import (
        TAOBAO_FIELDS,
        apply_taobao_import,
        plan_taobao_import,
    )

    plan = plan_taobao_import(
        table, guess_mapping(table.headers, TAOBAO_FIELDS), session, account_id
    )
    session.close()
    print(
        f"orders to add: {len(plan.orders)}  already imported: {plan.already_imported}  "
        f"new customers: {plan.new_customers}  known customers: {plan.known_customers}  "
        f"errors: {len(plan.errors)}"
    )
    _report_errors(plan.errors, plan.warnings)
    if plan.errors:
        return 1
    if args.dry_run:
        print("dry run: nothing was written")
        return 0
    result = apply_taobao_import(plan, shop.engine)
    print(
        f"orders: {result.orders}  customers created: {result.customers_created}  "
        f"customers updated: {result.customers_updated}  addresses: {result.addresses}"
    )
    return 0
