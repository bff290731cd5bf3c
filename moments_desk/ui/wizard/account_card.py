"""One WeChat account in the wizard: name, nickname, WeChat ID and avatar picture."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QImageReader, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.setup.first_run import AccountSetup

AVATAR_SIZE = 64


class AccountCard(QFrame):
    """Emits ``changed`` on every edit so the page can re-check whether Next is allowed."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, number: int, removable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.avatar: Path | None = None
        self._number = number
        outer = QHBoxLayout(self)
        outer.setContentsMargins(14, 12, 14, 12)
        outer.setSpacing(14)

        avatar_column = QVBoxLayout()
        self.avatar_view = QLabel()
        self.avatar_view.setFixedSize(QSize(AVATAR_SIZE, AVATAR_SIZE))
        self.avatar_view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.avatar_view.setObjectName("avatar")
        avatar_column.addWidget(self.avatar_view)
        self.avatar_button = QPushButton()
        self.avatar_button.clicked.connect(self.choose_avatar)
        avatar_column.addWidget(self.avatar_button)
        avatar_column.addStretch(1)
        outer.addLayout(avatar_column)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        self.remove_button = QPushButton()
        self.remove_button.setObjectName("danger")
        self.remove_button.setVisible(removable)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        title_row.addWidget(self.remove_button)
        form.addRow(title_row)
        self.label = QLineEdit()
        self.label.setMaxLength(60)
        self.nickname = QLineEdit()
        self.nickname.setMaxLength(60)
        self.wechat_id = QLineEdit()
        self.wechat_id.setMaxLength(60)
        for edit in (self.label, self.nickname, self.wechat_id):
            edit.textChanged.connect(self.changed)
        self.label_caption = QLabel()
        self.nickname_caption = QLabel()
        self.wechat_id_caption = QLabel()
        form.addRow(self.label_caption, self.label)
        form.addRow(self.nickname_caption, self.nickname)
        form.addRow(self.wechat_id_caption, self.wechat_id)
        outer.addLayout(form, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(
            QCoreApplication.translate("Wizard", "WeChat account {n}").format(n=self._number)
        )
        self.label_caption.setText(QCoreApplication.translate("Wizard", "Name in this app *"))
        self.label.setPlaceholderText(QCoreApplication.translate("Wizard", "e.g. 主号"))
        self.nickname_caption.setText(QCoreApplication.translate("Wizard", "WeChat nickname"))
        self.nickname.setPlaceholderText(
            QCoreApplication.translate("Wizard", "the name friends see above your posts")
        )
        self.wechat_id_caption.setText(QCoreApplication.translate("Wizard", "WeChat ID"))
        self.wechat_id.setPlaceholderText(QCoreApplication.translate("Wizard", "optional"))
        self.avatar_button.setText(
            QCoreApplication.translate("Wizard", "Change…")
            if self.avatar
            else QCoreApplication.translate("Wizard", "Avatar…")
        )
        self.avatar_button.setToolTip(
            QCoreApplication.translate(
                "Wizard",
                "The profile picture of this WeChat account, shown in the Moments preview. "
                "Save it from WeChat or take a screenshot.",
            )
        )
        self.remove_button.setText(QCoreApplication.translate("Wizard", "Remove"))
        if self.avatar is None:
            self.avatar_view.setText(QCoreApplication.translate("Wizard", "No\navatar"))

    def set_number(self, number: int) -> None:
        self._number = number
        self.retranslate()

    def choose_avatar(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            QCoreApplication.translate("Wizard", "Choose the avatar picture"),
            str(Path.home()),
            QCoreApplication.translate(
                "Wizard", "Pictures (*.jpg *.jpeg *.png *.webp *.gif *.heic *.heif)"
            ),
        )
        if name:
            self.set_avatar(Path(name))

    def set_avatar(self, path: Path) -> None:
        """Show a preview; the picture itself is checked and stored when the shop is created."""
        reader = QImageReader(str(path))
        reader.setAutoTransform(True)
        original = reader.size()
        if original.isValid():
            reader.setScaledSize(
                original.scaled(
                    AVATAR_SIZE, AVATAR_SIZE, Qt.AspectRatioMode.KeepAspectRatioByExpanding
                )
            )
        image = reader.read()
        self.avatar = path
        if image.isNull():
            # HEIC and friends: Qt cannot preview them, the media store (Pillow) can read them.
            self.avatar_view.setPixmap(QPixmap())
            self.avatar_view.setText(path.suffix.upper().lstrip(".") or "?")
        else:
            self.avatar_view.setPixmap(QPixmap.fromImage(image))
        self.avatar_view.setToolTip(path.name)
        self.retranslate()
        self.changed.emit()

    def is_complete(self) -> bool:
        return bool(self.label.text().strip())

    def setup(self) -> AccountSetup:
        return AccountSetup(
            label=self.label.text().strip(),
            nickname=self.nickname.text().strip(),
            wechat_id=self.wechat_id.text().strip(),
            avatar=self.avatar,
        )
