"""Draws under a #每日一荐# post: K random commenters (or likers), re-verifiable by seed."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.shared import uow
from moments_desk.core.tracking.draws import (
    DrawPool,
    DrawResult,
    Verification,
    list_draws,
    run_draw,
    verify_draw,
)
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.kit import combo as combos
from moments_desk.ui.kit.list_view import show_failure


def pool_label(pool: DrawPool) -> str:
    if pool is DrawPool.COMMENTERS:
        return QCoreApplication.translate("DrawPanel", "commenters")
    return QCoreApplication.translate("DrawPanel", "likers")


class DrawPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.post_id: int | None = None
        self._draws: list[DrawResult] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        options = QHBoxLayout()
        options.addWidget(QLabel(QCoreApplication.translate("DrawPanel", "Draw")))
        self.count = QSpinBox()
        self.count.setRange(1, 100)
        self.count.setValue(2)
        self.count.setSuffix(QCoreApplication.translate("DrawPanel", " winner(s)"))
        options.addWidget(self.count)
        options.addWidget(QLabel(QCoreApplication.translate("DrawPanel", "among")))
        self.pool = QComboBox()
        for pool in DrawPool:
            self.pool.addItem(pool_label(pool), pool.value)
        options.addWidget(self.pool)
        self.exclude = QCheckBox(
            QCoreApplication.translate("DrawPanel", "leave out winners of the last")
        )
        self.exclude.setChecked(True)
        options.addWidget(self.exclude)
        self.exclude_days = QSpinBox()
        self.exclude_days.setRange(1, 365)
        self.exclude_days.setValue(30)
        self.exclude_days.setSuffix(QCoreApplication.translate("DrawPanel", " days"))
        options.addWidget(self.exclude_days)
        options.addStretch(1)
        self.draw_button = QPushButton(QCoreApplication.translate("DrawPanel", "Draw now"))
        self.draw_button.setObjectName("primary")
        self.draw_button.clicked.connect(self.draw)
        options.addWidget(self.draw_button)
        layout.addLayout(options)
        self.result = QLabel(
            QCoreApplication.translate(
                "DrawPanel",
                "The draw is random but reproducible: its seed is kept, so anyone can verify "
                "the same winners come out again.",
            )
        )
        self.result.setWordWrap(True)
        self.result.setObjectName("muted")
        layout.addWidget(self.result)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("DrawPanel", "When"),
                QCoreApplication.translate("DrawPanel", "Among"),
                QCoreApplication.translate("DrawPanel", "Winners"),
                QCoreApplication.translate("DrawPanel", "Seed"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 120)
        header.resizeSection(3, 250)
        layout.addWidget(self.table, 1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        self.verify_button = QPushButton(
            QCoreApplication.translate("DrawPanel", "Verify selected draw")
        )
        self.verify_button.clicked.connect(self.verify)
        actions.addWidget(self.verify_button)
        layout.addLayout(actions)

    def set_post(self, post_id: int | None) -> None:
        self.post_id = post_id
        self.reload()

    def reload(self) -> None:
        post_id = self.post_id
        if post_id is None:
            self._show([])
            return
        self._ctx.executor.submit(
            lambda: uow.read(self._ctx.shop.sessions, lambda s: list_draws(s, post_id)),
            self._show,
            self._failed,
        )

    def _show(self, draws: list[DrawResult]) -> None:
        self._draws = draws
        self.table.setRowCount(len(draws))
        for row, draw in enumerate(draws):
            cells = [
                draw.at.astimezone(self._ctx.zone).strftime("%Y-%m-%d %H:%M"),
                pool_label(draw.pool),
                "、".join(w.name for w in draw.winners),
                draw.seed,
            ]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if draws:
            self.table.selectRow(0)

    def draw(self) -> None:
        post_id = self.post_id
        if post_id is None:
            return
        count = self.count.value()
        pool = DrawPool(combos.value(self.pool))
        days = self.exclude_days.value() if self.exclude.isChecked() else None
        now = self._ctx.clock.now()

        def done(result: DrawResult) -> None:
            names = "、".join(w.name for w in result.winners)
            text = QCoreApplication.translate(
                "DrawPanel", "🎉 Winners: {names}  (among {pool} eligible; seed {seed})"
            ).format(names=names, pool=result.pool_size, seed=result.seed)
            excluded = result.excluded
            if excluded:
                text += QCoreApplication.translate(
                    "DrawPanel", " · %n recent winner(s) left out", "", excluded
                )
            self.result.setObjectName("sectionTitle")
            self.result.setStyleSheet("")
            self.result.setText(text)
            self.reload()

        def failed(error: BaseException) -> None:
            if isinstance(error, ValueError):
                QMessageBox.warning(
                    self, QCoreApplication.translate("DrawPanel", "No draw"), tr_msg(error)
                )
            else:
                show_failure(self, error)

        self._ctx.executor.submit(
            lambda: uow.write(
                self._ctx.shop.sessions,
                lambda s: run_draw(s, post_id, count, now, pool=pool, exclude_days=days),
            ),
            done,
            failed,
        )

    def verify(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._draws):
            return
        draw_id = self._draws[rows[0].row()].draw_id

        def done(check: Verification) -> None:
            recorded = "、".join(w.name for w in check.recorded)
            again = "、".join(w.name for w in check.recomputed) or "—"
            if check.same:
                QMessageBox.information(
                    self,
                    QCoreApplication.translate("DrawPanel", "Draw verified"),
                    QCoreApplication.translate(
                        "DrawPanel",
                        "Recomputed from the seed: {again}.\nThe same winners as recorded.",
                    ).format(again=again),
                )
            else:
                QMessageBox.warning(
                    self,
                    QCoreApplication.translate("DrawPanel", "Draw differs"),
                    QCoreApplication.translate(
                        "DrawPanel",
                        "Recorded: {recorded}\nRecomputed: {again}\nThe people eligible have "
                        "changed since (a customer deleted or merged).",
                    ).format(recorded=recorded, again=again),
                )
            self.last_verification = check

        self._ctx.executor.submit(
            lambda: uow.read(self._ctx.shop.sessions, lambda s: verify_draw(s, draw_id)),
            done,
            self._failed,
        )

    last_verification: Verification | None = None

    def _failed(self, error: BaseException) -> None:
        show_failure(self, error)
