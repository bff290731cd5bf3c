"""Quick entry under a posted post: paste names or screenshots, review the matches, record."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QKeySequence,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.screenshots.intents import OrderIntent
from moments_desk.core.shared import uow
from moments_desk.core.tracking.matching import (
    MatchReason,
    MatchStatus,
    PasteReview,
    cached_index,
    review_paste,
)
from moments_desk.core.tracking.tracking import EntryLine, RecordOutcome, record_entries
from moments_desk.db.models import InteractionKind
from moments_desk.ui.context import AppContext
from moments_desk.ui.i18n import tr_msg
from moments_desk.ui.kit import combo as combos
from moments_desk.ui.kit.list_view import show_failure
from moments_desk.ui.tracking.phone_screens import PhoneScreenshots
from moments_desk.ui.tracking.screenshot_entry import (
    PasteBox,
    ReviewTarget,
    ScreenshotIntake,
    picture_paths,
)

# Combo data for "create a new customer" and "leave this name out" (never None).
NEW_CUSTOMER = -1
SKIP = -2
AMBER = QColor("#FFF7E6")
BLUE = QColor("#EEF4FF")
GREEN = QColor("#E8F7EE")


def intent_label(intent: OrderIntent) -> str:
    label = QCoreApplication.translate("QuickEntry", "Order")
    if intent.variant:
        label += f" · {intent.variant}"
    if intent.quantity > 1:
        label += f" × {intent.quantity}"
    return label


def kind_label(kind: InteractionKind) -> str:
    names = {
        InteractionKind.LIKE: QCoreApplication.translate("QuickEntry", "Like"),
        InteractionKind.COMMENT: QCoreApplication.translate("QuickEntry", "Comment"),
        InteractionKind.INQUIRY: QCoreApplication.translate("QuickEntry", "Private chat"),
        InteractionKind.NOTE: QCoreApplication.translate("QuickEntry", "Note"),
    }
    return names[kind]


def reason_label(reason: MatchReason, score: float) -> str:
    match reason:
        case MatchReason.NICKNAME:
            return QCoreApplication.translate("QuickEntry", "nickname")
        case MatchReason.REMARK:
            return QCoreApplication.translate("QuickEntry", "remark name")
        case MatchReason.PINYIN:
            return QCoreApplication.translate("QuickEntry", "pinyin")
        case _:
            return QCoreApplication.translate("QuickEntry", "{score}% alike").format(
                score=round(score)
            )


class QuickEntry(ReviewTarget):
    recorded = Signal(object)  # RecordOutcome
    #: the seller asks to give the recorded order intents a place (前 N 名)
    offer_intents = Signal()

    class Col:
        NUMBER, NAME, STRIP, KIND, COMMENT, CUSTOMER = range(6)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.post_id: int | None = None
        self.review: PasteReview | None = None
        self.intents: tuple[OrderIntent | None, ...] = ()
        self.screens = ScreenshotIntake(self, ctx)
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        options = QHBoxLayout()
        options.addWidget(QLabel(QCoreApplication.translate("QuickEntry", "Account")))
        self.account = QComboBox()
        self.account.activated.connect(self.warm_index)
        options.addWidget(self.account)
        self.mode = QComboBox()
        self.mode.addItem(
            QCoreApplication.translate("QuickEntry", "Likes and comments, as WeChat shows them"),
            "public",
        )
        self.mode.addItem(QCoreApplication.translate("QuickEntry", "Private chats (私聊)"), "chat")
        options.addWidget(self.mode)
        options.addStretch(1)
        # Beside the paste box, where the row has room (the actions row holds the note).
        self.phone_button = PhoneScreenshots(ctx, self, self.screens)
        options.addWidget(self.phone_button)
        layout.addLayout(options)
        self.paste = PasteBox()
        self.paste.picture_pasted.connect(self.screens.read_picture)
        self.paste.files_pasted.connect(self.screens.read_screenshots)
        self.paste.setPlaceholderText(
            QCoreApplication.translate(
                "QuickEntry",
                "Paste or type the names under the post, in the order WeChat shows them:\n"
                "小美, 阿花, Lily🌸        ← likes (commas, 、 or one per line)\n"
                "小美：好看！多少钱        ← a comment keeps its text\n"
                "Or paste a screenshot (Ctrl+V), drop screenshots here, or choose them.",
            )
        )
        self.paste.setMaximumHeight(130)
        layout.addWidget(self.paste)
        actions = QHBoxLayout()
        self.match_button = QPushButton(QCoreApplication.translate("QuickEntry", "Match names"))
        self.match_button.setToolTip("Ctrl+Enter")
        self.match_button.clicked.connect(self.match)
        actions.addWidget(self.match_button)
        self.screenshot_button = QPushButton(
            QCoreApplication.translate("QuickEntry", "From screenshots…")
        )
        self.screenshot_button.setToolTip(
            QCoreApplication.translate(
                "QuickEntry",
                "Read likes and comments from screenshots of the post, on this computer "
                "(names never leave it). Ctrl+V pastes one; you can also drop files here.",
            )
        )
        self.screenshot_button.clicked.connect(self.screens.reader.choose_files)
        actions.addWidget(self.screenshot_button)
        self.note = QLabel("")
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        actions.addWidget(self.note, 1)
        self.all_new_button = QPushButton(
            QCoreApplication.translate("QuickEntry", "Unknown → new customers")
        )
        self.all_new_button.setToolTip(
            QCoreApplication.translate(
                "QuickEntry", "Every name not matched for sure becomes a new customer"
            )
        )
        self.all_new_button.clicked.connect(self.unknown_to_new)
        actions.addWidget(self.all_new_button)
        self.record_button = QPushButton(QCoreApplication.translate("QuickEntry", "Record"))
        self.record_button.setObjectName("primary")
        self.record_button.setEnabled(False)
        self.record_button.clicked.connect(self.record)
        actions.addWidget(self.record_button)
        layout.addLayout(actions)
        self.offer_button = QPushButton("")
        self.offer_button.clicked.connect(self.offer_intents)
        self.offer_button.hide()
        layout.addWidget(self.offer_button, 0, Qt.AlignmentFlag.AlignRight)
        self.error = QLabel("")
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            [
                "#",
                QCoreApplication.translate("QuickEntry", "As pasted"),
                QCoreApplication.translate("QuickEntry", "On the screenshot"),
                QCoreApplication.translate("QuickEntry", "Kind"),
                QCoreApplication.translate("QuickEntry", "Comment"),
                QCoreApplication.translate("QuickEntry", "Customer"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(self.Col.CUSTOMER, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(self.Col.NUMBER, 40)
        header.resizeSection(self.Col.NAME, 140)
        header.resizeSection(self.Col.KIND, 84)
        header.resizeSection(self.Col.COMMENT, 200)
        header.resizeSection(self.Col.STRIP, 180)
        self.table.setColumnHidden(self.Col.STRIP, True)
        layout.addWidget(self.table, 1)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.match)

    def set_post(self, post_id: int | None, accounts: list[tuple[int, str]]) -> None:
        self.post_id = post_id
        self.account.clear()
        for account_id, label in accounts:
            self.account.addItem(label, account_id)
        self.table.setRowCount(0)
        self.review = None
        self.intents = ()
        self.offer_button.hide()
        self.record_button.setEnabled(False)
        self.note.setText("")
        self.error.hide()
        self.phone_button.set_post(post_id)
        self.warm_index()

    def warm_index(self, *_: object) -> None:
        """Build the account's name index while the seller copies names from her phone,
        so matching the paste does not wait for it (about a second at 50,000 friends)."""
        account_id = combos.value(self.account)
        if account_id is None:
            return
        self._ctx.executor.submit(
            lambda: uow.read(self._ctx.shop.sessions, lambda s: len(cached_index(s, account_id))),
            lambda _count: None,
            lambda _error: None,  # the same failure is shown when the paste is matched
        )

    # -- matching --------------------------------------------------------------------------

    def match(self) -> None:
        account_id = combos.value(self.account)
        text = self.paste.toPlainText()
        if self.post_id is None or account_id is None:
            self.show_error(QCoreApplication.translate("QuickEntry", "Choose a posted post first."))
            return
        if not text.strip():
            self.show_error(QCoreApplication.translate("QuickEntry", "Paste some names first."))
            return
        private = self.mode.currentData() == "chat"
        self.error.hide()
        self.match_button.setEnabled(False)

        def done(review: PasteReview) -> None:
            self.match_button.setEnabled(True)
            self.show_review(review)

        def failed(error: BaseException) -> None:
            self.match_button.setEnabled(True)
            show_failure(self, error)

        self._ctx.executor.submit(
            lambda: uow.read(
                self._ctx.shop.sessions, lambda s: review_paste(s, account_id, text, private)
            ),
            done,
            failed,
        )

    def show_review(
        self,
        review: PasteReview,
        strips: list[QPixmap | None] | None = None,
        intents: tuple[OrderIntent | None, ...] = (),
    ) -> None:
        """The matches to confirm; from screenshots, with the strip each name was read from
        and comments that read as orders marked."""
        self.review = review
        self.intents = intents
        self.offer_button.hide()
        self.table.setRowCount(0)
        self.table.setRowCount(len(review.rows))
        self.table.setColumnHidden(self.Col.STRIP, strips is None)
        # The strips take room from the comment text, which the strip mostly shows anyway.
        self.table.horizontalHeader().resizeSection(
            self.Col.COMMENT, 200 if strips is None else 130
        )
        counts = {status: 0 for status in MatchStatus}
        for row, entry in enumerate(review.rows):
            match = entry.match
            counts[match.status] += 1
            intent = intents[row] if row < len(intents) else None
            cells = {
                self.Col.NUMBER: str(row + 1),
                self.Col.NAME: match.pasted.name,
                self.Col.KIND: intent_label(intent) if intent else kind_label(entry.kind),
                self.Col.COMMENT: match.pasted.comment,
            }
            for column, text in cells.items():
                item = QTableWidgetItem(text)
                if match.status is MatchStatus.AMBIGUOUS:
                    item.setBackground(QBrush(AMBER))
                elif match.status is MatchStatus.UNKNOWN:
                    item.setBackground(QBrush(BLUE))
                if intent is not None and column == self.Col.KIND:
                    item.setBackground(QBrush(GREEN))
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                    item.setToolTip(
                        QCoreApplication.translate(
                            "QuickEntry",
                            "This comment reads as an order; after recording, offer it a "
                            "place in First N, in comment order.",
                        )
                    )
                times = match.pasted.times
                if column == self.Col.NAME and times > 1:
                    item.setToolTip(
                        QCoreApplication.translate(
                            "QuickEntry", "Pasted %n times; recorded once", "", times
                        )
                    )
                self.table.setItem(row, column, item)
            strip = strips[row] if strips is not None and row < len(strips) else None
            if strip is not None:
                picture = QLabel()
                picture.setPixmap(strip)
                picture.setToolTip(match.pasted.name)
                self.table.setCellWidget(row, self.Col.STRIP, picture)
            chooser = QComboBox()
            for candidate in match.candidates:
                detail = f"（{candidate.detail}）" if candidate.detail else ""
                why = reason_label(candidate.reason, candidate.score)
                chooser.addItem(
                    f"{candidate.display} · {why}{detail}",
                    candidate.customer_id,
                )
            chooser.addItem(
                QCoreApplication.translate("QuickEntry", "+ New customer “{name}”").format(
                    name=match.pasted.name
                ),
                NEW_CUSTOMER,
            )
            chooser.addItem(QCoreApplication.translate("QuickEntry", "Leave out"), SKIP)
            if match.status is MatchStatus.UNKNOWN:
                chooser.setCurrentIndex(chooser.count() - 2)
            self.table.setCellWidget(row, self.Col.CUSTOMER, chooser)
        matched = counts[MatchStatus.MATCHED]
        unsure = counts[MatchStatus.AMBIGUOUS]
        unknown = counts[MatchStatus.UNKNOWN]
        parts = [
            QCoreApplication.translate("QuickEntry", "%n matched", "", matched),
            QCoreApplication.translate("QuickEntry", "%n to check (amber)", "", unsure),
            QCoreApplication.translate("QuickEntry", "%n new (blue)", "", unknown),
        ]
        if review.duplicates:
            shown = "、".join(f"{name}×{times}" for name, times in review.duplicates[:6])
            parts.append(
                QCoreApplication.translate("QuickEntry", "duplicates collapsed: {names}").format(
                    names=shown
                )
            )
        marked = sum(1 for intent in intents if intent is not None)
        if marked:
            parts.append(
                QCoreApplication.translate("QuickEntry", "%n order intent(s) (green)", "", marked)
            )
        self.note.setText(" · ".join(parts))
        if strips is not None:
            self.table.resizeRowsToContents()
        count = len(review.rows)
        self.record_button.setText(QCoreApplication.translate("QuickEntry", "Record %n", "", count))
        self.record_button.setEnabled(count > 0)

    def unknown_to_new(self) -> None:
        """One click: every name that is not a sure match becomes a new customer."""
        if self.review is None:
            return
        for row, entry in enumerate(self.review.rows):
            if entry.match.status is not MatchStatus.MATCHED:
                chooser = self.table.cellWidget(row, self.Col.CUSTOMER)
                assert isinstance(chooser, QComboBox)
                chooser.setCurrentIndex(combos.find(chooser, NEW_CUSTOMER))

    def entry_lines(self) -> list[EntryLine]:
        if self.review is None:
            return []
        lines = []
        for row, entry in enumerate(self.review.rows):
            choice = self._choice(row)
            if choice == SKIP:
                continue
            lines.append(
                EntryLine(
                    line=entry.match.pasted.line,
                    name=entry.match.pasted.name,
                    kind=entry.kind,
                    comment=entry.match.pasted.comment,
                    customer_id=None if choice == NEW_CUSTOMER else int(choice),
                )
            )
        return lines

    def _choice(self, row: int) -> int:
        chooser = self.table.cellWidget(row, self.Col.CUSTOMER)
        assert isinstance(chooser, QComboBox)
        value = combos.value(chooser)
        return int(value) if isinstance(value, int) else SKIP

    def record(self) -> None:
        post_id, account_id = self.post_id, combos.value(self.account)
        lines = self.entry_lines()
        if post_id is None or account_id is None or not lines:
            return
        at = self._ctx.clock.now()
        self.record_button.setEnabled(False)

        offered = sum(
            1
            for row, intent in enumerate(self.intents)
            if intent is not None and self._choice(row) != SKIP
        )

        def done(outcome: RecordOutcome) -> None:
            recorded, created = outcome.recorded, outcome.new_customers
            already = outcome.already_recorded
            self.table.setRowCount(0)
            self.table.setColumnHidden(self.Col.STRIP, True)
            self.review = None
            self.intents = ()
            self.paste.clear()
            if offered:
                self.offer_button.setText(
                    QCoreApplication.translate(
                        "QuickEntry",
                        "Give the %n order intent(s) a place in First N →",
                        "",
                        offered,
                    )
                )
                self.offer_button.show()
            message = QCoreApplication.translate(
                "QuickEntry", "Recorded %n; ", "", recorded
            ) + QCoreApplication.translate("QuickEntry", "%n new customer(s)", "", created)
            if already:
                message += QCoreApplication.translate(
                    "QuickEntry",
                    "; %n like(s) were already on record",
                    "",
                    already,
                )
            self.note.setText(message)
            self.recorded.emit(outcome)

        def failed(error: BaseException) -> None:
            self.record_button.setEnabled(True)
            if isinstance(error, ValueError):
                self.show_error(tr_msg(error))
            else:
                show_failure(self, error)

        sessions = self._ctx.shop.sessions
        self._ctx.executor.submit(
            lambda: uow.write(
                sessions, lambda s: record_entries(s, post_id, account_id, lines, at)
            ),
            done,
            failed,
        )

    # -- screenshots (read by ScreenshotIntake) -----------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if picture_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = picture_paths(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.screens.read_screenshots(files)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
