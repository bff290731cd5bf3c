"""A shared shop on a server: an outage shows one banner; a restore elsewhere is announced."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from moments_desk.core.shared import uow
from moments_desk.core.shared.changes import ChangeSet
from moments_desk.core.shared.reachability import is_unreachable, probe
from moments_desk.db.engine import make_engine, make_session_factory, normalise_url
from moments_desk.scheduling.clock import FakeClock
from moments_desk.startup import Shop, open_shop
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit import list_view, reachability
from moments_desk.ui.kit.tasks import DbExecutor
from moments_desk.ui.main_window import OfflineBanner
from moments_desk.ui.reminders.service import ReminderService
from tests.conftest import PG_ENV
from tests.tcp_proxy import TcpProxy
from tests.ui.conftest import NOW, SHANGHAI

pytestmark = pytest.mark.db


def test_a_closed_port_is_unreachable_and_a_refusal_is_not(tmp_path: Path) -> None:
    closed = make_engine("postgresql://md:md@127.0.0.1:1/nowhere")
    with pytest.raises(Exception) as raised:
        uow.read(make_session_factory(closed), probe)
    assert is_unreachable(raised.value)
    closed.dispose()
    local = create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with pytest.raises(Exception) as refused, local.begin() as conn:
        conn.execute(text("SELECT * FROM no_such_table"))
    assert not is_unreachable(refused.value)
    assert not is_unreachable(ValueError("第 3 行 · 售价有歧义"))
    local.dispose()


@pytest.fixture
def proxied_shop(tmp_path: Path) -> Iterator[tuple[Shop, TcpProxy]]:
    if not os.environ.get(PG_ENV):
        pytest.skip(f"{PG_ENV} not set")
    url = make_url(normalise_url(os.environ[PG_ENV]))
    name = f"md_test_{os.getpid()}_offline"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    proxy.start()
    through = url.set(host="127.0.0.1", port=proxy.port, database=name)
    shop = open_shop(tmp_path / "shop", through.render_as_string(hide_password=False))
    try:
        yield shop, proxy
    finally:
        shop.close()
        proxy.cut()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_an_outage_shows_one_banner_pauses_reminders_and_recovers_by_itself(
    qtbot: QtBot,
    qapp: object,
    proxied_shop: tuple[Shop, TcpProxy],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shop, proxy = proxied_shop
    monkeypatch.setattr(reachability, "PROBE_EVERY_MS", 100)
    dialogs: list[str] = []
    monkeypatch.setattr(
        "moments_desk.ui.kit.list_view.QMessageBox.critical",
        lambda *args: dialogs.append(str(args[-1])),
    )
    executor = DbExecutor()
    ctx = AppContext(
        shop=shop, clock=FakeClock(NOW), zone=SHANGHAI, executor=executor, language="en"
    )
    banner = OfflineBanner(ctx)
    qtbot.addWidget(banner)
    banner.parentWidget()  # a bare banner: shown state is its own
    service = ReminderService(ctx)
    with qtbot.waitSignal(service.state_changed, timeout=10_000):
        service.start()
    assert banner.isHidden()

    proxy.cut()
    # Seven reads in a row fail like the pages' did during the trial's outage.
    for _ in range(7):
        executor.submit(
            lambda: uow.read(shop.sessions, probe),
            lambda _r: None,
            lambda error: list_view.show_failure(banner, error),
        )
    qtbot.waitUntil(lambda: not ctx.reachability.reachable, timeout=20_000)
    executor.wait()
    qtbot.waitUntil(lambda: not banner.isHidden(), timeout=5_000)
    assert dialogs == [], "the banner speaks for the outage, not one dialog per failure"
    assert service._timers._scheduler.state == 2  # STATE_PAUSED: no reminder is claimed

    with qtbot.waitSignal(ctx.changes.changed, timeout=20_000) as heard:
        proxy.start()
    assert heard.args[0] == ChangeSet.everything()  # every page re-reads what it missed
    assert ctx.reachability.reachable and banner.isHidden()
    assert service._timers._scheduler.state == 1  # STATE_RUNNING again
    service.stop()
    executor.wait()


def test_a_postgres_connection_gives_up_instead_of_hanging(db_url: str) -> None:
    """Connect, statement and TCP keepalive timeouts are set on every connection."""
    if not db_url.startswith("postgresql"):
        pytest.skip("the team's PostgreSQL only")
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SHOW statement_timeout")).scalar_one() == "30s"
        raw = conn.connection.dbapi_connection
        params = raw.info.get_parameters()  # type: ignore[union-attr]
    engine.dispose()
    assert params["connect_timeout"] == "5"
    assert params["keepalives"] == "1"
    assert (params["keepalives_idle"], params["keepalives_count"]) == ("10", "3")
    assert int(params["tcp_user_timeout"]) > 0


def test_a_restore_on_another_laptop_reloads_every_page_and_says_so(
    qtbot: QtBot, qapp: object, proxied_shop: tuple[Shop, TcpProxy]
) -> None:
    from PySide6.QtWidgets import QMainWindow, QMessageBox

    from moments_desk.core.shared.change_feed import RESTORED
    from moments_desk.db import change_log
    from moments_desk.ui.reminders.install import Reminders

    shop, _proxy = proxied_shop
    executor = DbExecutor()
    ctx = AppContext(
        shop=shop, clock=FakeClock(NOW), zone=SHANGHAI, executor=executor, language="en"
    )
    window = QMainWindow()
    qtbot.addWidget(window)
    reminders = Reminders(ctx, window)
    with qtbot.waitSignal(reminders.service.state_changed, timeout=10_000):
        reminders.start()
    # The start took the change log's watermark: news is what comes after it.
    qtbot.waitUntil(lambda: reminders.service._watermark is not None)
    other = make_engine(shop.database_url)
    try:
        with other.begin() as conn:
            change_log.log_now(conn, RESTORED)
    finally:
        other.dispose()
    with qtbot.waitSignal(ctx.changes.changed, timeout=10_000) as heard:
        reminders.service.poll()
    assert heard.args[0] == ChangeSet.everything()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "restoredNotice") is not None)
    reminders.stop()
    executor.wait()


def test_the_banner_speaks_the_interface_language(
    qtbot: QtBot, make_ctx: Callable[..., AppContext]
) -> None:
    ctx = make_ctx("zh_CN")
    banner = OfflineBanner(ctx)
    qtbot.addWidget(banner)
    assert banner.isHidden()
    assert "连不上小店的数据库" in banner.text()


def test_a_form_shows_a_sentence_not_psycopg_text_when_the_shop_is_out_of_reach(
    make_ctx: Callable[..., AppContext],
) -> None:
    from moments_desk.ui.i18n import tr_msg

    make_ctx("zh_CN")
    closed = make_engine("postgresql://md:md@127.0.0.1:1/nowhere")
    with pytest.raises(Exception) as raised:
        uow.read(make_session_factory(closed), probe)
    closed.dispose()
    assert tr_msg(raised.value) == "暂时连不上小店的数据库，请在连接恢复后再试。"


def test_a_silent_server_ends_in_the_connect_timeout_not_a_hang(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A host that takes the connection and never answers (a half-dead router, a server
    frozen under load): the attempt ends after ``connect_timeout`` as "out of reach"."""
    import socket

    from moments_desk.db import engine as engine_module

    monkeypatch.setattr(engine_module, "CONNECT_TIMEOUT", 2)  # libpq's smallest
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    port = silent.getsockname()[1]
    engine = make_engine(f"postgresql://md:md@127.0.0.1:{port}/shop")
    try:
        with pytest.raises(Exception) as raised:
            uow.read(make_session_factory(engine), probe)
        assert is_unreachable(raised.value)
        assert "timeout" in str(raised.value).lower()
    finally:
        engine.dispose()
        silent.close()


