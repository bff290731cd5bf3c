"""The wizard's pages. Every text is set in ``retranslate`` so the language switches live."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QCoreApplication, Qt, QTime
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from moments_desk.core.planning.cadence_presets import CustomCadence, Preset, RuleDefaults
from moments_desk.core.setup.first_run import AccountSetup, ExistingShop
from moments_desk.ui.kit import combo as combos
from moments_desk.ui.wizard.account_card import AccountCard
from moments_desk.ui.wizard.base import PAGE_DEMO, PAGE_SHOP, WizardHost, WizardPage, wrapped
from moments_desk.ui.wizard.rules import rule_texts


def _qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


# ---------------------------------------------------------------------------------- language


class LanguagePage(WizardPage):
    def __init__(self, language: str, existing: ExistingShop, at_start: bool) -> None:
        super().__init__()
        self._existing = existing
        self._at_start = at_start
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        self.intro = wrapped()
        layout.addWidget(self.intro)
        row = QHBoxLayout()
        self.language_caption = QLabel()
        self.language = QComboBox()
        # Each language named in itself so a seller can always find her own.
        self.language.addItem("简体中文", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, combos.find(self.language, language)))
        self.language.setMinimumWidth(200)
        row.addWidget(self.language_caption)
        row.addWidget(self.language)
        row.addStretch(1)
        layout.addLayout(row)
        self.language_note = wrapped("muted")
        layout.addWidget(self.language_note)
        layout.addSpacing(10)
        self.choice_caption = QLabel()
        self.choice_caption.setObjectName("sectionTitle")
        layout.addWidget(self.choice_caption)
        self.own_shop = QRadioButton()
        self.own_shop.setChecked(True)
        self.demo = QRadioButton()
        self.demo.setEnabled(existing.is_empty)
        group = QButtonGroup(self)
        group.addButton(self.own_shop)
        group.addButton(self.demo)
        layout.addWidget(self.own_shop)
        self.own_hint = wrapped("muted")
        self.own_hint.setIndent(24)
        layout.addWidget(self.own_hint)
        layout.addWidget(self.demo)
        self.demo_hint = wrapped("muted")
        self.demo_hint.setIndent(24)
        layout.addWidget(self.demo_hint)
        layout.addStretch(1)

    def retranslate(self) -> None:
        self.setTitle(QCoreApplication.translate("Wizard", "Welcome to Moments Desk"))
        self.setSubTitle(
            QCoreApplication.translate(
                "Wizard", "Two minutes from an empty shop to a planned first week."
            )
        )
        self.intro.setText(
            QCoreApplication.translate(
                "Wizard",
                "Moments Desk plans your Moments posts, prepares text and pictures, and keeps "
                "track of likes, customers and orders. It never controls WeChat: you always "
                "post from your phone yourself.",
            )
        )
        self.language_caption.setText(QCoreApplication.translate("Wizard", "Language"))
        self.language_note.setText(
            QCoreApplication.translate(
                "Wizard", "The wizard switches at once, and the app starts in this language."
            )
            if self._at_start
            else QCoreApplication.translate(
                "Wizard",
                "Saved: the app uses this language the next time it starts.",
            )
        )
        self.choice_caption.setText(
            QCoreApplication.translate("Wizard", "How do you want to start?")
        )
        self.own_shop.setText(QCoreApplication.translate("Wizard", "Set up my own shop"))
        self.own_hint.setText(
            QCoreApplication.translate(
                "Wizard",
                "Name your shop, add your WeChat accounts and choose a posting rhythm. Nothing "
                "is saved until you press “Create my shop”.",
            )
        )
        self.demo.setText(QCoreApplication.translate("Wizard", "Explore a demo shop first"))
        self.demo_hint.setText(
            QCoreApplication.translate(
                "Wizard",
                "Fills this data folder with a small clothing shop (products, friends, a month "
                "of posts and orders) to look around safely.",
            )
            if self._existing.is_empty
            else QCoreApplication.translate(
                "Wizard", "Only possible in an empty shop: this one already has data."
            )
        )

    def nextId(self) -> int:
        return PAGE_DEMO if self.demo.isChecked() else PAGE_SHOP


# ---------------------------------------------------------------------------------- shop


class ShopPage(WizardPage):
    def __init__(self, existing: ExistingShop) -> None:
        super().__init__()
        self._existing = existing
        self.cards: list[AccountCard] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.name_caption = QLabel()
        self.shop_name = QLineEdit(existing.name)
        self.shop_name.setMaxLength(60)
        self.shop_name.textChanged.connect(self.completeChanged)
        form.addRow(self.name_caption, self.shop_name)
        outer.addLayout(form)
        self.name_hint = wrapped("muted")
        outer.addWidget(self.name_hint)
        self.existing_label = wrapped("muted")
        self.existing_label.setVisible(bool(existing.accounts))
        outer.addWidget(self.existing_label)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.cards_layout = QVBoxLayout(body)
        self.cards_layout.setContentsMargins(0, 4, 0, 4)
        self.cards_layout.setSpacing(10)
        self.cards_layout.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton()
        self.add_button.clicked.connect(lambda: self.add_card())
        row.addWidget(self.add_button)
        self.accounts_hint = wrapped("muted")
        row.addWidget(self.accounts_hint, 1)
        outer.addLayout(row)
        self._default_label = ""
        if not existing.accounts:
            self.add_card()

    def add_card(self) -> AccountCard:
        removable = bool(self.cards) or bool(self._existing.accounts)
        card = AccountCard(len(self.cards) + 1, removable)
        card.changed.connect(self.completeChanged)
        card.remove_requested.connect(self._remove)
        self.cards_layout.insertWidget(self.cards_layout.count() - 1, card)
        self.cards.append(card)
        self.completeChanged.emit()
        return card

    def _remove(self, card: object) -> None:
        assert isinstance(card, AccountCard)
        self.cards.remove(card)
        card.deleteLater()
        for number, remaining in enumerate(self.cards, start=1):
            remaining.set_number(number)
        self.completeChanged.emit()

    def retranslate(self) -> None:
        self.setTitle(QCoreApplication.translate("Wizard", "Your shop and WeChat accounts"))
        self.setSubTitle(
            QCoreApplication.translate(
                "Wizard",
                "Every limit is kept per WeChat account, and each shows Moments to at most "
                "5,000 friends.",
            )
        )
        self.name_caption.setText(QCoreApplication.translate("Wizard", "Shop name *"))
        self.shop_name.setPlaceholderText(QCoreApplication.translate("Wizard", "e.g. 小棉袄的衣橱"))
        self.name_hint.setText(
            QCoreApplication.translate(
                "Wizard",
                "Also the watermark on pictures you export for Moments (change it in Settings).",
            )
        )
        self.existing_label.setText(
            QCoreApplication.translate("Wizard", "Already set up: {accounts}").format(
                accounts="、".join(self._existing.accounts)
            )
        )
        self.add_button.setText(QCoreApplication.translate("Wizard", "+ Add another account"))
        self.accounts_hint.setText(
            QCoreApplication.translate(
                "Wizard",
                "Nickname and avatar make the Moments preview look like your phone. You can "
                "change them later in Settings.",
            )
        )
        for card in self.cards:
            card.retranslate()
        # The suggested name of the first account follows the language until the seller types.
        default = QCoreApplication.translate("Wizard", "Main account")
        if self.cards and self.cards[0].label.text() in ("", self._default_label):
            self.cards[0].label.setText(default)
        self._default_label = default

    def isComplete(self) -> bool:
        if not self.shop_name.text().strip():
            return False
        if not self.cards and not self._existing.accounts:
            return False
        return all(card.is_complete() for card in self.cards)

    def validatePage(self) -> bool:
        ids = [card.wechat_id.text().strip() for card in self.cards]
        filled = [i for i in ids if i]
        if len(filled) != len(set(filled)):
            self.owner().warn(
                QCoreApplication.translate(
                    "Wizard", "Two accounts have the same WeChat ID. Each account needs its own."
                )
            )
            return False
        return True

    def accounts(self) -> tuple[AccountSetup, ...]:
        return tuple(card.setup() for card in self.cards)


# ---------------------------------------------------------------------------------- cadence


class CadencePage(WizardPage):
    def __init__(self, rules: RuleDefaults, has_existing_accounts: bool) -> None:
        super().__init__()
        self._rules = rules
        self._has_existing = has_existing_accounts
        self.setCommitPage(True)
        layout = QHBoxLayout(self)
        layout.setSpacing(18)

        left = QVBoxLayout()
        self.presets: dict[Preset, QRadioButton] = {}
        self.preset_hints: dict[Preset, QLabel] = {}
        group = QButtonGroup(self)
        for preset in Preset:
            button = QRadioButton()
            button.toggled.connect(self._preset_toggled)
            group.addButton(button)
            self.presets[preset] = button
            hint = wrapped("muted")
            hint.setIndent(24)
            self.preset_hints[preset] = hint
            left.addWidget(button)
            left.addWidget(hint)
            if preset is Preset.CUSTOM:
                left.addWidget(self._custom_box())
        left.addStretch(1)
        self.applies_to = wrapped("muted")
        left.addWidget(self.applies_to)
        layout.addLayout(left, 5)

        rules_box = QFrame()
        rules_box.setObjectName("card")
        grid = QGridLayout(rules_box)
        grid.setContentsMargins(14, 12, 14, 12)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        self.rules_title = QLabel()
        self.rules_title.setObjectName("sectionTitle")
        grid.addWidget(self.rules_title, 0, 0)
        self.rule_labels: dict[str, tuple[QLabel, QLabel]] = {}
        for row, text in enumerate(rule_texts(rules), start=1):
            headline = QLabel()
            headline.setObjectName("ruleHeadline")
            sentence = wrapped("muted")
            box = QVBoxLayout()
            box.setSpacing(0)
            box.addWidget(headline)
            box.addWidget(sentence)
            grid.addLayout(box, row, 0)
            self.rule_labels[text.key] = (headline, sentence)
        self.rules_footer = wrapped("muted")
        grid.addWidget(self.rules_footer, len(self.rule_labels) + 1, 0)
        grid.setRowStretch(len(self.rule_labels) + 2, 1)
        layout.addWidget(rules_box, 4)
        self.presets[Preset.TUE_THU_NEW_DAILY_LIFE].setChecked(True)

    def _custom_box(self) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(24, 0, 0, 6)
        self.custom_days: list[QCheckBox] = []
        days = QHBoxLayout()
        for day in range(7):
            check = QCheckBox()
            check.setChecked(day in CustomCadence().new_arrival_weekdays)
            self.custom_days.append(check)
            days.addWidget(check)
        days.addStretch(1)
        self.custom_days_caption = QLabel()
        grid.addWidget(self.custom_days_caption, 0, 0)
        grid.addLayout(days, 0, 1)
        self.custom_time_caption = QLabel()
        self.custom_time = QTimeEdit(_qtime(CustomCadence().new_arrival_time))
        self.custom_time.setDisplayFormat("HH:mm")
        grid.addWidget(self.custom_time_caption, 1, 0)
        grid.addWidget(self.custom_time, 1, 1, Qt.AlignmentFlag.AlignLeft)
        self.custom_daily = QCheckBox()
        self.custom_daily.setChecked(True)
        default_share = CustomCadence().daily_share_time or time(12, 0)
        self.custom_daily_time = QTimeEdit(_qtime(default_share))
        self.custom_daily_time.setDisplayFormat("HH:mm")
        self.custom_daily.toggled.connect(self.custom_daily_time.setEnabled)
        grid.addWidget(self.custom_daily, 2, 0)
        grid.addWidget(self.custom_daily_time, 2, 1, Qt.AlignmentFlag.AlignLeft)
        self.custom_box = box
        box.setEnabled(False)
        for check in self.custom_days:
            check.toggled.connect(self.completeChanged)
        return box

    def _preset_toggled(self) -> None:
        self.custom_box.setEnabled(self.presets[Preset.CUSTOM].isChecked())
        self.completeChanged.emit()

    def preset(self) -> Preset:
        return next(p for p, button in self.presets.items() if button.isChecked())

    def custom(self) -> CustomCadence | None:
        if self.preset() is not Preset.CUSTOM:
            return None
        at = self.custom_time.time()
        share = self.custom_daily_time.time()
        return CustomCadence(
            new_arrival_weekdays=tuple(d for d, c in enumerate(self.custom_days) if c.isChecked()),
            new_arrival_time=time(at.hour(), at.minute()),
            daily_share_time=time(share.hour(), share.minute())
            if self.custom_daily.isChecked()
            else None,
        )

    def isComplete(self) -> bool:
        wizard = self.wizard()
        if isinstance(wizard, WizardHost) and wizard.committed:
            return True
        if self.presets[Preset.CUSTOM].isChecked():
            return any(c.isChecked() for c in self.custom_days) or self.custom_daily.isChecked()
        return True

    def retranslate(self) -> None:
        self.setTitle(QCoreApplication.translate("Wizard", "Your posting rhythm"))
        self.setSubTitle(
            QCoreApplication.translate(
                "Wizard",
                "Friends learn when to expect you. The Planner turns this rhythm into drafts "
                "each week; change it there any time.",
            )
        )
        texts = {
            Preset.TUE_THU_NEW_DAILY_LIFE: (
                QCoreApplication.translate(
                    "Wizard", "Tue & Thu 20:00 new arrivals + daily 12:00 life post"
                ),
                QCoreApplication.translate(
                    "Wizard",
                    "New arrivals every Tuesday and Thursday evening, one product each, and a "
                    "daily lunchtime post about life or styling drafted from the content library.",
                ),
            ),
            Preset.DAILY_PICK: (
                QCoreApplication.translate("Wizard", "Daily 21:00 #DailyPick# (#每日一荐#)"),
                QCoreApplication.translate(
                    "Wizard",
                    "One recommended product every evening, its copy changing from day to day.",
                ),
            ),
            Preset.CUSTOM: (
                QCoreApplication.translate("Wizard", "My own days and time"),
                QCoreApplication.translate(
                    "Wizard", "Choose the days for new arrivals and an optional daily post."
                ),
            ),
            Preset.NONE: (
                QCoreApplication.translate("Wizard", "No rhythm yet"),
                QCoreApplication.translate(
                    "Wizard", "Plan each post by hand in the Planner for now."
                ),
            ),
        }
        for preset, (headline, hint) in texts.items():
            self.presets[preset].setText(headline.replace("&", "&&"))  # not a mnemonic
            self.preset_hints[preset].setText(hint)
        day_names = [
            QCoreApplication.translate("Wizard", "Mon"),
            QCoreApplication.translate("Wizard", "Tue"),
            QCoreApplication.translate("Wizard", "Wed"),
            QCoreApplication.translate("Wizard", "Thu"),
            QCoreApplication.translate("Wizard", "Fri"),
            QCoreApplication.translate("Wizard", "Sat"),
            QCoreApplication.translate("Wizard", "Sun"),
        ]
        for check, name in zip(self.custom_days, day_names, strict=True):
            check.setText(name)
        self.custom_days_caption.setText(QCoreApplication.translate("Wizard", "New arrivals on"))
        self.custom_time_caption.setText(QCoreApplication.translate("Wizard", "at"))
        self.custom_daily.setText(QCoreApplication.translate("Wizard", "Daily life post at"))
        self.applies_to.setText(
            QCoreApplication.translate("Wizard", "Applied to every account that has no rhythm yet.")
            if self._has_existing
            else QCoreApplication.translate("Wizard", "Applied to each of your accounts.")
        )
        self.rules_title.setText(
            QCoreApplication.translate("Wizard", "Anti-spam limits (per account)")
        )
        for rule in rule_texts(self._rules):
            head_label, sentence_label = self.rule_labels[rule.key]
            head_label.setText(rule.headline)
            sentence_label.setText(rule.sentence)
            for label in (head_label, sentence_label):
                label.setToolTip(rule.tooltip)
        self.rules_footer.setText(
            QCoreApplication.translate(
                "Wizard",
                "Limits marked ⛔ and wording WeChat forbids (集赞, 转发抽奖, 助力, 淘口令) stop "
                "scheduling; the rest are warnings. Change the limits per account in Settings.",
            )
        )
        self.setButtonText(
            QWizard.WizardButton.CommitButton,
            QCoreApplication.translate("Wizard", "Create my shop"),
        )

    def validatePage(self) -> bool:
        return self.owner().commit()
