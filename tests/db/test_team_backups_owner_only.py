"""Team mode: a manual backup of a shared shop is for owners only, refused in the core with
the acting profile (not only hidden in Settings), and the command line — which has no
signed-in profile — backs up or restores a shared shop only as a named owner with her PIN.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.safety.archive import create_archive
from moments_desk.core.safety.backup import MANUAL
from moments_desk.core.safety.snapshots import snapshot
from moments_desk.core.shared import uow
from moments_desk.core.team import users
from moments_desk.core.team.permissions import NotAllowedError
from moments_desk.db.engine import make_engine
from moments_desk.db.migrate import upgrade_to_head
from moments_desk.db.models import AuditEntry, Customer, User, UserRole, WeChatAccount
from tests.app.test_startup_cli import run_app
from tests.conftest import PG_ENV

pytestmark = pytest.mark.db
only_postgresql = pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"set {PG_ENV}")


def _team(sessions: sessionmaker[Session]) -> dict[str, int]:
    def build(s: Session) -> dict[str, int]:
        owner = users.create_user(s, "店主", UserRole.OWNER, "1357", None)
        assistant = users.create_user(s, "小林", UserRole.ASSISTANT, "2468", owner)
        account = WeChatAccount(label="主号")
        s.add(account)
        s.flush()
        s.add(Customer(account_id=account.id, nickname="小美", phone="13800000000"))
        return {"owner": owner, "assistant": assistant}

    return uow.write(sessions, build)


def _refused(sessions: sessionmaker[Session]) -> list[tuple[int | None, str | None]]:
    return uow.read(
        sessions,
        lambda s: [
            (e.user_id, e.summary)
            for e in s.scalars(
                select(AuditEntry).where(AuditEntry.action == "refused").order_by(AuditEntry.id)
            )
        ],
    )


def test_an_assistant_cannot_back_up_a_shared_shop_and_the_attempt_is_recorded(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    team = _team(session_factory)
    engine = session_factory.kw["bind"]
    backups = tmp_path / "backups"
    backups.mkdir()
    media = tmp_path / "media"
    media.mkdir()
    me = team["assistant"]
    if engine.dialect.name == "sqlite":
        # One laptop's own shop: its seller may copy her own folder anyway.
        assert snapshot(engine, backups, MANUAL, by=me).path.is_file()
        assert _refused(session_factory) == []
        return
    with pytest.raises(NotAllowedError) as refused:
        snapshot(engine, backups, MANUAL, by=me)
    assert "Only an owner can back up a shared shop" in str(refused.value)
    with pytest.raises(NotAllowedError):
        create_archive(engine, media, tmp_path / "copy.zip", by=me)
    assert list(backups.iterdir()) == [] and not (tmp_path / "copy.zip").exists()
    assert _refused(session_factory) == [(me, "make_backup"), (me, "make_backup")]
    # The owner backs it up; the app's own automatic copies need no one.
    create_archive(engine, media, tmp_path / "copy.zip", by=team["owner"])
    assert (tmp_path / "copy.zip").is_file()


@only_postgresql
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_the_command_line_restores_a_shared_shop_only_as_an_owner_with_her_pin(
    db_url: str, tmp_path: Path
) -> None:
    engine = make_engine(db_url)
    upgrade_to_head(engine)
    sessions = sessionmaker(engine, expire_on_commit=False)
    _team(sessions)
    where = ("--database", db_url, "--data-dir", str(tmp_path / "laptop"))
    archive = tmp_path / "shop.zip"

    nameless = run_app("backup", "--to", str(archive), *where)
    assert nameless.returncode == 2 and "--as-owner" in nameless.stderr
    assistant = run_app(
        "backup", "--to", str(archive), *where, "--as-owner", "小林", "--pin", "2468"
    )
    assert assistant.returncode == 2 and "小林 is not an owner" in assistant.stderr
    assert not archive.exists()
    made = run_app("backup", "--to", str(archive), *where, "--as-owner", "店主", "--pin", "1357")
    assert made.returncode == 0, made.stderr

    def customers() -> list[str]:
        return uow.read(sessions, lambda s: list(s.scalars(select(Customer.nickname))))

    uow.write(sessions, lambda s: s.add(Customer(account_id=1, nickname="备份后的客户")))
    restore = ("restore", str(archive), "--yes", *where)
    assert run_app(*restore).returncode == 2
    wrong = run_app(*restore, "--as-owner", "店主", "--pin", "0000")
    assert wrong.returncode == 2 and "wrong PIN for 店主 (4 tries left)" in wrong.stderr
    assert sorted(customers()) == ["备份后的客户", "小美"]  # nothing was changed
    assert (
        uow.read(
            sessions, lambda s: s.scalar(select(User.failed_attempts).where(User.name == "店主"))
        )
        == 1
    )
    restored = run_app(*restore, "--as-owner", "店主", "--pin", "1357")
    assert restored.returncode == 0, restored.stderr
    assert customers() == ["小美"]
    summaries = [summary for _, summary in _refused(sessions)]
    assert summaries.count("make_backup") == 2 and "restore_backup" in summaries
    engine.dispose()