def test_a_local_reconcile_between_a_remote_write_and_the_poll_swallows_nothing(
    qtbot: QtBot, qapp: object, proxied_shop: tuple[Shop, TcpProxy]
) -> None:
    from datetime import timedelta

    from moments_desk.core.shared.changes import Kind
    from tests.core.team_helpers import add_post

    shop, _proxy = proxied_shop
    executor = DbExecutor()
    ctx = AppContext(
        shop=shop, clock=FakeClock(NOW), zone=SHANGHAI, executor=executor, language="en"
    )
    service = ReminderService(ctx)
    with qtbot.waitSignal(service.state_changed, timeout=10_000):
        service.start()
    qtbot.waitUntil(lambda: service._watermark is not None)
    other = make_engine(shop.database_url)
    try:  # the other laptop plans a post dated 13 days ahead, then one for today
        theirs = make_session_factory(other)
        add_post(theirs, NOW + timedelta(days=13), "未来的帖子")
        post_id = add_post(theirs, NOW - timedelta(minutes=1), "另一台电脑排的")
    finally:
        other.dispose()
    with qtbot.waitSignal(service.state_changed, timeout=10_000):
        service.reconcile()  # this laptop's own pass, before the poll
    with qtbot.waitSignal(ctx.changes.changed, timeout=10_000) as heard:
        service.poll()
    assert heard.args[0].touches(Kind.POSTS)
    qtbot.waitUntil(lambda: post_id in [p.id for p in service.state.posts], timeout=10_000)
    service.stop()
    executor.wait()
