from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.relay.hub import RelayHub
from moments_desk.scheduling.clock import FakeClock
from tests.core.relay.helpers import NOW, Shop, make_hub


@pytest.fixture
def shop(session_factory: sessionmaker[Session], tmp_path: Path) -> Shop:
    (tmp_path / "media").mkdir()
    (tmp_path / "relay").mkdir()
    return Shop(session_factory, tmp_path / "media", tmp_path / "relay", FakeClock(NOW))


@pytest.fixture
def hub(shop: Shop) -> Iterator[RelayHub]:
    made = make_hub(shop)
    yield made
    made.stop()
