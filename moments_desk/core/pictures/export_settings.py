"""The seller's saved options for pictures exported to Moments (size, watermark, price tag)."""

from __future__ import annotations

from dataclasses import asdict, fields

from sqlalchemy.orm import Session

from moments_desk.core.pictures.image_export import ExportSettings
from moments_desk.core.shared.shop_settings import get_setting, set_setting

EXPORT_KEY = "export.moments"


def load_export_settings(session: Session) -> ExportSettings:
    """The seller's saved export options; defaults for anything missing or invalid."""
    saved = get_setting(session, EXPORT_KEY, {})
    if not isinstance(saved, dict):
        return ExportSettings()
    known = {f.name for f in fields(ExportSettings)}
    try:
        return ExportSettings(**{k: v for k, v in saved.items() if k in known})
    except (TypeError, ValueError):
        return ExportSettings()


def save_export_settings(session: Session, settings: ExportSettings) -> None:
    set_setting(session, EXPORT_KEY, asdict(settings))
