"""The composer's live preview and checks: the Moments preview, the per-post checks
(pictures, fold, forbidden text, placeholders) on every keystroke without the database, and
the time rules against the rest of the plan, re-checked on the database thread a moment
after the seller stops typing."""

from __future__ import annotations

from dataclasses import replace

import shiboken6
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtWidgets import QTextEdit

from moments_desk.core.catalogue.catalogue import ProductImageRef
from moments_desk.core.planning.composer_lookups import LinkedProduct
from moments_desk.core.planning.composing import PlanCheck, check_against_plan
from moments_desk.core.planning.post_views import PostView
from moments_desk.core.planning.posts import PostDraft
from moments_desk.core.planning.rules import (
    TIME_RULES,
    PlanItem,
    RuleSettings,
    RuleViolation,
    check_post,
)
from moments_desk.core.planning.templates import (
    TemplateContext,
    TemplateError,
    render_template,
)
from moments_desk.core.planning.wording import forbidden_text
from moments_desk.core.shared import uow
from moments_desk.core.team.accounts import AccountSummary
from moments_desk.db.models import AudienceMode, PostStatus
from moments_desk.ui.kit.tasks import LatestOnly
from moments_desk.ui.planner.composer_pictures import ComposerPictures
from moments_desk.ui.planner.messages import planning_error, violation_line
from moments_desk.ui.planner.preview import MomentsPreview, PreviewPost, relative_time
from moments_desk.ui.planner.warnings_list import Warning, WarningsList

#: The unsaved post in rule checks (real posts have positive ids).
NEW_POST_ID = 0


class ComposerChecks(ComposerPictures):
    """The part of ``ComposerDialog`` that shows the post as friends will see it and what
    it breaks."""

    account_id: int
    post_id: int | None
    slot_id: int | None
    view: PostView | None
    wording_override: str
    accounts: list[AccountSummary]
    products: list[LinkedProduct]
    media: dict[int, ProductImageRef]
    plan_warnings: list[RuleViolation]
    dirty: bool
    preview: MomentsPreview
    warnings: WarningsList
    _loading: bool
    _local_warnings: list[Warning]
    _rule_settings: dict[int, RuleSettings]
    _checks: LatestOnly
    _check_timer: QTimer

    def _changed(self) -> None:
        if self._loading:
            return
        self.dirty = True
        self.refresh()

    def rendered_text(self) -> tuple[str, TemplateError | None]:
        account = next((a for a in self.accounts if a.id in self.form.accounts.checked()), None)
        context = TemplateContext(
            products=[p.template for p in self.products],
            shop=(account.nickname or account.label) if account else "",
            day=self.form.when_value().date(),
        )
        raw = self.form.text.toPlainText()
        try:
            return render_template(raw, context), None
        except TemplateError as error:
            return raw, error

    def draft(self) -> PostDraft:
        text, _ = self.rendered_text()
        form = self.form
        audience = form.audience_mode()
        return PostDraft(
            kind=form.kind_value(),
            text=text,
            account_ids=form.accounts.checked(),
            image_media_ids=form.images.media_ids(),
            product_ids=[p.id for p in self.products],
            audience_mode=audience,
            audience_tag_ids=form.tags.checked() if audience is not AudienceMode.EVERYONE else [],
            scheduled_at=form.when_value(),
            author_id=self.view.author_id if self.view else None,
            slot_id=self.slot_id,
        )

    def plan_item(self, draft: PostDraft) -> PlanItem:
        missing = tuple(
            i.original_name or i.path.name
            for i in (self.view.images if self.view else ())
            if not i.exists and i.media_id in draft.image_media_ids
        )
        return PlanItem(
            post_id=self.post_id or NEW_POST_ID,
            kind=draft.kind,
            at=draft.scheduled_at,
            account_ids=tuple(draft.account_ids),
            status=PostStatus.SCHEDULED,
            product_ids=tuple(draft.product_ids),
            image_count=len(draft.image_media_ids),
            text=draft.text,
            missing_images=missing,
            wording_override=self.wording_override,
        )

    def refresh(self) -> None:
        draft = self.draft()
        text, template_error = self.rendered_text()
        shown = next((a for a in self.accounts if a.id in draft.account_ids), None)
        nickname = (shown.nickname or shown.label) if shown else ""
        # The chosen account's avatar, for a new post as for a saved one.
        avatar = shown.avatar_path if shown else None
        if avatar is None and self.view is not None and self.view.accounts:
            avatar = self.view.accounts[0].avatar_path
        refs = [self.media.get(m) for m in draft.image_media_ids]
        when = self.form.when_value()
        now = self._ctx.clock.now()
        self.preview.set_post(
            PreviewPost(
                nickname=nickname or QCoreApplication.translate("Composer", "Your account"),
                text=text,
                image_paths=tuple(r.rel_path if r else "" for r in refs),
                image_sizes=tuple((r.width, r.height) if r else (0, 0) for r in refs),
                avatar_path=avatar,
                time_text=relative_time(when, now, self._ctx.zone),
            )
        )
        count = len(text)
        self.form.char_count.setText(
            QCoreApplication.translate("Composer", "%n character(s)", "", count)
        )
        self._local_warnings = self._text_warnings(text, template_error)
        self._mark_forbidden()
        self._show_warnings()
        if not self._loading:
            self._check_timer.start()

    def _mark_forbidden(self) -> None:
        """Shade the phrases WeChat forbids right in the text box."""
        editor = self.form.text
        marks = []
        for found in forbidden_text(editor.toPlainText()):
            mark = QTextEdit.ExtraSelection()
            mark.format.setBackground(QColor("#FDE68A"))
            mark.format.setToolTip(found.phrase)
            cursor = editor.textCursor()
            cursor.setPosition(found.start)
            cursor.setPosition(found.end, QTextCursor.MoveMode.KeepAnchor)
            mark.cursor = cursor
            marks.append(mark)
        editor.setExtraSelections(marks)

    def _text_warnings(self, text: str, template_error: TemplateError | None) -> list[Warning]:
        found: list[Warning] = []
        language = self._ctx.language
        if template_error is not None:
            found.append(Warning(True, planning_error(template_error, language)))
        item = self.plan_item(replace(self.draft(), text=text))
        settings = self._settings_for(item)
        for violation in check_post(item, settings):
            found.append(Warning(violation.hard, violation_line(violation, language)))
        return found

    def _settings_for(self, item: PlanItem) -> RuleSettings:
        account = item.account_ids[0] if item.account_ids else self.account_id
        return self._rule_settings.get(account, RuleSettings())

    def _show_warnings(self) -> None:
        language = self._ctx.language
        plan = [
            Warning(v.hard, violation_line(v, language))
            for v in self.plan_warnings
            if v.rule in TIME_RULES
        ]
        self.warnings.set_warnings([*self._local_warnings, *plan])

    def _check_plan(self) -> None:
        ctx = self._ctx
        item = self.plan_item(self.draft())
        media_root, zone = ctx.shop.paths.media, ctx.zone
        if item.at is None:
            return

        def show(check: PlanCheck) -> None:
            if not shiboken6.isValid(self.form):
                return  # the dialog closed while the check ran
            self.plan_warnings, self._rule_settings = check.violations, check.settings
            self._local_warnings = self._text_warnings(*self.rendered_text())
            self._show_warnings()

        self._checks.submit(
            lambda: uow.read(
                ctx.shop.sessions, lambda s: check_against_plan(s, item, media_root, zone)
            ),
            show,
            self._failed,
        )
