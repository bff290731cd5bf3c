"""Shop-wide settings kept in the database (shared by everyone on a team database)."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from typing import Any

from sqlalchemy.orm import Session

from moments_desk.core.pictures.image_export import ExportSettings
from moments_desk.db.models import AppSetting


def get_setting(session: Session, key: str, default: Any = None) -> Any:
    row = session.get(AppSetting, key)
    if row is None:
        return default
    try:
        return json.loads(row.value)
    except ValueError:
        return default


def set_setting(session: Session, key: str, value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False)
    row = session.get(AppSetting, key)
    if row is None:
        session.add(AppSetting(key=key, value=text))
    else:
        row.value = text


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
