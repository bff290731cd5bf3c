"""Another laptop's writes reach this one through the change log the database keeps."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.customers.customers import CustomerDraft, create_customer
from moments_desk.core.shared import change_feed, uow
from moments_desk.core.shared.changes import ChangeSet, Kind
from moments_desk.db.engine import make_engine, make_session_factory
from moments_desk.db.models import Post, PostKind, PostStatus, WeChatAccount

pytestmark = pytest.mark.db


@pytest.fixture
def laptop_b(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """A second laptop: its own engine (its own ``application_name``) on the same shop."""
    other = make_engine(engine.url.render_as_string(hide_password=False))
    yield make_session_factory(other)
    other.dispose()


def _account(session: Session) -> int:
    account = WeChatAccount(label="主号")
    session.add(account)
    session.flush()
    return account.id


def _poll(
    mine: sessionmaker[Session], mark: change_feed.Watermark
) -> tuple[ChangeSet, change_feed.Watermark]:
    news, mark = uow.read(mine, lambda s: change_feed.since(s, mark))
    return news.changes, mark


def test_another_laptops_write_is_reported_and_ours_is_not(
    session_factory: sessionmaker[Session], laptop_b: sessionmaker[Session]
) -> None:
    account = uow.write(laptop_b, _account)
    mark = uow.read(session_factory, change_feed.start)
    changes, mark = _poll(session_factory, mark)
    assert changes == ChangeSet()
    uow.write(laptop_b, lambda s: create_customer(s, CustomerDraft(account, nickname="小美")))
    changes, mark = _poll(session_factory, mark)
    assert changes.kinds == {Kind.CUSTOMERS}
    changes, mark = _poll(session_factory, mark)
    assert changes == ChangeSet(), "reported once, not at every poll"
    uow.write(
        session_factory, lambda s: create_customer(s, CustomerDraft(account, nickname="阿花"))
    )
    changes, mark = _poll(session_factory, mark)
    if session_factory.kw["bind"].dialect.name == "postgresql":
        assert changes == ChangeSet(), "this laptop's own writes were announced locally"


def test_an_edit_behind_a_post_dated_in_the_future_is_not_missed(
    session_factory: sessionmaker[Session], laptop_b: sessionmaker[Session]
) -> None:
    """The demo shop has posts updated 13 days ahead; the old max(updated_at) hid later edits."""
    if session_factory.kw["bind"].dialect.name != "postgresql":
        pytest.skip("SQLite keeps the per-kind aggregates (no server to keep the log)")
    future = datetime.now(UTC) + timedelta(days=13)

    def posts(s: Session) -> int:
        for text_ in ("未来的帖子", "今天的帖子"):
            s.add(Post(text=text_, kind=PostKind.LIFESTYLE, status=PostStatus.DRAFT))
        s.flush()
        s.execute(update(Post).where(Post.text == "未来的帖子").values(updated_at=future))
        return int(s.scalars(select(Post.id).where(Post.text == "今天的帖子")).one())

    today = uow.write(laptop_b, posts)
    mark = uow.read(session_factory, change_feed.start)
    uow.write(
        laptop_b, lambda s: s.execute(update(Post).where(Post.id == today).values(text="改过"))
    )
    changes, _ = _poll(session_factory, mark)
    assert changes.kinds == {Kind.POSTS}


def test_a_write_that_changed_no_row_is_no_news(
    session_factory: sessionmaker[Session], laptop_b: sessionmaker[Session]
) -> None:
    mark = uow.read(session_factory, change_feed.start)
    uow.write(laptop_b, lambda s: s.execute(update(Post).where(Post.id == -1).values(text="x")))
    changes, _ = _poll(session_factory, mark)
    assert changes == ChangeSet()


def test_a_transaction_that_commits_after_a_newer_one_is_still_reported(engine: Engine) -> None:
    """Ids and transaction numbers are handed out at the first write, commits land in any
    order: a slow transaction must not fall behind the watermark."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    mine = make_session_factory(engine)
    other = make_engine(engine.url.render_as_string(hide_password=False))
    try:
        account = uow.write(make_session_factory(other), _account)
        mark = uow.read(mine, change_feed.start)
        with other.connect() as slow, other.connect() as quick:
            slow_tx = slow.begin()
            slow.execute(text("INSERT INTO app_setting (key, value) VALUES ('slow', '1')"))
            with quick.begin():
                quick.execute(
                    text("UPDATE wechat_account SET label = '快' WHERE id = :a"), {"a": account}
                )
            changes, mark = _poll(mine, mark)
            assert changes.kinds == {Kind.ACCOUNTS}
            slow_tx.commit()
        changes, mark = _poll(mine, mark)
        assert changes.kinds == {Kind.SETTINGS}
    finally:
        other.dispose()


WRITER = """
import sys
from moments_desk.core.shared import uow
from moments_desk.db.engine import make_engine, make_session_factory
from moments_desk.db.models import WeChatAccount
engine = make_engine(sys.argv[1])
uow.write(make_session_factory(engine), lambda s: s.add(WeChatAccount(label="小林的号")))
engine.dispose()
"""


def test_a_write_by_another_process_is_reported(engine: Engine) -> None:
    mine = make_session_factory(engine)
    mark = uow.read(mine, change_feed.start)
    url = engine.url.render_as_string(hide_password=False)
    subprocess.run([sys.executable, "-c", WRITER, url], check=True, timeout=120)
    changes, _ = _poll(mine, mark)
    assert changes.kinds == {Kind.ACCOUNTS}


def test_a_restore_logged_by_another_laptop_reloads_everything(
    session_factory: sessionmaker[Session], laptop_b: sessionmaker[Session]
) -> None:
    from moments_desk.db import change_log

    if session_factory.kw["bind"].dialect.name != "postgresql":
        pytest.skip("a shared shop is a PostgreSQL one")
    mark = uow.read(session_factory, change_feed.start)
    uow.write(laptop_b, lambda s: change_log.log_now(s.connection(), change_feed.RESTORED))
    news, _ = uow.read(session_factory, lambda s: change_feed.since(s, mark))
    assert news.restored and news.changes == ChangeSet.everything()
