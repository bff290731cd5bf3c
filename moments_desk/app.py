"""Start-up: flags, QApplication, translations, opening the shop, the main window."""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import logging.handlers
import os
import sqlite3
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

# SQLAlchemy is not imported here: a SQLite shop paints without it (Shop.engine is made at
# idle after the paint); a shared shop imports it while opening.
from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from moments_desk import APP_ID, APP_NAME, __version__
from moments_desk.cli.flags import parse_args
from moments_desk.paths import AppPaths, default_data_dir
from moments_desk.prefs import Prefs
from moments_desk.resources import icon_path
from moments_desk.scheduling.clock import Clock, ServerClock, SystemClock, local_zone
from moments_desk.startup import (
    EXIT_CODES,
    RELOAD_EXIT_CODE,
    Shop,
    StartupError,
    StartupProblem,
    open_shop,
    recover_from_newest_snapshot,
)

if TYPE_CHECKING:
    from moments_desk.startup_check import IntegrityWatch
    from moments_desk.ui.context import AppContext
    from moments_desk.ui.main_window import MainWindow
    from moments_desk.ui.reminders.install import Reminders

log = logging.getLogger("moments_desk")


def _process_age_ms(fallback_start: float) -> float:
    """Milliseconds since the process was created (Linux), else since ``main`` began."""
    try:
        import os

        with open("/proc/self/stat", encoding="ascii") as stat:
            start_ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as uptime:
            up_seconds = float(uptime.read().split()[0])
        ticks = os.sysconf("SC_CLK_TCK")
        return max(0.0, (up_seconds - start_ticks / ticks) * 1000)
    except (OSError, ValueError, IndexError):
        return (time.perf_counter() - fallback_start) * 1000


