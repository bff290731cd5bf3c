"""docs/team.md's lower-rights database login for assistants, tried for real: the owner runs
the documented SQL, then an assistant's laptop connects with that login and does its work
(posts, orders, customers' remarks), while what the doc says PostgreSQL refuses is refused
— whatever client holds the login (``psql`` here is plain SQL on her connection).
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url, select, text
from sqlalchemy.exc import DBAPIError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.catalogue import catalogue as cat
from moments_desk.core.catalogue.catalogue import ProductDraft
from moments_desk.core.customers import customers as cu
from moments_desk.core.customers.customers import CustomerDraft
from moments_desk.core.orders import orders as od
from moments_desk.core.planning.post_views import PostDraft
from moments_desk.core.planning.posts import create_post
from moments_desk.core.shared import uow
from moments_desk.core.team import audit, users
from moments_desk.db.engine import make_engine, make_session_factory
from moments_desk.db.migrate import upgrade_to_head
from moments_desk.db.models import (
    Customer,
    CustomerAddress,
    Order,
    Post,
    PostKind,
    User,
    UserRole,
    WeChatAccount,
)
from tests.conftest import PG_ENV

pytestmark = [
    pytest.mark.db,
    pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"set {PG_ENV}"),
    pytest.mark.parametrize("db_url", ["postgresql"], indirect=True),
]
DOC = Path(__file__).parents[2] / "docs" / "team.md"
NOW = datetime(2026, 12, 2, 9, tzinfo=UTC)
PASSWORD = "another password"


def documented_sql(role: str, database: str) -> list[str]:
    """The statements of docs/team.md's assistant login, as the owner would paste them."""
    section = DOC.read_text(encoding="utf-8").split("## A database login with fewer rights")[1]
    block = section.split("```sql")[1].split("```")[0]
    lines = [line for line in block.splitlines() if not line.lstrip().startswith("--")]
    sql = "\n".join(lines).replace("shop_assistant", role)
    sql = re.sub(r"ON DATABASE shop\b", f'ON DATABASE "{database}"', sql)
    return [s.strip() for s in sql.split(";") if s.strip()]


@pytest.fixture
def shop(db_url: str) -> Iterator[tuple[Engine, Engine, str]]:
    """(the owner's engine, the assistant login's engine, the role's name)."""
    owner = make_engine(db_url)
    upgrade_to_head(owner)
    with owner.connect() as conn:
        may = conn.scalar(
            text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        )
    if not may:
        owner.dispose()
        pytest.skip("the test server's login cannot create roles")
    role = f"shop_assistant_{uuid.uuid4().hex[:8]}"
    url = make_url(db_url)
    with owner.begin() as conn:
        for statement in documented_sql(role, str(url.database)):
            conn.execute(text(statement))
    assistant = make_engine(
        url.set(username=role, password=PASSWORD).render_as_string(hide_password=False)
    )
    try:
        yield owner, assistant, role
    finally:
        assistant.dispose()
        with owner.begin() as conn:
            conn.execute(text(f'DROP OWNED BY "{role}"'))
            conn.execute(text(f'DROP ROLE "{role}"'))
        owner.dispose()


def _seed(sessions: sessionmaker[Session]) -> dict[str, int]:
    def build(s: Session) -> dict[str, int]:
        owner = users.create_user(s, "店主", UserRole.OWNER, "1357", None)
        assistant = users.create_user(s, "小林", UserRole.ASSISTANT, "2468", owner)
        account = WeChatAccount(label="主号")
        s.add(account)
        s.flush()
        product = cat.create_product(
            s, ProductDraft(code="QZ01", name="雾霾蓝连衣裙", price=Decimal("259"), stock=5)
        )
        customer = cu.create_customer(s, CustomerDraft(account_id=account.id, nickname="小美"))
        s.add(CustomerAddress(customer_id=customer, recipient="王小美", detail="文三路 1 号"))
        return {
            "owner": owner,
            "assistant": assistant,
            "account": account.id,
            "product": product,
            "customer": customer,
        }

    return uow.write(sessions, build)


def _refused(engine: Engine, statement: str) -> str:
    """The server's refusal of ``statement`` on the assistant's connection."""
    with pytest.raises(DBAPIError) as refused, engine.begin() as conn:
        conn.execute(text(statement))
    return str(refused.value.orig)


