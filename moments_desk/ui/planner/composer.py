"""The post composer: the form on the left, the Moments preview and the warnings on the right.

The preview and the per-post checks (pictures, fold, forbidden text, placeholders) update on
every keystroke without the database; the time rules against the rest of the plan are
re-checked on the DB thread a moment after the seller stops typing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import shiboken6
from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from moments_desk.core.catalogue.catalogue import ProductImageRef
from moments_desk.core.planning import copy_bank
from moments_desk.core.planning.composer_lookups import (
    ComposerData,
    LinkedProduct,
    load_composer,
)
from moments_desk.core.planning.composing import save_draft
from moments_desk.core.planning.errors import PlanningError
from moments_desk.core.planning.post_views import PostDraft, PostView
from moments_desk.core.planning.posts import RuleRefusal, delete_post, schedule_post
from moments_desk.core.planning.rules import RuleSettings, RuleViolation, after_quiet_hours
from moments_desk.core.planning.wording import forbidden_text
from moments_desk.core.shared import uow
from moments_desk.core.team.accounts import AccountSummary
from moments_desk.db.models import PostStatus
from moments_desk.ui.context import AppContext
from moments_desk.ui.kit import labels
from moments_desk.ui.kit.list_view import show_failure
from moments_desk.ui.kit.tasks import LatestOnly
from moments_desk.ui.kit.thumbnails import ThumbnailCache
from moments_desk.ui.planner.composer_checks import ComposerChecks
from moments_desk.ui.planner.composer_form import ComposerForm
from moments_desk.ui.planner.messages import planning_error, violation_line
from moments_desk.ui.planner.preview import MomentsPreview
from moments_desk.ui.planner.product_refresh import refresh_button
from moments_desk.ui.planner.warnings_list import Warning, WarningsList
from moments_desk.ui.planner.wording_override import ask_override_reason, only_wording_blocks

#: How long the seller pauses typing before the draft is checked against the plan.
CHECK_DELAY_MS = 300


class ComposerDialog(ComposerChecks):
    saved = Signal()

    def __init__(
        self,
        ctx: AppContext,
        account_id: int,
        post_id: int | None,
        *,
        slot_id: int | None = None,
        when: datetime | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.account_id = account_id
        self.post_id = post_id
        self.slot_id = slot_id
        self.view: PostView | None = None
        self.wording_override = ""
        #: after a conflicting save: the other computer's version, so saving again keeps ours
        self._conflict_base: PostDraft | None = None
        self.accounts: list[AccountSummary] = []
        self.products: list[LinkedProduct] = []
        self.media: dict[int, ProductImageRef] = {}
        self.plan_warnings: list[RuleViolation] = []
        self.dirty = False
        self.last_refusal = ""
        self._close_after_save = False
        self._loading = True
        self._local_warnings: list[Warning] = []
        self._rule_settings: dict[int, RuleSettings] = {}
        self._checks = LatestOnly(ctx.executor)
        self.setWindowTitle(
            QCoreApplication.translate("Composer", "New post")
            if post_id is None
            else QCoreApplication.translate("Composer", "Edit post")
        )
        self.resize(1180, 780)
        paths = ctx.shop.paths
        self.thumbnails = ThumbnailCache(paths.media, paths.thumbnails, 240, self)

        outer = QVBoxLayout(self)
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        outer.addWidget(self.error)
        splitter = QSplitter()
        self.form = ComposerForm(self.thumbnails, ctx.zone)
        # Icons that arrive late change the strip's cells; lay them out again.
        self.thumbnails.ready.connect(lambda _: self.form.images.doItemsLayout())
        form_scroll = QScrollArea()
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        form_scroll.setWidget(self.form)
        splitter.addWidget(form_scroll)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(12, 0, 0, 0)
        caption = QLabel(QCoreApplication.translate("Composer", "How friends will see it"))
        caption.setObjectName("sectionTitle")
        right_layout.addWidget(caption)
        phone = QFrame()
        phone.setObjectName("phone")
        phone.setStyleSheet(
            "QFrame#phone { background: #EDEDED; border: 1px solid #D9D9D9; border-radius: 14px; }"
        )
        phone_layout = QVBoxLayout(phone)
        phone_layout.setContentsMargins(10, 10, 10, 10)
        self.preview = MomentsPreview(self.thumbnails)
        self.preview.setMinimumWidth(360)
        phone_layout.addWidget(self.preview)
        right_layout.addWidget(phone)
        checks = QLabel(QCoreApplication.translate("Composer", "Checks"))
        checks.setObjectName("sectionTitle")
        right_layout.addWidget(checks)
        self.warnings = WarningsList()
        warnings_scroll = QScrollArea()
        warnings_scroll.setWidgetResizable(True)
        warnings_scroll.setFrameShape(QFrame.Shape.NoFrame)
        warnings_scroll.setWidget(self.warnings)
        right_layout.addWidget(warnings_scroll, 2)
        splitter.addWidget(right)
        splitter.setSizes([620, 460])
        outer.addWidget(splitter, 1)

        buttons = QHBoxLayout()
        self.delete_button = QPushButton(QCoreApplication.translate("Composer", "Delete…"))
        self.delete_button.setObjectName("danger")
        self.delete_button.clicked.connect(self.delete)
        self.delete_button.setEnabled(post_id is not None)
        buttons.addWidget(self.delete_button)
        self.status_label = QLabel()
        self.status_label.setObjectName("muted")
        buttons.addWidget(self.status_label, 1)
        self.refresh_products = refresh_button(self)
        buttons.addWidget(self.refresh_products)
        self.close_button = QPushButton(QCoreApplication.translate("Composer", "Close"))
        self.close_button.clicked.connect(self.reject)
        self.save_button = QPushButton(QCoreApplication.translate("Composer", "Save draft"))
        self.save_button.setToolTip("Ctrl+S")
        self.save_button.clicked.connect(lambda: self.save(schedule=False))
        self.schedule_button = QPushButton(QCoreApplication.translate("Composer", "Schedule"))
        self.schedule_button.setObjectName("primary")
        self.schedule_button.setToolTip("Ctrl+Enter")
        self.schedule_button.clicked.connect(lambda: self.save(schedule=True))
        self.phone_button = QPushButton(QCoreApplication.translate("Composer", "Send to phone"))
        self.phone_button.setEnabled(post_id is not None)
        self.phone_button.clicked.connect(self.send_to_phone)
        for button in (
            self.phone_button,
            self.close_button,
            self.save_button,
            self.schedule_button,
        ):
            buttons.addWidget(button)
        outer.addLayout(buttons)

        for keys, slot in (
            (QKeySequence.StandardKey.Save, lambda: self.save(schedule=False)),
            (QKeySequence("Ctrl+Return"), lambda: self.save(schedule=True)),
            (QKeySequence("Ctrl+Enter"), lambda: self.save(schedule=True)),
        ):
            QShortcut(keys, self).activated.connect(slot)

        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self._check_plan)
        self.form.changed.connect(self._changed)
        self.form.pick_products.connect(self.pick_products)
        self.form.add_product_pictures.connect(self.add_product_pictures)
        self.form.add_files.connect(self.add_files)
        self.form.nine_grid.connect(self.nine_grid)
        self._suggested_when = when is None
        start = when or (ctx.clock.now() + timedelta(hours=1)).replace(
            minute=0, second=0, microsecond=0
        )
        self.form.set_when(start)
        self._load()

    # -- loading -------------------------------------------------------------------------------

    def _load(self) -> None:
        ctx, post_id, account_id = self._ctx, self.post_id, self.account_id
        media_root, zone = ctx.shop.paths.media, ctx.zone

        self._ctx.executor.submit(
            lambda: uow.read(
                ctx.shop.sessions,
                lambda s: load_composer(s, account_id, post_id, media_root, zone),
            ),
            self._fill,
            self._failed,
        )

    def _fill(self, loaded: ComposerData) -> None:
        if not shiboken6.isValid(self.form):
            return
        view, accounts, tags, products = loaded.view, loaded.accounts, loaded.tags, loaded.products
        media, slots, rules = loaded.media, loaded.slots, loaded.rules
        self.view = view
        self.accounts = accounts
        self.products = products
        self.media = media
        form = self.form
        templates = [
            (s.spec.label or labels.post_kind(s.spec.kind), s.spec.template)
            for s in slots
            if s.spec.template
        ]
        templates += [
            (f"{labels.post_kind(kind)} {n}", text)
            for kind, texts in copy_bank.BY_KIND.items()
            for n, text in enumerate(texts, 1)
        ]
        back = QCoreApplication.translate("Composer", "Back in stock {n}")
        collection = QCoreApplication.translate("Composer", "Collection {n}")
        templates += [(back.format(n=n), t) for n, t in enumerate(copy_bank.RETURN, 1)]
        templates += [(collection.format(n=n), t) for n, t in enumerate(copy_bank.COLLECTION, 1)]
        form.tools.set_templates(templates)
        checked_accounts = {a.id for a in view.accounts} if view else {self.account_id}
        form.accounts.set_choices([(a.id, a.label) for a in accounts], checked_accounts)
        form.tags.set_choices(tags, {t.id for t in view.audience_tags} if view else set())
        if view is not None:
            form.text.setPlainText(view.text)
            self.wording_override = view.wording_override
            self.refresh_products.setVisible(view.products_changed)
            form.set_kind(view.kind)
            form.set_audience(view.audience_mode)
            if view.scheduled_at is not None:
                form.set_when(view.scheduled_at)
            self.slot_id = view.slot_id
            form.images.set_images([(i.media_id, self._rel(i.media_id)) for i in view.images])
            editable = view.status not in (PostStatus.POSTED, PostStatus.SKIPPED)
            for button in (self.save_button, self.schedule_button):
                button.setEnabled(editable)
            self.status_label.setText(
                QCoreApplication.translate("Composer", "Status: {status}").format(
                    status=labels.post_status(view.status)
                )
            )
        else:
            if self._suggested_when:
                # "New post" at night: suggest the morning rather than a time the rules refuse.
                form.set_when(after_quiet_hours(form.when_value(), self._ctx.zone, rules))
            slot = next((s for s in slots if s.id == self.slot_id), None)
            if slot is not None:
                form.set_kind(slot.spec.kind)
                form.text.setPlainText(slot.spec.template)
        form.set_products({p.id: p.label for p in products})
        self._loading = False
        self.dirty = False
        self.refresh()

    def _rel(self, media_id: int) -> str:
        ref = self.media.get(media_id)
        return ref.rel_path if ref else ""

    # -- saving --------------------------------------------------------------------------------

    def hard_problems(self) -> list[str]:
        return [w.text for w in self.warnings.blocking]

    def save(self, *, schedule: bool) -> None:
        if not self.save_button.isEnabled():
            return
        if schedule and (problems := self.hard_problems()):
            item = self.plan_item(self.draft())
            if not only_wording_blocks(item, self._settings_for(item), len(problems)):
                self.refuse(problems)
                return
            phrases = "、".join(f"“{w.phrase}”" for w in forbidden_text(item.text) if w.hard)
            reason = ask_override_reason(self, phrases)
            if not reason:
                self.refuse(problems)
                return
            self.wording_override = reason
        if not self.form.accounts.checked():
            self.show_error(
                QCoreApplication.translate("Composer", "Choose at least one WeChat account.")
            )
            return
        ctx, draft, post_id = self._ctx, self.draft(), self.post_id
        media_root, zone = ctx.shop.paths.media, ctx.zone
        override = self.wording_override

        user = ctx.user_id
        if draft.author_id is None:
            draft.author_id = user
        base = self._conflict_base or (self.view.to_draft() if self.view else None)

        def saved(new_id: int) -> None:
            self.post_id = new_id
            self._conflict_base = None
            self.dirty = False
            self.delete_button.setEnabled(True)
            self.phone_button.setEnabled(True)
            self.saved.emit()
            if not schedule:
                self.status_label.setText(QCoreApplication.translate("Composer", "Draft saved."))
                if self._close_after_save:
                    self.accept()
                return
            ctx.executor.submit(
                lambda: uow.write(
                    ctx.shop.sessions,
                    lambda s: schedule_post(
                        s, new_id, media_root, zone, user_id=user, wording_override=override
                    ),
                ),
                self._scheduled,
                self._schedule_failed,
            )

        ctx.executor.submit(
            lambda: uow.write(
                ctx.shop.sessions, lambda s: save_draft(s, post_id, draft, user, base)
            ),
            saved,
            self._failed,
        )

    def send_to_phone(self) -> None:
        """The saved post to the phone: unsaved edits would not reach it, so save comes first."""
        from moments_desk.ui.relay.dialog import RelayTarget, open_relay

        if self.dirty or self.post_id is None:
            self.status_label.setText(
                QCoreApplication.translate("Composer", "Save the post first, then send it.")
            )
            return
        open_relay(self._ctx, RelayTarget(post_id=self.post_id), self)

    def _scheduled(self, _: object) -> None:
        self.saved.emit()
        self.dirty = False
        self.accept()

    def _schedule_failed(self, error: BaseException) -> None:
        if isinstance(error, RuleRefusal):
            self.refuse([violation_line(v, self._ctx.language) for v in error.violations])
        else:
            self._failed(error)

    def refuse(self, problems: list[str]) -> None:
        self.last_refusal = "\n".join(problems)
        self.show_error(
            QCoreApplication.translate(
                "Composer",
                "Not scheduled: the post breaks a rule. Saved as a draft if you saved.\n{rules}",
            ).format(rules=self.last_refusal)
        )
        QMessageBox.warning(
            self,
            QCoreApplication.translate("Composer", "Not scheduled"),
            self.last_refusal,
        )

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def delete(self) -> None:
        post_id = self.post_id
        if post_id is None:
            return
        answer = QMessageBox.question(
            self,
            QCoreApplication.translate("Composer", "Delete post"),
            QCoreApplication.translate(
                "Composer", "Delete this post? Its text and picture order are lost."
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        ctx = self._ctx

        def done(_: object) -> None:
            self.saved.emit()
            self.dirty = False
            self.accept()

        user = ctx.user_id
        ctx.executor.submit(
            lambda: uow.write(ctx.shop.sessions, lambda s: delete_post(s, post_id, user_id=user)),
            done,
            self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, PlanningError):
            # Saving again keeps the seller's text over what the other computer saved.
            conflict = getattr(error, "conflict", None)
            if conflict is not None:
                base = self._conflict_base or (self.view.to_draft() if self.view else None)
                self._conflict_base = conflict.rebased(base)
            self.show_error(planning_error(error, self._ctx.language))
        else:
            show_failure(self, error)

    # -- closing -------------------------------------------------------------------------------

    def reject(self) -> None:
        if self.dirty:
            answer = QMessageBox.question(
                self,
                QCoreApplication.translate("Composer", "Unsaved changes"),
                QCoreApplication.translate(
                    "Composer", "This post has unsaved changes. Save them as a draft?"
                ),
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save:
                self._close_after_save = True
                self.save(schedule=False)
                return
        self.dirty = False
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.dirty:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)
