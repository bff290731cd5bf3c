"""Setting up a new shop in one transaction: name, WeChat accounts with avatars, a rhythm.

The first-run wizard collects a ``FirstRunPlan`` and hands it to ``apply_first_run``;
nothing is written before that, so cancelling the wizard leaves the shop as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moments_desk.core.pictures.export_settings import load_export_settings, save_export_settings
from moments_desk.core.pictures.media import media_file_path, register_media, store_image
from moments_desk.core.planning.cadence_presets import (
    CustomCadence,
    Preset,
    RuleDefaults,
    accounts_without_slots,
    add_slots,
    preset_slots,
)
from moments_desk.core.planning.errors import PlanningError
from moments_desk.core.planning.messages import error_message
from moments_desk.core.setup.needed import first_run_needed as first_run_needed
from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP, message_of
from moments_desk.core.shared.shop_settings import get_setting, set_setting
from moments_desk.core.shared.text import clean_text
from moments_desk.core.team.accounts import save_account
from moments_desk.db.models import AccountRules, Product, WeChatAccount

SHOP_NAME_KEY = "shop.name"
SETUP_DONE_KEY = "shop.setup_completed"


class FirstRunError(ValueError):
    """Something in the plan the seller has to fix; the message names the account."""


@dataclass(frozen=True)
class AccountSetup:
    label: str
    nickname: str = ""
    wechat_id: str = ""
    avatar: Path | None = None


@dataclass(frozen=True)
class FirstRunPlan:
    shop_name: str
    accounts: tuple[AccountSetup, ...]
    preset: Preset
    language: str = "zh_CN"
    custom: CustomCadence | None = None
    rules: RuleDefaults = field(default_factory=RuleDefaults)


@dataclass(frozen=True)
class FirstRunResult:
    account_ids: tuple[int, ...]
    slot_ids: tuple[int, ...]


@dataclass(frozen=True)
class ExistingShop:
    """What the wizard shows when re-opened on a shop that already has data."""

    name: str
    accounts: tuple[str, ...]
    products: int

    @property
    def is_empty(self) -> bool:
        return not self.accounts and self.products == 0


def load_existing(session: Session) -> ExistingShop:
    accounts = tuple(
        a.label + (f" ({a.nickname})" if a.nickname else "")
        for a in session.scalars(
            select(WeChatAccount).where(~WeChatAccount.archived).order_by(WeChatAccount.id)
        )
    )
    products = session.scalar(select(func.count()).select_from(Product)) or 0
    name = get_setting(session, SHOP_NAME_KEY, "")
    return ExistingShop(name if isinstance(name, str) else "", accounts, products)


def shop_name(session: Session) -> str:
    name = get_setting(session, SHOP_NAME_KEY, "")
    return name if isinstance(name, str) else ""


def avatar_file(media_root: Path, account: WeChatAccount) -> Path | None:
    """The account's avatar picture on disk (for the Moments preview), if it has one."""
    if not account.avatar_path:
        return None
    return media_file_path(media_root, account.avatar_path)


def apply_first_run(session: Session, plan: FirstRunPlan, media_root: Path) -> FirstRunResult:
    """Write the whole plan in the caller's transaction (``uow.write``)."""
    name = clean_text(plan.shop_name, 60)
    if not name:
        raise FirstRunError(
            QT_TRANSLATE_NOOP("FirstRun", "Give your shop a name; it appears on exported pictures.")
        )
    if not plan.accounts and session.scalar(select(WeChatAccount.id).limit(1)) is None:
        raise FirstRunError(QT_TRANSLATE_NOOP("FirstRun", "Add at least one WeChat account."))
    set_setting(session, SHOP_NAME_KEY, name)
    export = load_export_settings(session)
    if not export.watermark_text:
        # The shop name marks exported pictures until the seller sets another watermark.
        save_export_settings(session, replace(export, watermark_text=name))
    account_ids: list[int] = []
    for index, setup in enumerate(plan.accounts, start=1):
        try:
            account_id = save_account(session, None, setup.label, setup.nickname, setup.wechat_id)
        except ValueError as error:
            raise FirstRunError(
                QT_TRANSLATE_NOOP("FirstRun", "Account {index} ({value}): {error}").format(
                    index=index, value=setup.label or "-", error=message_of(error)
                )
            ) from error
        account = session.get(WeChatAccount, account_id)
        assert account is not None
        rules = account.rules or AccountRules()
        account.rules = rules
        plan.rules.apply_to(rules)
        if setup.avatar is not None:
            # The picture goes through the media store like product photos: checked,
            # normalised and stored once; a bad file names the account it was meant for.
            try:
                stored = store_image(setup.avatar, media_root)
            except Exception as error:
                raise FirstRunError(
                    QT_TRANSLATE_NOOP(
                        "FirstRun", "Account {index} ({label}): avatar {error}"
                    ).format(index=index, label=setup.label, error=message_of(error))
                ) from error
            register_media(session, stored)
            account.avatar_path = stored.rel_path
        account_ids.append(account_id)
    session.flush()
    slots = preset_slots(plan.preset, plan.language, plan.custom)
    slot_ids: list[int] = []
    existing = list(session.scalars(select(WeChatAccount.id).where(~WeChatAccount.archived)))
    # A re-run from the Help menu gives the rhythm only to accounts that have none yet.
    for account_id in accounts_without_slots(session, existing):
        try:
            slot_ids += add_slots(session, account_id, slots)
        except PlanningError as error:
            problems = getattr(error, "problems", ())
            codes = [(p.code, p.params) for p in problems] or [(error.code, error.params)]
            sentences = [error_message(code, params) or code for code, params in codes]
            text = sentences[0]
            for sentence in sentences[1:]:
                text = QT_TRANSLATE_NOOP("FirstRun", "{first} {second}").format(
                    first=text, second=sentence
                )
            raise FirstRunError(text) from error
    set_setting(session, SETUP_DONE_KEY, True)
    return FirstRunResult(tuple(account_ids), tuple(slot_ids))
