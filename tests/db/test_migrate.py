"""Upgrading older databases, refusing newer and foreign ones."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from moments_desk.core.safety.snapshots import pre_migration_backup
from moments_desk.db import migrate
from moments_desk.db.engine import make_engine, sqlite_url
from moments_desk.db.migrate import (
    ForeignDatabaseError,
    SchemaTooNewError,
    current_revision,
    head_revision,
    upgrade_to_head,
)

pytestmark = pytest.mark.db
FIXTURES = Path(__file__).with_name("fixtures")

NEXT_REVISION = """
from alembic import op
import sqlalchemy as sa

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("product") as batch:
        batch.add_column(sa.Column("season", sa.String(20), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("product") as batch:
        batch.drop_column("season")
"""


def test_fast_path_constant_is_the_newest_migration() -> None:
    assert head_revision() == migrate.HEAD_REVISION, "update HEAD_REVISION in db/migrate.py"


def test_the_step_before_an_upgrade_sees_the_old_schema_and_only_runs_when_one_changes(
    db_url: str, tmp_path: Path
) -> None:
    """db/ knows nothing of backups: the caller's step runs with the old revision, before
    the schema moves, and not at all for a new or an up-to-date database."""
    from alembic import command

    seen: list[tuple[str, str | None]] = []

    def before(revision: str) -> Path:
        with engine.connect() as conn:
            seen.append((revision, current_revision(conn)))
        return tmp_path / f"copy-{revision}"

    engine = make_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0001")
    result = upgrade_to_head(engine, before)
    assert seen == [("0001", "0001")]
    assert result.backup_path == tmp_path / "copy-0001"
    assert upgrade_to_head(engine, before).backup_path is None
    assert len(seen) == 1
    engine.dispose()

    fresh = make_engine(sqlite_url(tmp_path / "fresh.sqlite3"))
    assert upgrade_to_head(fresh, before).backup_path is None
    assert len(seen) == 1
    fresh.dispose()


def test_fresh_database_is_created_at_head(db_url: str) -> None:
    engine = make_engine(db_url)
    result = upgrade_to_head(engine)
    assert result.from_revision is None
    assert result.to_revision == head_revision()
    assert not result.upgraded_existing
    with engine.connect() as conn:
        assert "customer" in inspect(conn).get_table_names()
    engine.dispose()


def test_upgrading_twice_changes_nothing(engine: Engine) -> None:
    again = upgrade_to_head(engine)
    assert again.from_revision == again.to_revision == head_revision()
    assert again.backup_path is None


def test_newer_database_is_refused_untouched(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'from_the_future'"))
    with pytest.raises(SchemaTooNewError) as raised:
        upgrade_to_head(engine)
    assert raised.value.revision == "from_the_future"
    with engine.connect() as conn:
        assert current_revision(conn) == "from_the_future"


def test_foreign_database_is_refused(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    with pytest.raises(ForeignDatabaseError, match="invoices"):
        upgrade_to_head(engine)
    with engine.connect() as conn:
        assert "customer" not in inspect(conn).get_table_names()
    engine.dispose()


def test_older_database_is_backed_up_then_upgraded_keeping_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulates the next release: a database at today's head meets one more migration."""
    db_file = tmp_path / "shop.sqlite3"
    engine = make_engine(sqlite_url(db_file))
    upgrade_to_head(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO product (code, name, category, price, stock, status, selling_points,"
                " notes, archived, search_initials, search_full, created_at, updated_at)"
                " VALUES ('QZ-1', '法式连衣裙', '连衣裙', 12900, 3, 'on_sale', '', '', 0, '', '',"
                " '2026-11-01 00:00:00', '2026-11-01 00:00:00')"
            )
        )
    old_head = head_revision()

    future = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, future, ignore=shutil.ignore_patterns("__pycache__"))
    (future / "versions" / "9001_add_season.py").write_text(
        NEXT_REVISION.format(head=old_head), encoding="utf-8"
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", future)
    monkeypatch.setattr(migrate, "HEAD_REVISION", "9001")

    result = upgrade_to_head(engine, pre_migration_backup(engine, tmp_path / "backups"))
    assert (result.from_revision, result.to_revision) == (old_head, "9001")
    assert result.upgraded_existing
    with engine.connect() as conn:
        row = conn.execute(text("SELECT code, name, price, season FROM product")).one()
    assert tuple(row) == ("QZ-1", "法式连衣裙", 12900, "")
    engine.dispose()

    assert result.backup_path is not None
    with sqlite3.connect(result.backup_path) as backup:
        assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == (old_head,)
        assert backup.execute("SELECT name FROM product").fetchone() == ("法式连衣裙",)
    backup.close()


def test_a_0001_shop_is_upgraded_and_its_customers_are_searchable(
    db_url: str, tmp_path: Path
) -> None:
    """The first real upgrade: 0002 adds search_text and fills it from the existing rows."""
    from datetime import UTC, datetime

    from alembic import command

    from moments_desk.core.catalogue.listing import ProductQuery, search_product_ids
    from moments_desk.core.customers.customers import CustomerQuery, search_customer_ids
    from moments_desk.db.engine import make_session_factory

    engine = make_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0001")
    stamp = "'2026-11-01 00:00:00'"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO wechat_account (id, label, nickname, friend_limit, archived, "
                f"created_at, updated_at) VALUES (1, '主号', '', 5000, false, {stamp}, {stamp})"
            )
        )
        conn.execute(
            text(
                "INSERT INTO customer (account_id, wechat_id, nickname, remark, phone, gender, "
                "birthday_lunar, birthday_leap_month, city, relationship, stage, "
                "stage_set_by_hand, source, consent_note, notes, search_initials, search_full, "
                "created_at, updated_at) VALUES (1, 'WX_Zs', '张三', '杭州-张姐', '13800138000', "
                "'unknown', false, false, '', 'customer', 'prospect', false, 'unknown', '', '', "
                f"'zs hzzj', 'zhangsan hangzhouzhangjie', {stamp}, {stamp})"
            )
        )
        conn.execute(
            text(
                "INSERT INTO product (code, name, category, price, stock, status, selling_points, "
                "notes, archived, search_initials, search_full, created_at, updated_at) VALUES "
                "('QZ-1', 'Mini托特包', '包包', 12900, 3, 'on_sale', '', '', false, 'minitbtb', "
                f"'minituotebao', {stamp}, {stamp})"
            )
        )
    result = upgrade_to_head(engine, pre_migration_backup(engine, tmp_path / "backups"))
    assert (result.from_revision, result.to_revision) == ("0001", head_revision())
    now = datetime(2026, 11, 22, tzinfo=UTC)
    with make_session_factory(engine)() as s:
        for query in ("zs", "张姐", "wx_zs", "0013", "zhangsan"):
            assert len(search_customer_ids(s, CustomerQuery(text=query), now)) == 1, query
        assert len(search_product_ids(s, ProductQuery(text="mini"), now)) == 1
        assert len(search_product_ids(s, ProductQuery(text="qz-1"), now)) == 1
    engine.dispose()


def test_0006_moves_a_customers_pinyin_into_her_search_text_and_back(db_url: str) -> None:
    """Upgrading drops the two pinyin columns and matching reads the pinyin from the search
    text; downgrading to 0005 fills the columns again as 0005 wrote them."""
    from alembic import command

    from moments_desk.core.customers.customers import CustomerDraft, create_customer
    from moments_desk.core.tracking.matching import (
        CustomerIndex,
        MatchReason,
        MatchStatus,
        PastedName,
    )
    from moments_desk.db.engine import make_session_factory
    from moments_desk.db.models import WeChatAccount

    engine = make_engine(db_url)
    upgrade_to_head(engine)
    with make_session_factory(engine).begin() as s:
        account = WeChatAccount(label="主号")
        s.add(account)
        s.flush()
        create_customer(
            s, CustomerDraft(account_id=account.id, nickname="曾小梅", remark="杭州-张姐")
        )
    with engine.connect() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("customer")}
    assert not {"search_initials", "search_full"} & columns
    with make_session_factory(engine)() as s:
        index = CustomerIndex.load(s, None)
    for typed in ("zengxiaomei", "cengxiaomei", "hangzhouzhangjie"):
        found = index.match(PastedName(typed, "", 1))
        assert (found.status, found.candidates[0].reason) == (
            MatchStatus.MATCHED,
            MatchReason.PINYIN,
        ), typed
    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0005")
    with engine.connect() as conn:
        initials, full = conn.execute(
            text("SELECT search_initials, search_full FROM customer")
        ).one()
    assert (initials, full) == ("zxm cxm hzzj", "zengxiaomei cengxiaomei hangzhouzhangjie")
    engine.dispose()


