"""Start-up: flags, QApplication, translations, opening the shop, the main window."""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from moments_desk import APP_ID, APP_NAME, __version__
from moments_desk.cli.flags import parse_args
from moments_desk.paths import AppPaths, default_data_dir
from moments_desk.prefs import Prefs
from moments_desk.resources import icon_path
from moments_desk.scheduling.clock import Clock, ServerClock, SystemClock, local_zone
from moments_desk.startup import (
    Shop,
    StartupError,
    StartupProblem,
    open_shop,
    recover_from_newest_snapshot,
)

if TYPE_CHECKING:
    from moments_desk.ui.context import AppContext

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
    """A shared shop runs on its database server's time (see ``ServerClock``)."""
    if shop.is_sqlite:
        return SystemClock()
    from sqlalchemy.exc import SQLAlchemyError

    from moments_desk.core.shared import uow
    from moments_desk.core.shared.db_clock import database_now

    clock = ServerClock()
    try:
        offset = clock.measure(lambda: uow.read(shop.sessions, database_now))
    except SQLAlchemyError:  # the server went away right after opening: this clock it is
        log.warning("could not read the database server's clock; using this machine's")
    else:
        log.info("database server clock is %.1f s ahead of this machine", offset.total_seconds())
    return clock


def _keep_clock_measured(app: QApplication, ctx: AppContext) -> QTimer | None:
    """Measure the server's clock again every 10 minutes, on the database thread: a laptop
    whose clock is corrected (or drifts) while the app runs keeps the shop's time."""
    clock = ctx.clock
    if not isinstance(clock, ServerClock):
        return None
    from moments_desk.core.shared import uow
    from moments_desk.core.shared.db_clock import database_now

    sessions = ctx.shop.sessions
    timer = QTimer(app)
    timer.setInterval(10 * 60 * 1000)
    timer.timeout.connect(
        lambda: ctx.executor.submit(
            lambda: clock.measure(lambda: uow.read(sessions, database_now)),
            lambda _offset: None,
            lambda _error: None,  # unreachable server: keep the last offset
        )
    )
    timer.start()
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
    from moments_desk.core.setup.first_run import first_run_needed
    from moments_desk.core.shared import uow

    if args.smoke or args.demo:
        return False
    return uow.read(shop.sessions, first_run_needed)


def _run(app: QApplication, args: argparse.Namespace, started: float) -> int:
    from moments_desk.ui.backup_timer import BackupTimer
    from moments_desk.ui.context import AppContext
    from moments_desk.ui.i18n import apply_ui_font, choose_language, install_translators
    from moments_desk.ui.kit.tasks import DbExecutor
    from moments_desk.ui.kit.theme import apply_theme
    from moments_desk.ui.main_window import MainWindow
    from moments_desk.ui.pages.backup_settings import RELOAD_EXIT_CODE

    data_dir = args.data_dir if args.data_dir is not None else default_data_dir()
    # Prefs are read before the shop opens so start-up errors speak the saved language too.
    saved = Prefs.load(Path(data_dir).expanduser() / "prefs.json").language
    language = choose_language(args.lang, saved)
    from moments_desk.ui.wizard.language import LanguageSwitcher

    switcher = LanguageSwitcher(app, language, install_translators(app, language))
    app.setFont(apply_ui_font(app.font()))
    apply_theme(app)

    try:
        shop = _open_or_recover(Path(data_dir), args)
    except StartupError as error:
        return _report_startup_error(error, args.smoke or error.explained)
    _configure_logging(shop.paths)
    log.info("Moments Desk %s started on %s", __version__, shop.database_display)
    try:
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
        from moments_desk.ui.reminders.install import install_reminders
        from moments_desk.ui.users.login import sign_in_at_start

        clock_check = _keep_clock_measured(app, ctx)  # noqa: F841 - lives as long as the app

        if not sign_in_at_start(ctx, ask=not args.smoke):
            return 0
        backups = BackupTimer(ctx)
        wants_demo = False
        if wants_first_run(args, shop):
            from moments_desk.ui.wizard.launch import run_at_start

            # Before the main window, so a language chosen in the wizard applies to all of it.
            wants_demo = run_at_start(ctx, switcher).wants_demo
        window = MainWindow(ctx)
        reminders = install_reminders(ctx, window)
        if wants_demo:
            QTimer.singleShot(0, window.load_demo)
        if shop.migration.upgraded_existing and not args.smoke:
            from moments_desk.ui.startup_messages import upgrade_notice

            QTimer.singleShot(0, lambda: upgrade_notice(window, shop.migration).open())
        if args.smoke:

            def smoke_done() -> None:
                print(f"smoke ok {_process_age_ms(started):.0f}", flush=True)
                # Quit from the event loop, not from inside the paint that triggered this.
                QTimer.singleShot(0, app.quit)

            window.first_page_painted.connect(smoke_done)
            # A start that never paints must fail CI, not hang it.
            QTimer.singleShot(60_000, lambda: app.exit(7))
        window.show()
        code = app.exec()
        while code == RELOAD_EXIT_CODE:
            # A restore replaced the data: every page is rebuilt on it.
            reminders.stop()
            executor.wait()
            window.hide()
            window.deleteLater()
            window = MainWindow(ctx)
            reminders = install_reminders(ctx, window)
            window.show()
            code = app.exec()
        reminders.stop()
        executor.wait()
        if not args.smoke:
            backups.on_exit()
        return code
    finally:
        shop.close()
        del switcher


def _open_or_recover(data_dir: Path, args: argparse.Namespace) -> Shop:
    """Open the shop; if its database is damaged, offer the newest good backup instead."""
    try:
        return open_shop(data_dir, args.database)
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
        return open_shop(data_dir, args.database)


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    from moments_desk.cli.commands import run_command

    # Subcommands (imports) run headless: no QApplication, no window.
    result = run_command(sys.argv[1:] if argv is None else argv)
    if result is not None:
        return result
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
    return _run(app, args, started)
