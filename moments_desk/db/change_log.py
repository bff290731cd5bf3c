"""The shop's change log: one row per (transaction, kind) that wrote, kept by the database.

Another laptop learns what changed by reading the rows added since its last look, not by
comparing ``max(updated_at)`` (a row dated "in the future" hid every later edit) nor by a
marker a local reconcile refreshes (which swallowed the news between two polls).

On PostgreSQL, statement triggers on every shop table insert the row in the writer's own
transaction, so whoever commits also logs, whatever wrote (the app, the command line, a
migration, ``psql``). Each row carries the writer's transaction id (``tx``) and its
``application_name`` (``origin``): a reader takes every row of a transaction that was not
finished at its previous look (``tx >= xmin``), so a transaction that commits late is never
skipped, and leaves out its own process's rows, already announced locally.

This module is used by the 0012 migration: keep what it installs stable, and install the
triggers on a new table in the migration that adds it.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Connection, text

FUNCTION = "md_note_change"

#: Function body: log once per transaction and kind, and only when rows really changed (an
#: UPDATE that matched nothing fires a statement trigger too; logging it would make two
#: laptops' reminder passes wake each other forever).
_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    flag text := 'md_change.' || TG_ARGV[0];
BEGIN
    -- Nested, so the cheap flag check spares the rest once a kind is logged.
    IF current_setting(flag, true) IS DISTINCT FROM 'logged' THEN
        IF EXISTS (SELECT 1 FROM changed_rows) THEN
            INSERT INTO change_log (kind, origin, tx)
            VALUES (TG_ARGV[0], left(current_setting('application_name'), 120),
                    pg_current_xact_id()::text::bigint);
            PERFORM set_config(flag, 'logged', true);
        END IF;
    END IF;
    RETURN NULL;
END
$$
"""

_EVENTS = (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD"))


def _trigger(table: str, event: str) -> str:
    return f"md_change_{table}_{event.lower()}"


def install(conn: Connection, table_kinds: Mapping[str, str]) -> None:
    """Create the logging function and the triggers (PostgreSQL only; idempotent)."""
    if conn.dialect.name != "postgresql":
        return
    conn.execute(text(_FUNCTION_SQL))
    for table, kind in table_kinds.items():
        for event, side in _EVENTS:
            name = _trigger(table, event)
            conn.execute(text(f'DROP TRIGGER IF EXISTS {name} ON "{table}"'))
            conn.execute(
                text(
                    f'CREATE TRIGGER {name} AFTER {event} ON "{table}"'
                    f" REFERENCING {side} TABLE AS changed_rows"
                    f" FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}('{kind}')"
                )
            )


def uninstall(conn: Connection, tables: list[str]) -> None:
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        for event, _side in _EVENTS:
            conn.execute(text(f'DROP TRIGGER IF EXISTS {_trigger(table, event)} ON "{table}"'))
    conn.execute(text(f"DROP FUNCTION IF EXISTS {FUNCTION}()"))


def log_now(conn: Connection, kind: str) -> None:
    """Log ``kind`` in the current transaction by hand (a restore, which replaces tables)."""
    if conn.dialect.name != "postgresql":
        conn.execute(
            text("INSERT INTO change_log (kind, origin, tx) VALUES (:k, '', 0)"), {"k": kind}
        )
        return
    conn.execute(
        text(
            "INSERT INTO change_log (kind, origin, tx) VALUES (:k,"
            " left(current_setting('application_name'), 120), pg_current_xact_id()::text::bigint)"
        ),
        {"k": kind},
    )
