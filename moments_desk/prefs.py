"""Per-machine preferences kept beside the database (language, window geometry).

These are read before the database opens, so start-up errors can already speak the
seller's language. Shop-wide settings live in the database (``app_setting``).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SUPPORTED_LANGUAGES = ("zh_CN", "en")


@dataclass
class Prefs:
    language: str | None = None  # None: follow the system locale
    window_geometry: str = ""  # base64 of QMainWindow.saveGeometry()
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Prefs:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        language = raw.get("language")
        extra = raw.get("extra")
        return cls(
            language=language if language in SUPPORTED_LANGUAGES else None,
            window_geometry=str(raw.get("window_geometry", "")),
            extra=extra if isinstance(extra, dict) else {},
        )

    def save(self, path: Path) -> None:
        # Write-then-rename so a crash mid-write never leaves half a JSON file.
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, path)
