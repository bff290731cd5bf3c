"""The wizard's pages after the shop is created: imports, where the data lives, the demo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from moments_desk.core.setup.first_run import FirstRunResult
from moments_desk.ui.wizard.base import WizardPage, wrapped
from moments_desk.ui.wizard.importers import importers

# ---------------------------------------------------------------------------------- import


class ImportPage(WizardPage):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        self.created = wrapped()
        self.created.setObjectName("successText")
        layout.addWidget(self.created)
        self.intro = wrapped()
        layout.addWidget(self.intro)
        self.rows: list[tuple[QPushButton, QLabel, QLabel]] = []
        for importer in importers():
            button = QPushButton()
            button.clicked.connect(lambda _=False, imp=importer: self.owner().run_importer(imp))
            hint = wrapped("muted")
            outcome = wrapped("cardHint")
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            layout.addWidget(hint)
            layout.addWidget(outcome)
            self.rows.append((button, hint, outcome))
        self.later = wrapped("muted")
        layout.addWidget(self.later)
        layout.addStretch(1)

    def show_outcome(self, key: str, text: str) -> None:
        for importer, (_, _, outcome) in zip(importers(), self.rows, strict=True):
            if importer.key == key:
                outcome.setText(text)

    def show_created(self, result: FirstRunResult) -> None:
        self._result = result
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(QCoreApplication.translate("Wizard", "Bring in what you already have"))
        self.setSubTitle(
            QCoreApplication.translate(
                "Wizard", "Optional: skip this and add products and friends later."
            )
        )
        result: FirstRunResult | None = getattr(self, "_result", None)
        if result is not None:
            accounts = len(result.account_ids)
            self.created.setText(
                QCoreApplication.translate(
                    "Wizard",
                    "Your shop is created: %n new account(s), {slots} weekly posting slots.",
                    "",
                    accounts,
                ).format(slots=len(result.slot_ids))
            )
        self.intro.setText(
            QCoreApplication.translate(
                "Wizard",
                "Each import shows every row first and saves all of it or nothing, so a wrong "
                "file never leaves half a catalogue behind.",
            )
        )
        for importer, (button, hint, _) in zip(importers(), self.rows, strict=True):
            button.setText(importer.label())
            hint.setText(importer.hint())
        self.later.setText(
            QCoreApplication.translate(
                "Wizard", "Later: Products → Import… and Customers in the main window."
            )
        )


# ---------------------------------------------------------------------------------- data folder


class DataFolderBox(QFrame):
    def __init__(self, data_dir: str, backups_dir: str) -> None:
        super().__init__()
        self.setObjectName("card")
        self._folders = (data_dir, backups_dir)
        grid = QGridLayout(self)
        grid.setContentsMargins(14, 12, 14, 12)
        self.data_caption = QLabel()
        self.backups_caption = QLabel()
        self.buttons: list[QPushButton] = []
        for row, (caption, folder) in enumerate(
            ((self.data_caption, data_dir), (self.backups_caption, backups_dir))
        ):
            path = QLabel(folder)
            path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            path.setWordWrap(True)
            button = QPushButton()
            button.clicked.connect(lambda _=False, f=folder: self._open(f))
            grid.addWidget(caption, row, 0)
            grid.addWidget(path, row, 1)
            grid.addWidget(button, row, 2)
            self.buttons.append(button)
        grid.setColumnStretch(1, 1)

    def _open(self, folder: str) -> None:
        Path(folder).mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(folder))

    def retranslate(self) -> None:
        self.data_caption.setText(QCoreApplication.translate("Wizard", "Your data"))
        self.backups_caption.setText(QCoreApplication.translate("Wizard", "Backups"))
        for button in self.buttons:
            button.setText(QCoreApplication.translate("Wizard", "Open folder"))


class DonePage(WizardPage):
    def __init__(self, data_dir: str, backups_dir: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        self.intro = wrapped()
        layout.addWidget(self.intro)
        self.folders = DataFolderBox(data_dir, backups_dir)
        layout.addWidget(self.folders)
        self.safety = wrapped("muted")
        layout.addWidget(self.safety)
        self.next_steps_title = QLabel()
        self.next_steps_title.setObjectName("sectionTitle")
        layout.addWidget(self.next_steps_title)
        self.next_steps = wrapped()
        layout.addWidget(self.next_steps)
        self.guide_button = QPushButton()
        self.guide_button.clicked.connect(lambda: self.owner().show_guide())
        layout.addWidget(self.guide_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def retranslate(self) -> None:
        self.setTitle(QCoreApplication.translate("Wizard", "Where your shop lives"))
        self.setSubTitle(
            QCoreApplication.translate(
                "Wizard", "Everything stays on this computer, in one folder you control."
            )
        )
        self.intro.setText(
            QCoreApplication.translate(
                "Wizard",
                "Your products, friends, posts and pictures are kept in the data folder. "
                "Before every update the app copies the database into the backups folder.",
            )
        )
        self.folders.retranslate()
        self.safety.setText(
            QCoreApplication.translate(
                "Wizard",
                "Copy the whole data folder to a USB disk or cloud drive now and then: if WeChat "
                "ever restricts an account, your customers are still here.",
            )
        )
        self.next_steps_title.setText(QCoreApplication.translate("Wizard", "Your week from here"))
        self.next_steps.setText(
            QCoreApplication.translate(
                "Wizard",
                "1. Plan the week  2. Review the drafts  3. Post from the publish helper  "
                "4. Record likes  5. Allocate  6. Ship",
            )
        )
        self.guide_button.setText(QCoreApplication.translate("Wizard", "Show the quick guide (F1)"))


class DemoPage(WizardPage):
    def __init__(self, data_dir: str, backups_dir: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        self.intro = wrapped()
        layout.addWidget(self.intro)
        self.folders = DataFolderBox(data_dir, backups_dir)
        layout.addWidget(self.folders)
        self.fresh = wrapped("muted")
        layout.addWidget(self.fresh)
        layout.addStretch(1)

    def retranslate(self) -> None:
        self.setTitle(QCoreApplication.translate("Wizard", "A demo shop to explore"))
        self.setSubTitle(
            QCoreApplication.translate("Wizard", "Press Finish to fill this shop with the demo.")
        )
        self.intro.setText(
            QCoreApplication.translate(
                "Wizard",
                "The demo is a small clothing shop, 小棉袄的衣橱: two WeChat accounts, 60 "
                "products, 400 friend-customers and a month of posts, likes, comments and "
                "orders. Click around freely; nothing is sent anywhere.",
            )
        )
        self.folders.retranslate()
        self.fresh.setText(
            QCoreApplication.translate(
                "Wizard",
                "To start your real shop afterwards: quit the app, rename or delete the data "
                "folder above, and start again. This wizard then greets you again.",
            )
        )