def test_0008_adds_post_screenshots_that_follow_their_post_and_go_on_downgrade(
    db_url: str,
) -> None:
    """A 0006 shop upgrades with its posts intact and gains the screenshot table; deleting a
    post removes its screenshot rows (not the stored picture); downgrading drops the table."""
    from alembic import command

    engine = make_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0006")
    stamp = "'2026-11-01 00:00:00'"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO post (id, kind, text, status, skip_reason, audience_mode, "
                "auto_drafted, edited_by_person, review_comment, created_at, updated_at) VALUES "
                "(1, 'new_arrival', '周二上新', 'posted', '', 'everyone', false, false, '', "
                f"{stamp}, {stamp})"
            )
        )
        conn.execute(
            text(
                "INSERT INTO media_file (id, sha256, rel_path, original_name, width, height, "
                f"format, size_bytes, created_at, updated_at) VALUES (1, '{'a' * 64}', "
                f"'aa/{'a' * 64}.png', 'shot.png', 750, 1334, 'PNG', 2048, {stamp}, {stamp})"
            )
        )
    result = upgrade_to_head(engine)
    assert result.from_revision == "0006"
    with engine.begin() as conn:
        assert conn.execute(text("SELECT text FROM post")).scalar_one() == "周二上新"
        conn.execute(
            text(
                "INSERT INTO post_screenshot (post_id, media_id, size_bytes, source, created_at)"
                f" VALUES (1, 1, 2048, 'phone', {stamp})"
            )
        )
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("PRAGMA foreign_keys = ON"))
        conn.execute(text("DELETE FROM post WHERE id = 1"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM post_screenshot")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM media_file")).scalar_one() == 1
    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0006")
    with engine.connect() as conn:
        assert "post_screenshot" not in inspect(conn).get_table_names()
    engine.dispose()


