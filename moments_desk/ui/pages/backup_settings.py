"""The "Backups and safety" card in Settings: automatic backups, back up to / restore from
a file, and the database check."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.safety.archive import (
    ArchiveInfo,
    create_archive,
    inspect_archive,
)
from moments_desk.core.safety.backup import (
    AUTO,
    MANUAL,
    BackupPolicy,
    Manifest,
    Snapshot,
    list_snapshots,
)
from moments_desk.core.safety.integrity import (
    IntegrityReport,
    MissingMedia,
    check_database,
    missing_media,
)
from moments_desk.core.safety.restore import RestoreResult, restore_archive
from moments_desk.core.safety.snapshots import snapshot
from moments_desk.startup_errors import RELOAD_EXIT_CODE as RELOAD_EXIT_CODE
from moments_desk.ui.backup_dialogs import confirm_restore, when
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.kit.list_view import progress_dialog, show_failure
from moments_desk.ui.kit.tasks import ProgressBridge

PREFS_KEY = "backup"


def _progress(parent: QWidget, label: str) -> tuple[QProgressDialog, ProgressBridge]:
    """Progress without a cancel button: a backup or restore stopped half-way helps no one."""
    dialog, bridge = progress_dialog(parent, label)
    dialog.setCancelButton(None)
    return dialog, bridge


def reload_app() -> None:
    """Leave the event loop so app.py rebuilds every page on the restored data."""
    QCoreApplication.exit(RELOAD_EXIT_CODE)


def load_policy(ctx: AppContext) -> BackupPolicy:
    raw = ctx.shop.prefs.extra.get(PREFS_KEY)
    return BackupPolicy.from_dict(raw, shared=not ctx.shop.is_sqlite)


def _spin(low: int, high: int, suffix: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    spin.setMinimumWidth(110)
    return spin


class BackupCard(QFrame):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        title = QLabel(QCoreApplication.translate("BackupCard", "Backups and safety"))
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        self.newest = QLabel("")
        self.newest.setWordWrap(True)
        layout.addWidget(self.newest)

        policy = load_policy(ctx)
        form = QFormLayout()
        self.enabled = QCheckBox(
            QCoreApplication.translate(
                "BackupCard", "Back up automatically while the app runs and when it closes"
            )
        )
        self.enabled.setChecked(policy.enabled)
        self.interval = _spin(1, 168, QCoreApplication.translate("BackupCard", " h"))
        self.interval.setValue(policy.interval_hours)
        self.daily = _spin(0, 60, "")
        self.daily.setValue(policy.keep_daily)
        self.weekly = _spin(0, 52, "")
        self.weekly.setValue(policy.keep_weekly)
        self.monthly = _spin(0, 60, "")
        self.monthly.setValue(policy.keep_monthly)
        form.addRow("", self.enabled)
        form.addRow(QCoreApplication.translate("BackupCard", "At most every"), self.interval)
        self.interval.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        keep = QHBoxLayout()
        for label, spin in (
            (QCoreApplication.translate("BackupCard", "days (one a day)"), self.daily),
            (QCoreApplication.translate("BackupCard", "weeks (one a week)"), self.weekly),
            (QCoreApplication.translate("BackupCard", "months (one a month)"), self.monthly),
        ):
            spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            keep.addWidget(spin)
            keep.addWidget(QLabel(label))
            keep.addSpacing(10)
        keep.addStretch(1)
        form.addRow(QCoreApplication.translate("BackupCard", "Keep"), keep)
        layout.addLayout(form)
        hint = QLabel(
            QCoreApplication.translate(
                "BackupCard",
                "A backup is taken only when something changed, and always before an upgrade "
                "or a restore. Older ones are thinned to one per day, week and month.",
            )
        )
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        if not ctx.shop.is_sqlite:
            shared = QLabel(
                QCoreApplication.translate(
                    "BackupCard",
                    "This shop is shared on a server: the server's own backups are the team's "
                    "backups, so automatic copies on this laptop are off unless you turn them "
                    "on. A restore replaces the shop for everyone and is announced on every "
                    "laptop.",
                )
            )
            shared.setObjectName("muted")
            shared.setWordWrap(True)
            layout.addWidget(shared)
        for spin in (self.interval, self.daily, self.weekly, self.monthly):
            spin.valueChanged.connect(self._policy_changed)
        self.enabled.toggled.connect(self._policy_changed)

        buttons = QHBoxLayout()
        self.back_up_now = QPushButton(QCoreApplication.translate("BackupCard", "Back up now"))
        self.back_up_to = QPushButton(QCoreApplication.translate("BackupCard", "Back up to…"))
        self.restore_from = QPushButton(QCoreApplication.translate("BackupCard", "Restore from…"))
        self.check = QPushButton(QCoreApplication.translate("BackupCard", "Check database"))
        self.open_folder = QPushButton(
            QCoreApplication.translate("BackupCard", "Open backups folder")
        )
        self.back_up_now.clicked.connect(self.run_backup_now)
        self.back_up_to.clicked.connect(self._choose_backup_target)
        self.restore_from.clicked.connect(self._choose_restore_source)
        self.check.clicked.connect(self.run_check)
        self.open_folder.clicked.connect(self._open_folder)
        for button in (
            self.back_up_now,
            self.back_up_to,
            self.restore_from,
            self.check,
            self.open_folder,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        if not ctx.shop.is_sqlite and not ctx.is_owner:
            # A copy of the shared shop holds every customer's phone and address: the
            # owner decides where such copies go.
            only_owner = QCoreApplication.translate(
                "BackupCard", "In a shared shop only an owner makes or restores backups."
            )
            for button in (self.back_up_now, self.back_up_to, self.restore_from):
                button.setEnabled(False)
                button.setToolTip(only_owner)
        self.result = QLabel("")
        self.result.setWordWrap(True)
        self.result.setObjectName("cardHint")
        self.result.hide()
        layout.addWidget(self.result)
        self.refresh()

    # ---- state ---------------------------------------------------------------------------

    def refresh(self) -> None:
        backups = self._ctx.shop.paths.backups
        self._ctx.executor.submit(
            lambda: list_snapshots(backups), self._show_newest, lambda e: show_failure(self, e)
        )

    def _show_newest(self, snapshots: list[Snapshot]) -> None:
        if not snapshots:
            self.newest.setText(QCoreApplication.translate("BackupCard", "No backup yet."))
            return
        newest = snapshots[0]
        kind = (
            QCoreApplication.translate("BackupCard", "automatic")
            if newest.kind == AUTO
            else QCoreApplication.translate("BackupCard", "by hand")
            if newest.kind == MANUAL
            else QCoreApplication.translate("BackupCard", "before an upgrade or restore")
        )
        self.newest.setText(
            QCoreApplication.translate(
                "BackupCard", "Newest backup: {date} ({kind}); {count} kept in the backups folder."
            ).format(date=when(newest.manifest), kind=kind, count=len(snapshots))
        )

    def _policy_changed(self, *_: object) -> None:
        policy = BackupPolicy(
            enabled=self.enabled.isChecked(),
            interval_hours=self.interval.value(),
            keep_daily=self.daily.value(),
            keep_weekly=self.weekly.value(),
            keep_monthly=self.monthly.value(),
        )
        prefs = self._ctx.shop.prefs
        prefs.extra[PREFS_KEY] = policy.to_dict()
        try:
            prefs.save(self._ctx.shop.paths.prefs_file)
        except OSError as error:
            show_failure(self, error)

    def _say(self, text: str) -> None:
        self.result.setText(text)
        self.result.show()

    def _busy(self, busy: bool) -> None:
        for button in (self.back_up_now, self.back_up_to, self.restore_from, self.check):
            button.setEnabled(not busy)

    # ---- backing up ------------------------------------------------------------------------

    def run_backup_now(self) -> None:
        shop = self._ctx.shop
        dialog, bridge = _progress(self, QCoreApplication.translate("BackupCard", "Backing up…"))
        self._busy(True)

        def done(snap: Snapshot) -> None:
            dialog.reset()
            self._busy(False)
            self._say(
                QCoreApplication.translate("BackupCard", "Backed up to {path}").format(
                    path=snap.path
                )
            )
            self.refresh()

        def failed(error: BaseException) -> None:
            dialog.reset()
            self._busy(False)
            show_failure(self, error)

        user = self._ctx.user_id
        # Its own thread: the pages' searches keep answering while the copy is made.
        self._ctx.long_jobs.submit(
            lambda: snapshot(
                shop.engine, shop.paths.backups, MANUAL, progress=bridge.report, by=user
            ),
            done,
            failed,
        )

    def _choose_backup_target(self) -> None:
        suggested = Path.home() / f"moments-desk-{datetime.now():%Y%m%d-%H%M}.zip"
        name, _ = QFileDialog.getSaveFileName(
            self,
            QCoreApplication.translate("BackupCard", "Back up to"),
            str(suggested),
            QCoreApplication.translate("BackupCard", "Moments Desk backups (*.zip)"),
        )
        if name:
            target = Path(name)
            if target.suffix.lower() != ".zip":
                target = target.with_name(target.name + ".zip")
            self.back_up_to_file(target)

    def back_up_to_file(self, target: Path) -> None:
        shop = self._ctx.shop
        dialog, bridge = _progress(
            self, QCoreApplication.translate("BackupCard", "Backing up the shop and its pictures…")
        )
        self._busy(True)

        def done(manifest: Manifest) -> None:
            dialog.reset()
            self._busy(False)
            self._say(
                QCoreApplication.translate(
                    "BackupCard", "Backed up to {path} ({pictures} pictures)."
                ).format(path=target, pictures=len(manifest.media))
            )

        def failed(error: BaseException) -> None:
            dialog.reset()
            self._busy(False)
            QMessageBox.critical(
                self,
                QCoreApplication.translate("BackupCard", "Backup not saved"),
                QCoreApplication.translate(
                    "BackupCard", "The backup could not be written to {path}: {error}"
                ).format(path=target, error=tr_msg(error)),
            )

        user = self._ctx.user_id
        self._ctx.long_jobs.submit(
            lambda: create_archive(
                shop.engine,
                shop.paths.media,
                target,
                progress=bridge.report,
                data_dir=shop.paths.data_dir,
                by=user,
            ),
            done,
            failed,
        )

    # ---- restoring -------------------------------------------------------------------------

    def _choose_restore_source(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            QCoreApplication.translate("BackupCard", "Restore from"),
            str(self._ctx.shop.paths.backups),
            QCoreApplication.translate("BackupCard", "Moments Desk backups (*.zip *.sqlite3)"),
        )
        if name:
            self.restore_from_file(Path(name))

    def restore_from_file(self, source: Path, *, ask: bool = True) -> None:
        """Show what the backup holds, ask, then restore on the DB thread."""

        def inspected(info: ArchiveInfo) -> None:
            if ask and not confirm_restore(self, info.manifest, str(source)):
                return
            self._restore(info)

        def unreadable(error: BaseException) -> None:
            QMessageBox.warning(
                self,
                QCoreApplication.translate("BackupCard", "Not a usable backup"),
                tr_msg(error),
            )

        self._ctx.executor.submit(lambda: inspect_archive(source), inspected, unreadable)

    def _restore(self, info: ArchiveInfo) -> None:
        shop = self._ctx.shop
        dialog, bridge = _progress(
            self, QCoreApplication.translate("BackupCard", "Restoring the backup…")
        )
        self._busy(True)

        def done(result: RestoreResult) -> None:
            dialog.reset()
            self._busy(False)
            missing = (
                QCoreApplication.translate(
                    "BackupCard", "\n{count} pictures were not in the backup."
                ).format(count=len(result.media_missing))
                if result.media_missing
                else ""
            )
            QMessageBox.information(
                self,
                QCoreApplication.translate("BackupCard", "Backup restored"),
                QCoreApplication.translate(
                    "BackupCard",
                    "The shop now holds the backup from {date}. The shop as it was before is "
                    "saved as {path}.{missing}",
                ).format(date=when(info.manifest), path=result.safety_copy, missing=missing),
            )
            reload_app()

        def failed(error: BaseException) -> None:
            dialog.reset()
            self._busy(False)
            message = tr_msg(error)
            QMessageBox.critical(
                self,
                QCoreApplication.translate("BackupCard", "Backup not restored"),
                QCoreApplication.translate("BackupCard", "Nothing was changed. {reason}").format(
                    reason=message
                ),
            )

        user = self._ctx.user_id
        self._ctx.executor.submit(
            lambda: restore_archive(
                info.path,
                shop.engine,
                shop.paths.media,
                shop.paths.backups,
                progress=bridge.report,
                by=user,
            ),
            done,
            failed,
        )

    # ---- checking --------------------------------------------------------------------------

    def run_check(self) -> None:
        shop = self._ctx.shop
        self._busy(True)
        self._say(QCoreApplication.translate("BackupCard", "Checking every page of the database…"))

        def work() -> tuple[IntegrityReport, list[MissingMedia]]:
            return check_database(shop.engine, full=True), missing_media(
                shop.engine, shop.paths.media
            )

        def done(found: tuple[IntegrityReport, list[MissingMedia]]) -> None:
            self._busy(False)
            report, gone = found
            lines = [
                QCoreApplication.translate("BackupCard", "Database: no problems found.")
                if report.ok
                else QCoreApplication.translate(
                    "BackupCard", "Database: damaged ({problems}). Restore a backup."
                ).format(problems=report.summary)
            ]
            if gone:
                lines.append(
                    QCoreApplication.translate(
                        "BackupCard", "Pictures missing from the media folder: {count}"
                    ).format(count=len(gone))
                )
                lines.extend(f"  {m.original_name or m.rel_path} ({m.rel_path})" for m in gone[:20])
            else:
                lines.append(QCoreApplication.translate("BackupCard", "Pictures: all present."))
            self._say("\n".join(lines))

        def failed(error: BaseException) -> None:
            self._busy(False)
            show_failure(self, error)

        self._ctx.long_jobs.submit(work, done, failed)

    def _open_folder(self) -> None:
        folder = self._ctx.shop.paths.backups
        folder.mkdir(exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
