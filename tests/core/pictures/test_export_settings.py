from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.pictures.export_settings import (
    EXPORT_KEY,
    load_export_settings,
    save_export_settings,
)
from moments_desk.core.pictures.image_export import ExportSettings
from moments_desk.core.shared.shop_settings import set_setting

pytestmark = pytest.mark.db


def test_export_settings_round_trip(session_factory: sessionmaker[Session]) -> None:
    chosen = ExportSettings(
        long_side=2048,
        jpeg_quality=85,
        watermark_text="小棉袄的衣橱",
        watermark_position="top_left",
        watermark_opacity=0.4,
        show_price=True,
    )
    with session_factory.begin() as s:
        assert load_export_settings(s) == ExportSettings()
        save_export_settings(s, chosen)
    with session_factory() as s:
        assert load_export_settings(s) == chosen


def test_damaged_saved_settings_fall_back_to_defaults(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        set_setting(s, EXPORT_KEY, {"long_side": 4000, "unknown": 1})
    with session_factory() as s:
        assert load_export_settings(s) == ExportSettings()
