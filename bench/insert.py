"""Bulk insert of 50,000 customers: raw sqlite3.executemany against the app's Core path."""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from bench.common import Result
from moments_desk.core.shared.pinyin import customer_search_text
from moments_desk.db.engine import make_engine, sqlite_url
from moments_desk.db.migrate import upgrade_to_head
from moments_desk.db.models import Customer, WeChatAccount


def rows(count: int) -> list[dict[str, object]]:
    return [
        {
            "account_id": 1,
            "wechat_id": f"wxid_{i:08d}",
            "nickname": f"顾客{i}",
            "remark": "",
            "phone": f"138{i:08d}",
            "city": "杭州",
            "notes": "",
            "search_text": customer_search_text(f"顾客{i}", "", f"wxid_{i:08d}", f"138{i:08d}"),
        }
        for i in range(count)
    ]


def run(count: int) -> list[Result]:
    data = rows(count)
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(sqlite_url(Path(folder) / "app.sqlite3"))
        upgrade_to_head(engine)
        with engine.begin() as conn:
            conn.execute(insert(WeChatAccount), [{"label": "主号"}])
        started = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(insert(Customer), data)
        app_ms = (time.perf_counter() - started) * 1000
        engine.dispose()

        # The baseline writes the same rows into the same schema (indexes, foreign keys),
        # so the ratio is SQLAlchemy's cost, not the cost of the schema.
        baseline = make_engine(sqlite_url(Path(folder) / "raw.sqlite3"))
        upgrade_to_head(baseline)
        baseline.dispose()
        raw = sqlite3.connect(Path(folder) / "raw.sqlite3")
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute(
            "INSERT INTO wechat_account (label, nickname, friend_limit, archived, "
            "created_at, updated_at) VALUES ('主号', '', 5000, 0, '2026-01-01', '2026-01-01')"
        )
        raw.commit()
        columns = [
            *data[0],
            "gender",
            "birthday_lunar",
            "birthday_leap_month",
            "relationship",
            "stage",
            "stage_set_by_hand",
            "source",
            "consent_note",
            "created_at",
            "updated_at",
        ]
        extra = (
            "unknown",
            0,
            0,
            "customer",
            "prospect",
            0,
            "unknown",
            "",
            "2026-11-22 04:00:00",
            "2026-11-22 04:00:00",
        )
        tuples = [(*row.values(), *extra) for row in data]
        marks = ", ".join("?" * len(columns))
        statement = f"INSERT INTO customer ({', '.join(columns)}) VALUES ({marks})"
        started = time.perf_counter()
        with raw:
            raw.executemany(statement, tuples)
        raw_ms = (time.perf_counter() - started) * 1000
        raw.close()
    return [Result(f"insert {count:,} customers (Core)", app_ms, "raw sqlite3.executemany", raw_ms)]
