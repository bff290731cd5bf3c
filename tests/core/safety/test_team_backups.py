"""Automatic copies of a shared shop stay off on each laptop unless its seller wants them."""

from __future__ import annotations

from moments_desk.core.safety.backup import BackupPolicy


def test_a_shared_shop_is_not_copied_to_every_laptop_by_default() -> None:
    assert BackupPolicy.from_dict(None).enabled
    assert not BackupPolicy.from_dict(None, shared=True).enabled
    assert not BackupPolicy.from_dict({"interval_hours": 3}, shared=True).enabled
    assert BackupPolicy.from_dict({"enabled": True}, shared=True).enabled