def test_0009_dates_existing_slots_from_their_account(tmp_path: Path) -> None:
    """A 0005 shop's weekly slots get their account's creation time; new slots get now."""
    from datetime import time

    from alembic import command

    from moments_desk.db.engine import make_session_factory
    from moments_desk.db.models import CadenceSlot, PostKind, WeChatAccount

    shutil.copy(FIXTURES / "rev_0005.sqlite3", tmp_path / "shop.sqlite3")
    engine = make_engine(sqlite_url(tmp_path / "shop.sqlite3"))
    with engine.begin() as conn:
        account_id, created = conn.execute(
            text("SELECT id, created_at FROM wechat_account ORDER BY id LIMIT 1")
        ).one()
        conn.execute(
            text(
                "INSERT INTO cadence_slot (account_id, weekday, time_of_day, kind, label,"
                " template, active) VALUES (:a, 1, '20:00:00', 'new_arrival', '周二上新', '', 1)"
            ),
            {"a": account_id},
        )
    upgrade_to_head(engine)
    with engine.connect() as conn:
        pairs = conn.execute(
            text(
                "SELECT s.created_at, a.created_at FROM cadence_slot s"
                " JOIN wechat_account a ON a.id = s.account_id"
            )
        ).all()
    assert len(pairs) == 4 and all(slot == account for slot, account in pairs)
    assert (created, created) in [tuple(p) for p in pairs]
    with make_session_factory(engine).begin() as s:
        account = s.get(WeChatAccount, account_id)
        assert account is not None
        slot = CadenceSlot(account_id=account.id, time_of_day=time(12), kind=PostKind.LIFESTYLE)
        s.add(slot)
        s.flush()
        assert slot.created_at is not None and slot.created_at > account.created_at
    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0006")
    with engine.connect() as conn:
        assert "created_at" not in {c["name"] for c in inspect(conn).get_columns("cadence_slot")}
    engine.dispose()


