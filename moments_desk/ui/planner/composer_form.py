"""The composer's fields: text, kind, accounts, audience, time, products and pictures.

Only widgets and reading/writing their values; loading, checking and saving live in
``composer.py``.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from moments_desk.db.models import AudienceMode, PostKind
from moments_desk.ui.kit import combo as combos
from moments_desk.ui.kit import labels
from moments_desk.ui.kit.thumbnails import ThumbnailCache
from moments_desk.ui.planner.text_tools import TextTools
from moments_desk.ui.products.editor import ImageStrip

ID_ROLE = Qt.ItemDataRole.UserRole
MAX_IMAGES = 9


def audience_label(mode: AudienceMode) -> str:
    return {
        AudienceMode.EVERYONE: QCoreApplication.translate("Composer", "Public (公开)"),
        AudienceMode.VISIBLE_TO: QCoreApplication.translate(
            "Composer", "Only these tags (部分可见)"
        ),
        AudienceMode.HIDDEN_FROM: QCoreApplication.translate(
            "Composer", "Hide from these tags (不给谁看)"
        ),
    }[mode]


class CheckList(QListWidget):
    """A short list of checkable choices (accounts, audience tags)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.itemChanged.connect(lambda _: self.changed.emit())

    def set_choices(self, choices: list[tuple[int, str]], checked: set[int]) -> None:
        self.blockSignals(True)
        self.clear()
        for value, text in choices:
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if value in checked else Qt.CheckState.Unchecked
            )
            self.addItem(item)
        self.blockSignals(False)

    def checked(self) -> list[int]:
        return [
            int(self.item(i).data(ID_ROLE))
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        ]


class ComposerForm(QWidget):
    changed = Signal()
    pick_products = Signal()
    add_files = Signal()
    add_product_pictures = Signal()
    nine_grid = Signal()

    def __init__(self, thumbnails: ThumbnailCache, zone: tzinfo, parent: QWidget | None = None):
        super().__init__(parent)
        self._zone = zone
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(
            QCoreApplication.translate(
                "Composer", "The first line is the hook: it is all most friends read."
            )
        )
        self.text.setMinimumHeight(150)
        self.tools = TextTools(self.text)
        layout.addWidget(self.tools)
        layout.addWidget(self.text, 2)
        self.char_count = QLabel()
        self.char_count.setObjectName("muted")
        layout.addWidget(self.char_count)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.kind = QComboBox()
        for kind in PostKind:
            self.kind.addItem(labels.post_kind(kind), kind.value)
        form.addRow(QCoreApplication.translate("Composer", "Kind"), self.kind)
        self.when = QDateTimeEdit()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        form.addRow(QCoreApplication.translate("Composer", "Goes out"), self.when)
        self.accounts = CheckList()
        self.accounts.setMaximumHeight(64)
        form.addRow(QCoreApplication.translate("Composer", "WeChat accounts"), self.accounts)
        self.audience = QComboBox()
        for mode in AudienceMode:
            self.audience.addItem(audience_label(mode), mode.value)
        form.addRow(QCoreApplication.translate("Composer", "Who sees it"), self.audience)
        self.tags = CheckList()
        self.tags.setMaximumHeight(64)
        form.addRow("", self.tags)
        products_row = QHBoxLayout()
        self.products = QLabel()
        self.products.setWordWrap(True)
        self.products_button = QPushButton(QCoreApplication.translate("Composer", "Choose…"))
        self.products_button.clicked.connect(self.pick_products)
        products_row.addWidget(self.products, 1)
        products_row.addWidget(self.products_button)
        form.addRow(QCoreApplication.translate("Composer", "Linked products"), products_row)
        layout.addLayout(form)

        pictures = QLabel(
            QCoreApplication.translate(
                "Composer", "Pictures in posting order (drag to reorder, at most 9)"
            )
        )
        pictures.setObjectName("muted")
        layout.addWidget(pictures)
        self.images = ImageStrip(thumbnails)
        layout.addWidget(self.images)
        buttons = QHBoxLayout()
        self.from_products = QPushButton(
            QCoreApplication.translate("Composer", "Products' pictures")
        )
        self.from_products.clicked.connect(self.add_product_pictures)
        self.from_files = QPushButton(QCoreApplication.translate("Composer", "From files…"))
        self.from_files.clicked.connect(self.add_files)
        self.remove = QPushButton(QCoreApplication.translate("Composer", "Remove"))
        self.remove.clicked.connect(self.images.remove_selected)
        self.grid_tools = QPushButton(QCoreApplication.translate("Composer", "Nine-grid…"))
        self.grid_tools.clicked.connect(self.nine_grid)
        for button in (self.from_products, self.from_files, self.remove, self.grid_tools):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.product_names: dict[int, str] = {}
        self.text.textChanged.connect(self.changed)
        self.kind.currentIndexChanged.connect(self.changed)
        self.kind.currentIndexChanged.connect(self._show_products)
        self.when.dateTimeChanged.connect(self.changed)
        self.accounts.changed.connect(self.changed)
        self.audience.currentIndexChanged.connect(self._audience_changed)
        self.tags.changed.connect(self.changed)
        self.images.changed.connect(self.changed)
        self._audience_changed()

    def _audience_changed(self) -> None:
        self.tags.setVisible(self.audience_mode() is not AudienceMode.EVERYONE)
        self.changed.emit()

    # -- values --------------------------------------------------------------------------------

    def kind_value(self) -> PostKind:
        return PostKind(combos.value(self.kind))

    def set_kind(self, kind: PostKind) -> None:
        self.kind.setCurrentIndex(combos.find(self.kind, kind.value))

    def audience_mode(self) -> AudienceMode:
        return AudienceMode(combos.value(self.audience))

    def set_audience(self, mode: AudienceMode) -> None:
        self.audience.setCurrentIndex(combos.find(self.audience, mode.value))

    def when_value(self) -> datetime:
        """The chosen wall-clock time in the seller's zone, timezone-aware."""
        qt = self.when.dateTime()
        d, t = qt.date(), qt.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=self._zone)

    def set_when(self, moment: datetime) -> None:
        local = moment.astimezone(self._zone)
        self.when.setDateTime(
            QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
        )

    def set_products(self, names: dict[int, str]) -> None:
        self.product_names = dict(names)
        self._show_products()
        self.changed.emit()

    def _show_products(self) -> None:
        names = self.product_names
        if names:
            text = QCoreApplication.translate("Composer", ", ").join(names.values())
        elif self.kind_value().is_sales:  # "a lifestyle post needs none" read wrong on 上新
            text = QCoreApplication.translate("Composer", "none yet: choose what this post sells")
        else:
            text = QCoreApplication.translate("Composer", "none (a lifestyle post needs none)")
        self.products.setText(text)
