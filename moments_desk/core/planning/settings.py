"""Per-account anti-spam settings (table ``account_rules``) and the shop's time zone."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import time, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import select
from sqlalchemy.orm import Session

from moments_desk.core.planning.errors import PlanningError
from moments_desk.core.planning.rules import RuleSettings
from moments_desk.core.shared.shop_settings import get_setting, set_setting
from moments_desk.core.team.permissions import Action, require_owner
from moments_desk.db.models import AccountRules, WeChatAccount

ZONE_KEY = "shop.timezone"

#: (field, lowest, highest) for the integer settings.
_BOUNDS: dict[str, tuple[int, int]] = {
    "max_posts_per_day": (1, 20),
    "min_gap_minutes": (0, 24 * 60),
    "max_sales_posts_per_week": (0, 100),
    "sales_share_pct": (0, 100),
    "mix_window_days": (1, 60),
    "product_cooldown_days": (0, 365),
    "fold_chars": (20, 2000),
}


def _from_row(row: AccountRules) -> RuleSettings:
    return RuleSettings(
        max_posts_per_day=row.max_posts_per_day,
        min_gap_minutes=row.min_gap_minutes,
        quiet_start=row.quiet_start,
        quiet_end=row.quiet_end,
        max_sales_posts_per_week=row.max_sales_posts_per_week,
        sales_share_pct=row.sales_share_pct,
        mix_window_days=row.mix_window_days,
        product_cooldown_days=row.product_cooldown_days,
        fold_chars=row.fold_chars,
    )


def load_rule_settings(session: Session, account_id: int) -> RuleSettings:
    """The account's limits; the defaults when it has none saved."""
    row = session.get(AccountRules, account_id)
    return RuleSettings() if row is None else _from_row(row)


def load_all_rule_settings(session: Session) -> dict[int, RuleSettings]:
    """Limits of every account (accounts without a row get the defaults)."""
    found = {row.account_id: _from_row(row) for row in session.scalars(select(AccountRules))}
    for account_id in session.scalars(select(WeChatAccount.id)):
        found.setdefault(account_id, RuleSettings())
    return found


def validate_rule_settings(settings: RuleSettings) -> RuleSettings:
    for name, (low, high) in _BOUNDS.items():
        value = getattr(settings, name)
        if not isinstance(value, int) or not low <= value <= high:
            raise PlanningError(
                "setting_out_of_range",
                f"{name.replace('_', ' ')} must be between {low} and {high} (got {value}).",
                name,
                setting=name,
                low=low,
                high=high,
                value=value,
            )
    for name in ("quiet_start", "quiet_end"):
        if not isinstance(getattr(settings, name), time):
            raise PlanningError("setting_out_of_range", f"{name} must be a time.", name)
    return replace(
        settings,
        quiet_start=settings.quiet_start.replace(second=0, microsecond=0, tzinfo=None),
        quiet_end=settings.quiet_end.replace(second=0, microsecond=0, tzinfo=None),
    )


def save_rule_settings(
    session: Session, account_id: int, settings: RuleSettings, by: int | None = None
) -> None:
    """Store the account's limits (validated; ``PlanningError`` names a bad field)."""
    require_owner(session, by, Action.CHANGE_RULES, "account", account_id)
    settings = validate_rule_settings(settings)
    if session.get(WeChatAccount, account_id) is None:
        raise PlanningError("account_gone", "This account was removed meanwhile.")
    row = session.get(AccountRules, account_id)
    if row is None:
        row = AccountRules(account_id=account_id)
        session.add(row)
    for f in fields(RuleSettings):
        setattr(row, f.name, getattr(settings, f.name))
    session.flush()


def default_zone() -> tzinfo:
    """The machine's IANA zone (DST-aware), UTC if it cannot be told."""
    try:
        import tzlocal

        zone = tzlocal.get_localzone()
        return zone if isinstance(zone, ZoneInfo) else ZoneInfo(str(zone))
    except Exception:  # tzlocal guesses from the OS; any failure means "we don't know"
        return ZoneInfo("UTC")


def shop_zone(session: Session) -> tzinfo:
    """The seller's time zone: slots like "Tue 20:00" are wall-clock times in it."""
    name = get_setting(session, ZONE_KEY)
    if isinstance(name, str):
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return default_zone()


def set_shop_zone(session: Session, name: str) -> None:
    """Save the shop's zone by IANA name (e.g. "Asia/Shanghai")."""
    name = name.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise PlanningError(
            "unknown_zone", f"{name!r} is not a time zone, e.g. Asia/Shanghai.", zone=name
        ) from error
    set_setting(session, ZONE_KEY, name)


def zone_names() -> list[str]:
    return sorted(available_timezones())