def test_the_assistant_login_does_the_days_work(shop: tuple[Engine, Engine, str]) -> None:
    owner, assistant, _role = shop
    ids = _seed(make_session_factory(owner))
    hers = make_session_factory(assistant)
    post = uow.write(
        hers,
        lambda s: create_post(
            s, PostDraft(kind=PostKind.NEW_ARRIVAL, text="上新啦", account_ids=[ids["account"]])
        ),
    )
    draft = od.OrderDraft(
        customer_id=ids["customer"],
        items=[od.ItemDraft(ids["product"], "雾霾蓝连衣裙", 1, Decimal("259"))],
    )
    order = uow.write(hers, lambda s: od.create_order(s, draft, NOW))
    opened, _ = uow.read(hers, lambda s: cu.get_customer(s, ids["customer"]))
    remark = CustomerDraft(**{**vars(opened), "remark": "杭州小美"})
    uow.write(hers, lambda s: cu.update_customer(s, ids["customer"], remark, opened))
    uow.write(hers, lambda s: audit.record(s, ids["assistant"], "create", "post", post, "上新啦"))
    # Her signing in with the right PIN works (it only adds to the audit log).
    assert uow.write(hers, lambda s: users.sign_in(s, ids["assistant"], "2468", NOW)).ok
    mine = make_session_factory(owner)
    assert uow.read(mine, lambda s: s.get_one(Post, post).text) == "上新啦"
    assert uow.read(mine, lambda s: s.get_one(Order, order).total) == Decimal("259.00")
    assert uow.read(mine, lambda s: s.get_one(Customer, ids["customer"]).remark) == "杭州小美"
    # Reading is not restricted: she sees every phone and address the app shows her.
    assert uow.read(hers, lambda s: s.scalar(select(CustomerAddress.detail))) == "文三路 1 号"


def test_the_assistant_login_cannot_delete_customers_rewrite_profiles_or_the_audit_log(
    shop: tuple[Engine, Engine, str],
) -> None:
    owner, assistant, _role = shop
    ids = _seed(make_session_factory(owner))
    uow.write(
        make_session_factory(assistant),
        lambda s: audit.record(s, ids["assistant"], "create", "post", None, "x"),
    )
    denied = "permission denied"
    for statement in (
        "DELETE FROM customer",
        "DELETE FROM customer_address",
        "TRUNCATE customer CASCADE",
        "TRUNCATE sales_order CASCADE",
        "UPDATE app_user SET role = 'owner'",
        "INSERT INTO app_user (name, role, active, failed_attempts) VALUES ('x', 'owner', true, 0)",
        "DELETE FROM app_user",
        "INSERT INTO app_setting (key, value) VALUES ('approval_required', 'false')",
        "UPDATE app_setting SET value = ''",
        "UPDATE account_rules SET max_posts_per_day = 99",
        "UPDATE audit_log SET summary = ''",
        "DELETE FROM audit_log",
    ):
        assert denied in _refused(assistant, statement), statement
    for statement in ("DROP TABLE customer CASCADE", "ALTER TABLE customer DROP COLUMN phone"):
        assert "must be owner" in _refused(assistant, statement), statement
    # Merging two customers deletes one: the owner merges (the app's 合并 says why not here).
    from moments_desk.core.customers.merge import merge_customers

    hers = make_session_factory(assistant)
    twin = uow.write(
        make_session_factory(owner),
        lambda s: cu.create_customer(s, CustomerDraft(account_id=ids["account"], nickname="美")),
    )
    with pytest.raises(ProgrammingError, match=denied):
        uow.write(hers, lambda s: merge_customers(s, ids["customer"], twin))
    with owner.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM customer")) == 2
        assert conn.scalar(text("SELECT count(*) FROM customer_address")) == 1
        assert conn.scalar(text("SELECT count(*) FROM audit_log WHERE summary = 'x'")) == 1


def test_a_wrong_pin_counts_on_the_assistant_login_only_with_the_documented_extra_grant(
    shop: tuple[Engine, Engine, str],
) -> None:
    owner, assistant, role = shop
    ids = _seed(make_session_factory(owner))
    hers = make_session_factory(assistant)
    with pytest.raises(ProgrammingError, match="permission denied"):
        uow.write(hers, lambda s: users.sign_in(s, ids["owner"], "0000", NOW))
    with owner.begin() as conn:
        conn.execute(
            text(
                f'GRANT UPDATE (failed_attempts, locked_until, updated_at) ON app_user TO "{role}"'
            )
        )
    for _ in range(users.MAX_ATTEMPTS):
        assert not uow.write(hers, lambda s: users.sign_in(s, ids["owner"], "0000", NOW)).ok
    locked = uow.read(make_session_factory(owner), lambda s: s.get_one(User, ids["owner"]))
    assert locked.failed_attempts == users.MAX_ATTEMPTS and locked.locked_until is not None


def test_the_app_opens_the_shared_shop_with_the_assistant_login(
    shop: tuple[Engine, Engine, str], tmp_path: Path
) -> None:
    from moments_desk.startup import open_shop

    owner, assistant, _role = shop
    _seed(make_session_factory(owner))
    opened = open_shop(tmp_path / "laptop", assistant.url.render_as_string(hide_password=False))
    try:
        assert opened.migration.from_revision == opened.migration.to_revision
        assert uow.read(opened.sessions, lambda s: s.scalar(select(Customer.nickname))) == "小美"
    finally:
        opened.close()