def test_0012_adds_a_change_log_the_database_keeps(db_url: str) -> None:
    """A 0009 shop with data gets the change log; on PostgreSQL every write is logged."""
    from alembic import command

    engine = make_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0009")
        conn.execute(
            text(
                "INSERT INTO wechat_account (label, nickname, friend_limit, archived,"
                " created_at, updated_at)"
                " VALUES ('主号', '店主', 5000, false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
    upgrade_to_head(engine)
    with engine.connect() as conn:
        assert {"shared_picture", "shared_picture_chunk"} <= set(inspect(conn).get_table_names())
    with engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM change_log")).scalar_one() == 0
        conn.execute(text("UPDATE wechat_account SET label = '小号'"))
        conn.execute(text("UPDATE wechat_account SET label = '大号'"))
        conn.execute(text("UPDATE customer SET remark = 'x' WHERE id = -1"))  # changes nothing
    with engine.connect() as conn:
        logged = conn.execute(text("SELECT kind FROM change_log")).scalars().all()
        assert conn.execute(text("SELECT label FROM wechat_account")).scalar_one() == "大号"
    assert logged == (["accounts"] if engine.dialect.name == "postgresql" else [])
    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0009")
    with engine.connect() as conn:
        assert not {"change_log", "shared_picture"} & set(inspect(conn).get_table_names())
        conn.execute(text("UPDATE wechat_account SET label = '主号'"))  # no trigger left behind
    engine.dispose()


def test_0013_adds_the_content_library_and_keeps_posts(db_url: str) -> None:
    """A 0009 shop upgrades with its posts intact (no wording override), gains the 素材库,
    and downgrading drops it again."""
    from alembic import command

    engine = make_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0009")
    stamp = "'2026-11-01 00:00:00'"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO post (id, kind, text, status, skip_reason, audience_mode, "
                "auto_drafted, edited_by_person, review_comment, created_at, updated_at) VALUES "
                "(1, 'lifestyle', '周末去爬山', 'draft', '', 'everyone', false, false, '', "
                f"{stamp}, {stamp})"
            )
        )
    assert upgrade_to_head(engine).from_revision == "0009"
    with engine.begin() as conn:
        row = conn.execute(text("SELECT text, wording_override FROM post")).one()
        assert tuple(row) == ("周末去爬山", "")
        conn.execute(
            text(
                "INSERT INTO content_entry (kind, text, tags, season, archived, created_at,"
                f" updated_at) VALUES ('tips', '毛衣平铺晾干', '针织', 'winter', false, {stamp},"
                f" {stamp})"
            )
        )
        assert conn.execute(text("SELECT count(*) FROM content_entry")).scalar_one() == 1
    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0009")
    with engine.connect() as conn:
        assert "content_entry" not in inspect(conn).get_table_names()
        assert "wording_override" not in {c["name"] for c in inspect(conn).get_columns("post")}
    engine.dispose()


def test_0014_indexes_the_customers_default_order_keeping_them(tmp_path: Path) -> None:
    """A 0005 shop with customers gets the index the customer search walks; her rows stay,
    the newest-changed-first order and a typed search read only the index, and a downgrade
    drops it."""
    from alembic import command

    shutil.copy(FIXTURES / "rev_0005.sqlite3", tmp_path / "shop.sqlite3")
    engine = make_engine(sqlite_url(tmp_path / "shop.sqlite3"))
    with engine.connect() as conn:
        before = conn.execute(text("SELECT id FROM customer ORDER BY id")).scalars().all()
    assert before, "the fixture has customers"
    upgrade_to_head(engine)
    with engine.connect() as conn:
        names = {i["name"] for i in inspect(conn).get_indexes("customer")}
        assert "ix_customer_recent" in names
        assert conn.execute(text("SELECT id FROM customer ORDER BY id")).scalars().all() == before
        plan = " ".join(
            str(row[-1])
            for row in conn.execute(
                text(
                    "EXPLAIN QUERY PLAN SELECT id FROM customer WHERE search_text LIKE '%zs%'"
                    " ORDER BY updated_at DESC, id DESC LIMIT 101"
                )
            )
        )
        # Walked in order without the table: a typed search stops at its first page.
        assert "COVERING INDEX ix_customer_recent" in plan and "TEMP B-TREE" not in plan
    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0009")
    with engine.connect() as conn:
        indexes = inspect(conn).get_indexes("customer")
        assert "ix_customer_recent" not in {i["name"] for i in indexes}
    engine.dispose()


def test_0015_adds_buyer_show_consent_off_for_existing_customers(db_url: str) -> None:
    """A 0014 shop with a customer and her comment upgrades with consent off for her, gains
    buyer photos and quote sources, and a downgrade drops them keeping her."""
    from alembic import command

    engine = make_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0014")
    stamp = "'2026-11-01 00:00:00'"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO wechat_account (id, label, nickname, friend_limit, archived,"
                f" created_at, updated_at) VALUES (1, '主号', '店主', 5000, false, {stamp},"
                f" {stamp})"
            )
        )
        conn.execute(
            text(
                "INSERT INTO customer (id, account_id, nickname, remark, gender, relationship,"
                " stage, stage_set_by_hand, source, birthday_lunar, birthday_leap_month, city,"
                " consent_note, notes, search_text, created_at, updated_at) VALUES (1, 1,"
                " '王小美', '', 'unknown', 'customer', 'prospect', false, 'unknown', false,"
                f" false, '', '', '', 'wxm', {stamp}, {stamp})"
            )
        )
        conn.execute(
            text(
                "INSERT INTO interaction (id, customer_id, kind, content, occurred_at)"
                f" VALUES (1, 1, 'comment', '好看！', {stamp})"
            )
        )
    assert upgrade_to_head(engine).from_revision == "0014"
    with engine.begin() as conn:
        row = conn.execute(text("SELECT nickname, shares_buyer_show FROM customer")).one()
        assert tuple(row) == ("王小美", False)
        assert conn.execute(text("SELECT content FROM interaction")).scalar_one() == "好看！"
        conn.execute(
            text(
                "INSERT INTO post (id, kind, text, status, skip_reason, audience_mode,"
                " auto_drafted, edited_by_person, review_comment, wording_override, created_at,"
                f" updated_at) VALUES (1, 'feedback', '王*说：好看！', 'draft', '', 'everyone',"
                f" true, false, '', '', {stamp}, {stamp})"
            )
        )
        conn.execute(
            text(
                "INSERT INTO buyer_show_source (post_id, customer_id, interaction_id)"
                " VALUES (1, 1, 1)"
            )
        )
        conn.execute(text("UPDATE customer SET shares_buyer_show = true"))
    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0014")
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        assert not {"customer_photo", "buyer_show_source"} & tables
        columns = {c["name"] for c in inspect(conn).get_columns("customer")}
        assert "shares_buyer_show" not in columns
        assert conn.execute(text("SELECT nickname FROM customer")).scalar_one() == "王小美"
        assert conn.execute(text("SELECT text FROM post")).scalar_one() == "王*说：好看！"
    engine.dispose()