def _configure_logging(paths: AppPaths) -> None:
    paths.logs.mkdir(exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        paths.logs / "moments-desk.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def _report_startup_error(error: StartupError, smoke: bool) -> int:
    from moments_desk.ui.startup_messages import describe

    title, message = describe(error)
    print(f"moments-desk: {title}: {message}", file=sys.stderr)
    if not smoke:
        QMessageBox.critical(None, title, message)
    return error.exit_code


def _shop_clock(shop: Shop) -> Clock:
    """A shared shop runs on its database server's time (see ``ServerClock``), measured on
    the database thread (``_keep_clock_measured``); until then, this machine's."""
    return SystemClock() if shop.is_sqlite else ServerClock()


def _keep_clock_measured(app: QApplication, ctx: AppContext) -> QTimer | None:
    """Measure the server's clock now and every 10 minutes, on the database thread: the
    window never waits for the server, and a laptop whose clock is corrected (or drifts)
    while the app runs keeps the shop's time."""
    clock = ctx.clock
    if not isinstance(clock, ServerClock):
        return None
    from moments_desk.core.shared import uow
    from moments_desk.core.shared.db_clock import database_now

    sessions = ctx.shop.sessions

    def measured(offset: timedelta) -> None:
        log.info("database server clock is %.1f s ahead of this machine", offset.total_seconds())

    def measure() -> None:
        ctx.executor.submit(
            lambda: clock.measure(lambda: uow.read(sessions, database_now)),
            measured,
            lambda _error: None,  # unreachable server: keep the last offset
        )

    timer = QTimer(app)
    timer.setInterval(10 * 60 * 1000)
    timer.timeout.connect(measure)
    timer.start()
    measure()
    return timer


def _load_demo(shop: Shop) -> None:
    from moments_desk.core.demo.demo import DatabaseNotEmptyError, populate_demo

    try:
        counts = populate_demo(shop.engine, media_root=shop.paths.media)
    except DatabaseNotEmptyError:
        print("moments-desk: --demo skipped: this shop already has data", file=sys.stderr)
        return
    log.info("demo shop created: %s", counts)


def wants_first_run(args: argparse.Namespace, shop: Shop) -> bool:
    """The setup wizard greets a new shop (no accounts, no products), never a CI start."""
    from moments_desk.core.setup.needed import first_run_needed
    from moments_desk.core.shared import uow

    if args.smoke or args.demo:
        return False
    if shop.sqlite_file is not None and not shop.engine_made:
        from moments_desk.core.setup.needed import first_run_needed_sqlite

        with shop.plain_sqlite() as db:
            return first_run_needed_sqlite(db)
    return uow.read(shop.sessions, first_run_needed)


def _run(app: QApplication, args: argparse.Namespace, started: float) -> int:
    from moments_desk.ui.i18n import apply_ui_font, choose_language, install_translators
    from moments_desk.ui.kit.theme import apply_theme

    data_dir = args.data_dir if args.data_dir is not None else default_data_dir()
    # Prefs are read before the shop opens so start-up errors speak the saved language too.
    saved = Prefs.load(Path(data_dir).expanduser() / "prefs.json").language
    language = choose_language(args.lang, saved)
    from moments_desk.ui.wizard.language import LanguageSwitcher

    switcher = LanguageSwitcher(app, language, install_translators(app, language))
    app.setFont(apply_ui_font(app.font()))
    apply_theme(app)

    damage: StartupError | None = None
    logging_ready = False
    try:
        while True:
            try:
                shop = _open_or_recover(Path(data_dir), args, damage)
            except StartupError as error:
                return _report_startup_error(error, args.smoke or error.explained)
            if not logging_ready:
                _configure_logging(shop.paths)
                logging_ready = True
            log.info("Moments Desk %s started on %s", __version__, shop.database_display)
            code, damage = _run_shop(app, args, started, shop, switcher, language)
            if damage is None:
                return code
            # The check after the paint found the file damaged: the shop is closed; offer
            # the newest good backup as a damaged file at start would.
            log.error("integrity check failed after start: %s", damage.detail)
    finally:
        del switcher


def _run_shop(
    app: QApplication,
    args: argparse.Namespace,
    started: float,
    shop: Shop,
    switcher: object,
    language: str,
) -> tuple[int, StartupError | None]:
    """The main window on an open shop, until the app quits (exit code, or the damage the
    integrity check found after the paint). Closes the shop."""
    from moments_desk.startup_check import IntegrityWatch
    from moments_desk.ui.backup_timer import BackupTimer
    from moments_desk.ui.context import AppContext
    from moments_desk.ui.kit.tasks import DbExecutor
    from moments_desk.ui.main_window import MainWindow

    damage: list[StartupError] = []
    watch = IntegrityWatch(shop.unchecked_file) if shop.unchecked_file is not None else None

    def damaged(problem: str) -> None:
        damage.append(_damaged(shop, problem))
        app.exit(EXIT_CODES[StartupProblem.DATABASE_CORRUPT])

    try:
        if watch is not None:
            watch.damaged.connect(damaged)
        if args.demo:
            _load_demo(shop)
        executor = DbExecutor(app)
        ctx = AppContext(
            shop=shop,
            clock=_shop_clock(shop),
            zone=local_zone(),
            executor=executor,
            language=language,
        )
        if not _signed_in_without_asking(ctx, ask=not args.smoke):
            from moments_desk.ui.users.login import sign_in_at_start

            if not sign_in_at_start(ctx, ask=not args.smoke):
                return 0, None

        clock_check = _keep_clock_measured(app, ctx)  # noqa: F841 - lives as long as the app
        backups = BackupTimer(ctx)
        # A shared shop's pictures on every laptop; a SQLite shop has nothing to sync.
        pictures = None if shop.is_sqlite else _picture_sync(ctx, app)
        wants_demo = False
        if wants_first_run(args, shop):
            from moments_desk.ui.wizard.language import LanguageSwitcher
            from moments_desk.ui.wizard.launch import run_at_start

            if watch is not None and watch.wait() is not None:  # the wizard writes
                return 0, _damaged(shop, watch.problem)
            assert isinstance(switcher, LanguageSwitcher)
            # Before the main window, so a language chosen in the wizard applies to all of it.
            wants_demo = run_at_start(ctx, switcher).wants_demo
        window = MainWindow(ctx)
        window.first_page_painted.connect(_collect_from_now_on)
        if watch is not None:
            window.first_page_painted.connect(watch.start)
            # Also when the Overview cannot paint its figures (a read failed on the file).
            QTimer.singleShot(2000, watch.start)
        reminders = _RemindersAfterPaint(ctx, window)
        if wants_demo:
            QTimer.singleShot(0, window.load_demo)
        if shop.migration.upgraded_existing and not args.smoke:
            from moments_desk.ui.startup_messages import upgrade_notice

            QTimer.singleShot(0, lambda: upgrade_notice(window, shop.migration).open())
        if args.smoke:
            _finish_smoke(app, window, watch, started, reminders)
        window.show()
        code = app.exec()
        while code == RELOAD_EXIT_CODE and not damage:
            # A restore replaced the data: every page is rebuilt on it.
            reminders.stop()
            executor.wait()
            window.hide()
            window.deleteLater()
            window = MainWindow(ctx)
            reminders = _RemindersAfterPaint(ctx, window)
            window.show()
            code = app.exec()
        reminders.stop()
        if pictures is not None:
            pictures.deleteLater()
        executor.wait()
        window.hide()
        if damage:
            return code, damage[0]
        if watch is not None and watch.wait() is not None:
            # Quit before the check had spoken, and it found damage: no backup of it.
            return code, _damaged(shop, watch.problem)
        if not args.smoke:
            backups.on_exit()
        return code, None
    except Exception as error:
        # A read before the window (sign-in, first-run) failed on a file not checked yet.
        if _database_error(error) and watch is not None and watch.wait() is not None:
            return 0, _damaged(shop, watch.problem)
        raise
    finally:
        shop.close()


def _database_error(error: Exception) -> bool:
    """A database refused a read: sqlite3's own error (plain-SQL reads before the engine is
    made) or SQLAlchemy's wrapping of it."""
    if isinstance(error, sqlite3.DatabaseError):
        return True
    sa_exc = sys.modules.get("sqlalchemy.exc")
    return sa_exc is not None and isinstance(error, sa_exc.DatabaseError)


class _RemindersAfterPaint:
    """The reminder service, the due-now panel and the tray, installed in the event-loop
    turn after the first page has painted: their imports (APScheduler, the panel, the
    service) and the service's first reconcile no longer hold up the Overview (~150 ms of
    imports under load by -X importtime). ``stop`` before they were installed stops nothing
    and installs nothing."""

    def __init__(self, ctx: AppContext, window: MainWindow) -> None:
        self._ctx, self._window = ctx, window
        self._installed: Reminders | None = None
        self._stopped = False
        window.first_page_painted.connect(lambda: QTimer.singleShot(0, self.install))
        # Also when the Overview cannot paint its figures (its read failed): reminders still run.
        QTimer.singleShot(2000, self.install)

    def install(self) -> None:
        if self._installed is not None or self._stopped or not self._window.isVisible():
            return
        # The engine, sessions and change watcher (SQLAlchemy, ~180 ms) are made here at the
        # latest, when the pages built at idle have not already made them.
        self._ctx.shop.sessions  # noqa: B018 - made on first use
        from moments_desk.ui.reminders.install import install_reminders

        self._installed = install_reminders(self._ctx, self._window)

    def stop(self) -> None:
        self._stopped = True
        if self._installed is not None:
            self._installed.stop()


def _picture_sync(ctx: AppContext, app: QApplication) -> QObject:
    from moments_desk.ui.kit.picture_sync import PictureSync

    return PictureSync(ctx, app)


def _signed_in_without_asking(ctx: AppContext, ask: bool) -> bool:
    """The usual start: an owner exists and nobody needs to be asked (one profile without a
    PIN, or ``--smoke``). Read in plain SQL, so the table classes are not loaded before the
    first paint; anything else (no owner yet, PINs, several profiles) returns False and goes
    through ``sign_in_at_start``, the same rules with the ORM. A SQLite shop is read over
    sqlite3 (no SQLAlchemy before the paint)."""
    sql = "SELECT id, role, password_hash FROM app_user WHERE active"
    if ctx.shop.is_sqlite:
        with ctx.shop.plain_sqlite() as db:
            profiles = [tuple(row) for row in db.execute(sql).fetchall()]
    else:
        from sqlalchemy import text

        with ctx.shop.engine.connect() as connection:
            profiles = [tuple(row) for row in connection.execute(text(sql)).all()]
    owners = [int(p[0]) for p in profiles if p[1] == "owner"]
    if not owners:
        return False
    if ask and (len(profiles) > 1 or any(p[2] for p in profiles)):
        return False
    ctx.user_id, ctx.is_owner = min(owners), True
    return True


def _damaged(shop: Shop, problem: str | None) -> StartupError:
    return StartupError(StartupProblem.DATABASE_CORRUPT, shop.database_display, problem or "")


def _finish_smoke(
    app: QApplication,
    window: MainWindow,
    watch: IntegrityWatch | None,
    started: float,
    reminders: _RemindersAfterPaint,
) -> None:
    """``--smoke`` prints the first paint's time once the integrity check has passed too,
    then quits; a damaged file ends it as at start (exit 5)."""
    painted: list[float] = []

    def maybe_done() -> None:
        if not painted or (watch is not None and not watch.done):
            return
        if watch is not None and watch.problem is not None:
            return  # the damage handler has already ended the event loop
        print(f"smoke ok {painted[0]:.0f}", flush=True)
        # Quit from the event loop, not from inside the paint that triggered this.
        QTimer.singleShot(0, app.quit)

    def on_paint() -> None:
        painted.append(_process_age_ms(started))
        # The check ends at the first paint: nothing idle time would load after it.
        window.stop_building_pages()
        reminders.stop()
        maybe_done()

    window.first_page_painted.connect(on_paint)
    if watch is not None:
        watch.finished.connect(maybe_done)
    # A start that never paints must fail CI, not hang it.
    QTimer.singleShot(60_000, lambda: app.exit(7))


def _open_or_recover(
    data_dir: Path, args: argparse.Namespace, damage: StartupError | None = None
) -> Shop:
    """Open the shop; if its database is damaged, offer the newest good backup instead.

    ``damage``: what the integrity check after the paint found in the shop just closed."""
    try:
        if damage is not None:
            raise damage
        # An up-to-date file is checked after the first paint (startup_check); --demo writes
        # before any window, so its file is checked first.
        return open_shop(data_dir, args.database, check_later=not args.demo)
    except StartupError as error:
        if error.problem is not StartupProblem.DATABASE_CORRUPT or args.database:
            raise
        from moments_desk.core.safety.backup import newest_good_snapshot
        from moments_desk.ui.backup_dialogs import damaged_question

        good = newest_good_snapshot(data_dir.expanduser() / "backups")
        if args.smoke:
            hint = (
                f"newest good backup: {good.path}; restore it with: moments-desk restore "
                f"{good.path}"
                if good is not None
                else "no good backup in the backups folder"
            )
            print(f"moments-desk: database damaged ({error.detail}); {hint}", file=sys.stderr)
            raise
        box = damaged_question(error.detail, error.subject, good.manifest if good else None)
        box.exec()
        error.explained = True
        clicked = box.clickedButton()
        if good is None or clicked is None or clicked.objectName() != "restoreButton":
            raise
        recover_from_newest_snapshot(data_dir)
        log.warning("damaged database replaced by %s", good.path)
        return open_shop(data_dir, args.database, check_later=True)


def _collect_from_now_on() -> None:
    """Garbage collection resumes once the first page has painted. What start-up built is
    frozen out of the collector: it lives as long as the window."""
    gc.freeze()
    gc.enable()


def _exit_now(code: int) -> None:
    """End the process without the interpreter's teardown (~250 ms of freeing objects one by
    one). Callers have already run the exit backup, stopped the DB thread and released the
    lock; the logs and standard streams are flushed here."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to say
            stream.flush()
    os._exit(code)


def main(argv: list[str] | None = None, fast_exit: bool = True) -> int:
    """Run the app; the window's path ends the process itself unless ``fast_exit`` is off."""
    started = time.perf_counter()
    from moments_desk.cli.commands import run_command

    # Subcommands (imports) run headless: no QApplication, no window.
    result = run_command(sys.argv[1:] if argv is None else argv)
    if result is not None:
        return result
    # No collection while the window starts: it would only walk the objects start-up is
    # creating. Back on at the first paint (or when the start ends without one).
    gc.disable()
    args = parse_args(argv)
    QCoreApplication.setOrganizationName(APP_ID)
    QCoreApplication.setApplicationName(APP_ID)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationDisplayName(APP_NAME)
    # Lets Wayland and the Linux taskbar match windows to packaging/linux/moments-desk.desktop.
    app.setDesktopFileName("moments-desk")
    app.setWindowIcon(QIcon(str(icon_path())))
    try:
        code = _run(app, args, started)
    finally:
        gc.enable()
    if fast_exit:
        _exit_now(code)
    return code
