"""Build a small database at one schema revision and fill every table with realistic rows.

    .venv/bin/python scripts/make_fixture_db.py 0002 tests/db/fixtures/rev_0002.sqlite3

Nothing is checked out: Alembic builds the schema up to REVISION from today's migrations
folder, then every table gets a few rows. Values are chosen from the reflected columns
(what that revision really has), with valid enum members from today's models, unique
values where the schema wants them and foreign keys pointing at rows made earlier.

When you add a migration: run this for the revision that was released before it (the
previous head), commit the file under tests/db/fixtures/, and tests/db/test_fixtures.py
upgrades it to the new head and checks that every row survived.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, Table, insert, select, types

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from moments_desk.db.engine import make_engine, sqlite_url
from moments_desk.db.migrate import alembic_config
from moments_desk.db.models import Base

ROWS_PER_TABLE = 3
WORDS = ["法式连衣裙", "燕麦色开衫", "杭州-张姐", "铁粉", "每周二、四上新", "显瘦百搭", "小美"]
NICKNAMES = ["张三🌸", "李四", "曾小姐", "单单", "Amy王", "解语花"]
BASE_TIME = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def _at(n: int, minutes: int = 0) -> datetime:
    return (BASE_TIME + timedelta(days=n, minutes=minutes)).replace(tzinfo=None)


#: Values a seller's shop really holds, where a generic word would be nonsense (a password
#: hash, a draw's winners, a birthday). Looked up by (table, column), called with the row
#: number 0, 1, 2. Columns an older revision lacks are simply never asked for.
REALISTIC: dict[tuple[str, str], Any] = {
    ("app_user", "name"): lambda n: ["小美（店主）", "客服小王", "助理阿珍"][n],
    ("app_user", "password_hash"): lambda n: _password_hash(n),
    ("app_user", "failed_attempts"): lambda n: [0, 2, 5][n],
    ("app_user", "active"): lambda n: True,
    ("app_user", "locked_until"): lambda n: _at(n, 15) if n == 2 else None,
    ("audit_log", "action"): lambda n: ["approve", "post", "change"][n],
    ("audit_log", "entity_type"): lambda n: ["post", "post", "setting"][n],
    ("audit_log", "entity_id"): lambda n: [1, 2, None][n],
    ("audit_log", "summary"): lambda n: ["", "#每日一荐# 主号", "approval.required=True"][n],
    ("draw", "pool"): lambda n: ["comments", "likes", "comments"][n],
    ("draw", "winners_count"): lambda n: [1, 2, 1][n],
    ("draw", "seed"): lambda n: f"{0x5EED0000 + n:016x}",
    ("draw", "exclude_days"): lambda n: [30, None, 7][n],
    ("draw", "winner_ids"): lambda n: ["1", "1,2", "3"][n],
    ("reminder", "message"): lambda n: ["21:00 发 #每日一荐#", "张姐生日，私聊问候", "催付款"][n],
    ("reminder", "claimed_by"): lambda n: "小美的笔记本" if n == 2 else None,
    ("reminder", "claimed_at"): lambda n: _at(n, 1) if n == 2 else None,
    ("allocation", "variant"): lambda n: ["燕麦色 M", "黑色 L", "均码"][n],
    ("customer", "remark"): lambda n: ["杭州-张姐", "李四（同事）", "曾小姐"][n],
    ("customer", "birthday_year"): lambda n: [1990, None, 1985][n],
    ("customer", "birthday_month"): lambda n: [3, 11, 2][n],
    ("customer", "birthday_day"): lambda n: [5, 20, 29][n],
    ("customer", "birthday_lunar"): lambda n: n == 0,
    ("customer", "birthday_leap_month"): lambda n: False,
    ("customer", "city"): lambda n: ["杭州", "上海", "成都"][n],
    ("product", "name"): lambda n: ["法式碎花连衣裙", "燕麦色开衫", "羊毛围巾"][n],
    ("post", "text"): lambda n: ["#每日一荐# 法式碎花连衣裙", "上新啦！", "评论抽两位"][n],
    ("cadence_slot", "weekday"): lambda n: [None, 1, 3][n],
}


def _password_hash(n: int) -> str | None:
    from moments_desk.core.team.users import hash_secret

    return hash_secret(f"示例密码{n}") if n < 2 else None  # the third user has no password


def _search_fixups(conn: Any, meta: MetaData) -> None:
    """Search columns hold what the app of that revision computed from the names, as after
    a real save: before 0006 a customer had initials and full pinyin columns and a search
    text ending with them; from 0006 on only the search text, in fixed fields."""
    from moments_desk.core.shared.pinyin import (
        FIELD_SEPARATOR,
        customer_search_text,
        search_keys,
        search_text,
    )

    for name, texts, plain in (
        ("customer", ("nickname", "remark"), ("wechat_id", "phone")),
        ("product", ("name", "code"), ()),
    ):
        table = meta.tables[name]
        wanted = [c for c in ("search_initials", "search_full", "search_text") if c in table.c]
        for row in conn.execute(select(table)).mappings().all():
            words = tuple(row[c] or "" for c in texts)
            initials, full = search_keys(*words)
            if name == "product":
                text = search_text(words)
            elif "search_initials" in table.c:  # the layout before 0006
                parts = [t.lower() for t in (*words, *(row[c] for c in plain)) if t]
                text = FIELD_SEPARATOR.join(parts + ([initials, full] if initials else []))
            else:
                text = customer_search_text(*words, *(row[c] for c in plain))
            values = {"search_initials": initials, "search_full": full, "search_text": text}
            conn.execute(
                table.update().where(table.c.id == row["id"]).values({c: values[c] for c in wanted})
            )


def _enum_values(table: str, column: str) -> list[str] | None:
    model_table = Base.metadata.tables.get(table)
    if model_table is None or column not in model_table.c:
        return None
    column_type = model_table.c[column].type
    if isinstance(column_type, types.Enum):
        return list(column_type.enums)
    return None


def _value(
    table: Table, column: Any, n: int, rng: random.Random, parents: dict[str, list[int]]
) -> Any:
    name = column.name
    if (table.name, name) in REALISTIC:
        return REALISTIC[(table.name, name)](n)
    enum_values = _enum_values(table.name, name)
    if enum_values:
        return enum_values[n % len(enum_values)]
    for fk in column.foreign_keys:
        target = fk.column.table.name
        if target == table.name:
            return None  # self references are set after the rows exist
        ids = parents.get(target, [])
        return ids[n % len(ids)] if ids else None
    kind = column.type
    if isinstance(kind, types.Boolean):
        return n % 2 == 1
    if isinstance(kind, types.DateTime):
        return (BASE_TIME + timedelta(days=n, hours=n)).replace(tzinfo=None)
    if isinstance(kind, types.Date):
        return date(1990 + n, 1 + n, 10 + n) if "birth" in name else date(2026, 11, 1 + n)
    if isinstance(kind, types.Time):
        return time(20, 0)
    if isinstance(kind, types.Integer):
        if name in ("quantity", "position", "rank") or name.endswith("_limit"):
            return n + 1
        if name in ("price", "total", "unit_price", "cost"):
            return 12900 + 100 * n  # fen
        if name in ("width", "height"):
            return 800 + n
        return rng.randint(0, 50)
    if isinstance(kind, types.String | types.Text):
        length = getattr(kind, "length", None) or 200
        if name == "sha256":
            return f"{n:064x}"
        if name == "rel_path":
            return f"{n:02x}/{n:064x}.jpg"
        if name == "nickname":
            text = NICKNAMES[n % len(NICKNAMES)]
        elif name in ("code", "external_no", "wechat_id"):
            text = f"{table.name[:3].upper()}-{n:03d}"
        elif name == "format":
            text = "JPEG"
        elif name in ("phone",):
            text = f"1380013800{n}"
        elif name in ("color",):
            text = "#C0392B"
        else:
            text = f"{WORDS[n % len(WORDS)]}{n}"
        return text[:length]
    if isinstance(kind, types.JSON):
        return {"n": n}
    return None


def fill(engine: Engine, seed: int = 2611) -> dict[str, int]:
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        meta = MetaData()
        meta.reflect(bind=conn)
        parents: dict[str, list[int]] = {}
        for table in meta.sorted_tables:
            if table.name == "alembic_version":
                continue
            rows = []
            for n in range(ROWS_PER_TABLE):
                row = {}
                for column in table.columns:
                    if (
                        column.primary_key
                        and column.autoincrement is not False
                        and not column.foreign_keys
                        and isinstance(column.type, types.Integer)
                    ):
                        continue
                    row[column.name] = _value(table, column, n, rng, parents)
                rows.append(row)
            if len(table.primary_key.columns) > 1 or any(
                c.foreign_keys for c in table.primary_key.columns
            ):
                # Link tables: one row per distinct key combination.
                seen, unique_rows = set(), []
                for row in rows:
                    key = tuple(row[c.name] for c in table.primary_key.columns)
                    if None not in key and key not in seen:
                        seen.add(key)
                        unique_rows.append(row)
                rows = unique_rows
            conn.execute(insert(table), rows)
            if "id" in table.c:
                parents[table.name] = list(
                    conn.execute(select(table.c.id).order_by(table.c.id)).scalars()
                )
                for fk in table.foreign_keys:
                    if fk.column.table.name == table.name:
                        ids = parents[table.name]
                        conn.execute(
                            table.update()
                            .where(table.c.id == ids[-1])
                            .values({fk.parent.name: ids[0]})
                        )
            counts[table.name] = len(rows)
        _search_fixups(conn, meta)
    return counts


def build(revision: str, target: Path) -> dict[str, int]:
    from alembic import command

    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    engine = make_engine(sqlite_url(target))
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), revision)
        counts = fill(engine)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
            conn.exec_driver_sql("VACUUM")
    finally:
        engine.dispose()
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision")
    parser.add_argument("target", type=Path)
    args = parser.parse_args()
    counts = build(args.revision, args.target)
    rows, tables = sum(counts.values()), len(counts)
    print(f"{args.target}: revision {args.revision}, {rows} rows in {tables} tables")
    return 0


if __name__ == "__main__":
    sys.exit(main())
