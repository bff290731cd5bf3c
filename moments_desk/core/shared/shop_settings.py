"""Shop-wide settings kept in the database (shared by everyone on a team database)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

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
