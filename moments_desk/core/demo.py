"""A realistic demo shop, built deterministically from a seed.

The same builder fills ``--demo`` (a few hundred customers) and the benchmarks (50,000
customers, 5,000 products, 200,000 interactions), so the benchmarks exercise the app's own
bulk path: SQLAlchemy Core inserts in one transaction. It only fills an empty shop.
"""

from __future__ import annotations

import json
import random
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, insert, select, text

from moments_desk.core import demo_words as w
from moments_desk.core.first_run import SHOP_NAME_KEY
from moments_desk.core.pictures.demo_art import DemoPictures
from moments_desk.core.pinyin import customer_search_text, search_keys, search_text
from moments_desk.db.models import (
    AccountRules,
    Allocation,
    AllocationStatus,
    AppSetting,
    AudienceMode,
    CadenceSlot,
    Customer,
    CustomerAddress,
    CustomerSource,
    Draw,
    Gender,
    Interaction,
    InteractionKind,
    Order,
    OrderItem,
    OrderSource,
    OrderStatus,
    Post,
    PostAccount,
    PostKind,
    PostProduct,
    PostStatus,
    Product,
    ProductStatus,
    Relationship,
    Tag,
    User,
    UserRole,
    WeChatAccount,
    customer_tag,
    product_tag,
)
from moments_desk.scheduling.clock import local_zone

CHUNK = 5000
TAOBAO_ITEM = "https://item.taobao.com/item.htm?id="
WEEKDAYS_ZH = "一二三四五六日"


class DatabaseNotEmptyError(Exception):
    """The demo only fills an empty shop; nothing was written."""


class DemoCancelled(Exception):
    """The seller cancelled; the transaction was rolled back and nothing was written."""


@dataclass(frozen=True)
class DemoSpec:
    accounts: int = 2
    products: int = 60
    customers: int = 400
    days: int = 30
    interactions: int = 2500
    orders: int = 300
    seed: int = 20261122

    @classmethod
    def at_scale(cls) -> DemoSpec:
        return cls(
            accounts=3,
            products=5000,
            customers=50_000,
            days=365,
            interactions=200_000,
            orders=50_000,
        )


@dataclass(frozen=True)
class DemoCounts:
    accounts: int
    products: int
    customers: int
    posts: int
    interactions: int
    orders: int


@dataclass
class _Post:
    id: int
    kind: PostKind
    at: datetime
    posted: bool
    accounts: list[int]
    products: list[int] = field(default_factory=list)


class _Builder:
    def __init__(
        self,
        conn: Connection,
        spec: DemoSpec,
        now: datetime,
        zone: tzinfo,
        progress: Callable[[int, int], None] | None,
        should_cancel: Callable[[], bool] | None,
        media_root: Path | None = None,
    ) -> None:
        self.conn = conn
        self.media_root = media_root
        self.categories: dict[int, str] = {}
        self.drawn: DemoPictures | None = None
        self.spec = spec
        self.now = now
        self.zone = zone
        self.rng = random.Random(spec.seed)
        self._progress = progress
        self._cancel = should_cancel
        self._done = 0
        pictures = spec.products // 20 + 1 if media_root is not None else 0
        self._total = 8 + pictures + (spec.customers + spec.interactions + spec.orders * 2) // CHUNK
        self.prices: dict[int, Decimal] = {}
        self.names: dict[int, str] = {}
        self.customers_by_account: dict[int, list[int]] = {}
        self.customer_city: dict[int, str] = {}

    # -- plumbing ------------------------------------------------------------------------------

    def step(self) -> None:
        if self._cancel is not None and self._cancel():
            raise DemoCancelled
        self._done += 1
        if self._progress is not None:
            self._progress(min(self._done, self._total), self._total)

    def insert(self, table: Table | Any, rows: Iterable[dict[str, Any]]) -> int:
        batch: list[dict[str, Any]] = []
        count = 0
        for row in rows:
            batch.append(row)
            if len(batch) == CHUNK:
                self.conn.execute(insert(table), batch)
                count += len(batch)
                batch = []
                self.step()
        if batch:
            self.conn.execute(insert(table), batch)
            count += len(batch)
        return count

    def local(self, day: date, at: time) -> datetime:
        return datetime.combine(day, at, tzinfo=self.zone).astimezone(UTC)

    # -- the shop ------------------------------------------------------------------------------

    def build(self) -> DemoCounts:
        accounts = self.accounts()
        self.step()
        products = self.products()
        self.step()
        customers = self.customers(accounts)
        self.step()
        posts = self.posts(accounts)
        self.step()
        if self.media_root is not None:
            self.pictures(posts, self.media_root)
        interactions = self.interactions(posts)
        self.step()
        orders = self.orders(posts, interactions)
        self.step()
        self.stages(interactions, orders)
        self.tracking(posts, interactions)
        from moments_desk.core.demo_team import add_team_demo

        add_team_demo(self.conn, self.now, accounts, self.zone)
        if self.drawn is not None:
            from moments_desk.core.pictures.demo_posts import dress_bare_posts

            dress_bare_posts(self.conn, self.drawn, self.names, self.product_ids_newest[0])
        self.step()
        return DemoCounts(
            len(accounts), products, customers, len(posts), len(interactions), orders[0]
        )

    def accounts(self) -> list[int]:
        labels = ["主号", "小号", "三号", "四号", "五号"]
        ids = list(range(1, self.spec.accounts + 1))
        self.insert(
            WeChatAccount,
            (
                {
                    "id": i,
                    "label": labels[(i - 1) % len(labels)],
                    "wechat_id": f"mianao_closet{'' if i == 1 else f'_{i}'}",
                    "nickname": w.SHOP_NAME if i == 1 else f"{w.SHOP_NAME}·{labels[i - 1]}",
                    "friend_limit": 5000,
                    "archived": False,
                    "created_at": self.now - timedelta(days=self.spec.days + 30),
                    "updated_at": self.now - timedelta(days=self.spec.days + 30),
                }
                for i in ids
            ),
        )
        self.insert(AccountRules, ({"account_id": i} for i in ids))
        self.insert(User, [{"id": 1, "name": "店主", "role": UserRole.OWNER, "active": True}])
        # The name the first-run wizard would have asked for (shown when it is re-opened).
        self.insert(
            AppSetting,
            [{"key": SHOP_NAME_KEY, "value": json.dumps(w.SHOP_NAME, ensure_ascii=False)}],
        )
        tags = [*w.PRODUCT_TAGS, *w.CUSTOMER_TAGS]
        self.insert(Tag, ({"id": n + 1, "name": name} for n, name in enumerate(tags)))
        self.product_tag_ids = list(range(1, len(w.PRODUCT_TAGS) + 1))
        self.customer_tag_ids = list(range(len(w.PRODUCT_TAGS) + 1, len(tags) + 1))
        slots: list[tuple[int, int | None, time, PostKind, str, str]] = []
        for account in ids:
            slots += [
                (
                    account,
                    1,
                    time(20, 0),
                    PostKind.NEW_ARRIVAL,
                    "周二上新",
                    w.NEW_ARRIVAL_TEMPLATES[0],
                ),
                (
                    account,
                    3,
                    time(20, 0),
                    PostKind.NEW_ARRIVAL,
                    "周四上新",
                    w.NEW_ARRIVAL_TEMPLATES[0],
                ),
            ]
            if account != ids[0]:
                continue  # the other accounts share the main account's new arrivals
            slots.append(
                (account, None, time(12, 0), PostKind.LIFESTYLE, "午间生活", w.LIFESTYLE_TEMPLATE)
            )
            slots += [
                (account, day, time(21, 0), PostKind.PROMOTION, "#每日一荐#", w.DAILY_PICK_TEMPLATE)
                for day in (0, 2, 5)
            ]
        self.slots = slots
        self.insert(
            CadenceSlot,
            (
                {
                    "id": n + 1,
                    "account_id": a,
                    "weekday": wd,
                    "time_of_day": t,
                    "kind": k,
                    "label": label,
                    "template": template,
                    "active": True,
                    "created_at": self.now - timedelta(days=self.spec.days + 30),
                }
                for n, (a, wd, t, k, label, template) in enumerate(slots)
            ),
        )
        return ids

    def products(self) -> int:
        rng, spec = self.rng, self.spec
        categories = list(w.CATEGORIES.items())
        rows = []
        links = []
        for pid in range(1, spec.products + 1):
            category, (prefix, kinds, (low, high)) = categories[pid % len(categories)]
            name = f"{rng.choice(w.COLOURS)}{rng.choice(w.STYLES)}{rng.choice(kinds)}"
            arrival = self.now.date() - timedelta(days=int(spec.days * pid / spec.products))
            price = Decimal(rng.randrange(low, high) // 10 * 10 + 9)
            roll = rng.random()
            status = (
                ProductStatus.ON_SALE
                if roll < 0.85
                else ProductStatus.SOLD_OUT
                if roll < 0.95
                else ProductStatus.OFF_SHELF
            )
            code = f"{prefix}{arrival:%y%m}-{pid:04d}"
            initials, full = search_keys(name, code)
            self.prices[pid] = price
            self.names[pid] = name
            self.categories[pid] = category
            created = datetime.combine(arrival, time(9), tzinfo=UTC)
            rows.append(
                {
                    "id": pid,
                    "code": code,
                    "name": name,
                    "category": category,
                    "price": price,
                    "cost": (price * Decimal("0.45")).quantize(Decimal("1")),
                    "stock": 0 if status is ProductStatus.SOLD_OUT else rng.randrange(1, 60),
                    "status": status,
                    "new_arrival_date": arrival,
                    "selling_points": "，".join(rng.sample(w.SELLING_POINTS, 2)),
                    "taobao_url": f"{TAOBAO_ITEM}{6_000_000_000 + pid * 7919}",
                    "notes": "",
                    "archived": False,
                    "search_initials": initials,
                    "search_full": full,
                    "search_text": search_text((name, code)),
                    "created_at": created,
                    "updated_at": created,
                }
            )
            links += [{"product_id": pid, "tag_id": t} for t in rng.sample(self.product_tag_ids, 2)]
        # Newest arrivals come first in the "new arrival" posts.
        self.product_ids_newest: list[int] = list(range(1, spec.products + 1))
        self.insert(Product, rows)
        self.insert(product_tag, links)
        return len(rows)

    def customers(self, accounts: list[int]) -> int:
        rng, spec = self.rng, self.spec
        rows, addresses, tags = [], [], []
        phones: set[str] = set()
        weights = [6] + [2] * (len(accounts) - 1)
        for cid in range(1, spec.customers + 1):
            account = rng.choices(accounts, weights)[0]
            if rng.random() < 0.55:
                surname = rng.choice(w.SURNAMES)
                real = surname + "".join(rng.sample(w.GIVEN, rng.choice((1, 2))))
                nickname = real
            else:
                surname = rng.choice(w.SURNAMES)
                nickname = rng.choice(w.NICKNAMES)
            city = rng.choice(w.CITIES)
            remark = f"{city}-{surname}{rng.choice(w.REMARK_ROLES)}" if rng.random() < 0.4 else ""
            phone = ""
            while not phone or phone in phones:
                phone = rng.choice(("13", "15", "17", "18", "19")) + "".join(
                    rng.choices(string.digits, k=9)
                )
            phones.add(phone)
            has_birthday = rng.random() < 0.5
            lunar = has_birthday and rng.random() < 0.2
            wechat_id = "wxid_" + "".join(rng.choices(string.ascii_lowercase + string.digits, k=12))
            created = self.now - timedelta(days=rng.randrange(spec.days, spec.days + 900))
            source = rng.choices(list(CustomerSource), [2, 4, 2, 1, 3])[0]
            referred = (
                rng.randrange(1, cid) if source is CustomerSource.REFERRAL and cid > 1 else None
            )
            rows.append(
                {
                    "id": cid,
                    "account_id": account,
                    "wechat_id": wechat_id,
                    "nickname": nickname,
                    "remark": remark,
                    "phone": phone,
                    "gender": Gender.FEMALE if rng.random() < 0.92 else Gender.MALE,
                    "birthday_year": rng.randrange(1975, 2004)
                    if has_birthday and rng.random() < 0.3
                    else None,
                    "birthday_month": rng.randrange(1, 13) if has_birthday else None,
                    "birthday_day": rng.randrange(1, 29) if has_birthday else None,
                    "birthday_lunar": lunar,
                    "birthday_leap_month": False,
                    "city": city,
                    "relationship": Relationship.CUSTOMER
                    if rng.random() < 0.9
                    else Relationship.FRIEND,
                    "source": source,
                    "referred_by_id": referred,
                    "notes": rng.choice(w.NOTES) if rng.random() < 0.05 else "",
                    "search_text": customer_search_text(nickname, remark, wechat_id, phone),
                    "created_at": created,
                    "updated_at": created,
                }
            )
            self.customers_by_account.setdefault(account, []).append(cid)
            self.customer_city[cid] = city
            if rng.random() < 0.8:
                addresses.append(
                    {
                        "customer_id": cid,
                        "recipient": remark.split("-")[-1][:1] + "女士"
                        if remark
                        else nickname[:10],
                        "phone": phone,
                        "province": w.PROVINCES.get(city, city + "市"),
                        "city": city + "市",
                        "district": rng.choice(w.DISTRICTS),
                        "detail": self.street_address(),
                        "postcode": f"{rng.randrange(100000, 830000)}",
                        "is_default": True,
                    }
                )
            for tag in rng.sample(self.customer_tag_ids, rng.choice((0, 0, 1, 2))):
                tags.append({"customer_id": cid, "tag_id": tag})
        self.insert(Customer, rows)
        self.insert(CustomerAddress, addresses)
        self.insert(customer_tag, tags)
        return len(rows)

    def street_address(self) -> str:
        rng = self.rng
        number, block, room = rng.randrange(1, 400), rng.randrange(1, 30), rng.randrange(101, 2800)
        return f"{rng.choice(w.STREETS)}{number}号{block}幢{room}室"

    def posts(self, accounts: list[int]) -> list[_Post]:
        rng = self.rng
        posts: list[_Post] = []
        today = self.now.astimezone(self.zone).date()
        newest = iter(self.product_ids_newest * 3)
        rows, links, account_rows = [], [], []
        # Two weeks ahead are planned already; "plan 4 weeks" in the planner fills the rest.
        for offset in range(-self.spec.days, 15):
            day = today + timedelta(days=offset)
            for slot_id, (account, weekday, at, kind, _, template) in enumerate(self.slots, 1):
                if account != accounts[0] or (weekday is not None and weekday != day.weekday()):
                    continue  # the main account's cadence; other accounts join sales posts
                when = self.local(day, at)
                past = when < self.now
                products: list[int] = []
                if kind is PostKind.NEW_ARRIVAL:
                    products = [next(newest) for _ in range(rng.choice((1, 2, 3)))]
                elif kind is PostKind.PROMOTION:
                    products = [rng.choice(self.product_ids_newest)]
                text_ = self.post_text(kind, template, products, day)
                skipped = past and rng.random() < 0.04
                status = (
                    PostStatus.SKIPPED
                    if skipped
                    else PostStatus.POSTED
                    if past
                    else PostStatus.SCHEDULED
                    if offset <= 3
                    else PostStatus.DRAFT
                )
                post = _Post(
                    len(posts) + 1,
                    kind,
                    when,
                    status is PostStatus.POSTED,
                    accounts if kind.is_sales else accounts[:1],
                    products,
                )
                posts.append(post)
                posted_at = when + timedelta(minutes=rng.randrange(0, 12)) if post.posted else None
                rows.append(
                    {
                        "id": post.id,
                        "kind": kind,
                        "text": text_,
                        "status": status,
                        "scheduled_at": when,
                        "posted_at": posted_at,
                        "skip_reason": "那天带娃去医院，没来得及发" if skipped else "",
                        "audience_mode": AudienceMode.EVERYONE,
                        "slot_id": slot_id,
                        "auto_drafted": status is PostStatus.DRAFT,
                        "edited_by_person": status is not PostStatus.DRAFT,
                        "author_id": 1,
                        "created_at": when - timedelta(days=3),
                        "updated_at": when - timedelta(days=1),
                    }
                )
                links += [
                    {"post_id": post.id, "product_id": p, "position": i}
                    for i, p in enumerate(dict.fromkeys(products))
                ]
                account_rows += [
                    {"post_id": post.id, "account_id": a, "posted_at": posted_at}
                    for a in post.accounts
                ]
        self.insert(Post, rows)
        self.insert(PostProduct, links)
        self.insert(PostAccount, account_rows)
        return posts

    def pictures(self, posts: list[_Post], media_root: Path) -> None:
        """Drawn product photos, on the products and on the posts that show them."""
        from moments_desk.core.pictures.demo_art import add_demo_pictures
        from moments_desk.core.pictures.demo_posts import dress_posts

        products = [(p, self.names[p], self.categories[p]) for p in self.product_ids_newest]
        self.drawn = add_demo_pictures(self.conn, media_root, products, self.step)
        dress_posts(self.conn, self.drawn, [(post.id, post.products) for post in posts])

    def post_text(self, kind: PostKind, template: str, products: list[int], day: date) -> str:
        if kind is PostKind.LIFESTYLE:
            return self.rng.choice(w.LIFESTYLE_TEXTS)
        pid = products[0]
        return template.format(
            weekday=WEEKDAYS_ZH[day.weekday()],
            name=self.names[pid],
            price=f"¥{self.prices[pid]}",
            selling_points="、".join(self.rng.sample(w.SELLING_POINTS, 2)),
            code="",
        )

    def interactions(self, posts: list[_Post]) -> list[tuple[int, int, int, datetime]]:
        """(customer, post, kind index, time) of every interaction, for orders and stages."""
        rng = self.rng
        posted = [p for p in posts if p.posted]
        if not posted:
            return []
        weights = [3 if p.kind.is_sales else 1 for p in posted]
        made: list[tuple[int, int, int, datetime]] = []
        likers: dict[int, set[int]] = {}
        ranks: dict[int, int] = {}
        kinds = [
            InteractionKind.LIKE,
            InteractionKind.COMMENT,
            InteractionKind.INQUIRY,
            InteractionKind.NOTE,
        ]
        rows = []
        for iid in range(1, self.spec.interactions + 1):
            post = rng.choices(posted, weights)[0]
            pool = self.customers_by_account[rng.choice(post.accounts)]
            customer = rng.choice(pool)
            kind_index = rng.choices(range(4), (60, 25, 10, 5))[0]
            kind = kinds[kind_index]
            if kind is InteractionKind.LIKE:
                seen = likers.setdefault(post.id, set())
                if customer in seen:
                    kind_index, kind = 1, InteractionKind.COMMENT
                else:
                    seen.add(customer)
            at = min(post.at + timedelta(minutes=int(rng.expovariate(1 / 90)) + 1), self.now)
            rank = None
            if kind is InteractionKind.LIKE:
                ranks[post.id] = ranks.get(post.id, 0) + 1
                rank = ranks[post.id]
            content = (
                rng.choice(w.COMMENTS)
                if kind is InteractionKind.COMMENT
                else rng.choice(w.INQUIRIES)
                if kind is InteractionKind.INQUIRY
                else rng.choice(w.NOTES)
                if kind is InteractionKind.NOTE
                else ""
            )
            rows.append(
                {
                    "id": iid,
                    "customer_id": customer,
                    "post_id": None if kind is InteractionKind.NOTE else post.id,
                    "kind": kind,
                    "content": content,
                    "rank": rank,
                    "occurred_at": at,
                    "created_by_id": 1,
                }
            )
            made.append((customer, post.id, kind_index, at))
        self.insert(Interaction, rows)
        self.post_by_id = {p.id: p for p in posts}
        return made

    def orders(
        self, posts: list[_Post], interactions: list[tuple[int, int, int, datetime]]
    ) -> tuple[int, dict[int, int]]:
        rng = self.rng
        buyers = [i for i in interactions if i[2] in (1, 2) and self.post_by_id[i[1]].products]
        if not buyers:
            return 0, {}
        orders, items = [], []
        per_customer: dict[int, int] = {}
        item_id = 0
        for oid in range(1, self.spec.orders + 1):
            customer, post_id, _, at = rng.choice(buyers)
            post = self.post_by_id[post_id]
            created = min(at + timedelta(minutes=rng.randrange(5, 600)), self.now)
            age = (self.now - created).days
            if age > 10:
                status = rng.choices(
                    [OrderStatus.COMPLETED, OrderStatus.CANCELLED, OrderStatus.REFUNDED], (92, 6, 2)
                )[0]
            else:
                status = rng.choices(
                    [
                        OrderStatus.AWAITING_PAYMENT,
                        OrderStatus.PAID,
                        OrderStatus.SHIPPED,
                        OrderStatus.COMPLETED,
                    ],
                    (2, 3, 4, 1),
                )[0]
            lines = rng.sample(post.products, min(len(post.products), rng.choice((1, 1, 2))))
            subtotal = Decimal(0)
            for pid in lines:
                item_id += 1
                quantity = rng.choice((1, 1, 1, 2))
                items.append(
                    {
                        "id": item_id,
                        "order_id": oid,
                        "product_id": pid,
                        "product_name": self.names[pid],
                        "quantity": quantity,
                        "unit_price": self.prices[pid],
                    }
                )
                subtotal += self.prices[pid] * quantity
            discount = Decimal(rng.choice((0, 0, 10, 20))) if subtotal > 100 else Decimal(0)
            shipping = Decimal(0) if subtotal >= 99 else Decimal(8)
            paid = status not in (OrderStatus.AWAITING_PAYMENT, OrderStatus.CANCELLED)
            shipped = status in (OrderStatus.SHIPPED, OrderStatus.COMPLETED, OrderStatus.REFUNDED)
            taobao = rng.random() < 0.1
            orders.append(
                {
                    "id": oid,
                    "customer_id": customer,
                    "account_id": post.accounts[0],
                    "post_id": None if taobao else post_id,
                    "external_no": f"35{rng.randrange(10**15, 10**16)}{oid}" if taobao else None,
                    "source": OrderSource.TAOBAO if taobao else OrderSource.MOMENTS,
                    "status": status,
                    "discount": discount,
                    "shipping_fee": shipping,
                    "total": subtotal - discount + shipping,
                    "recipient": "",
                    "phone": "",
                    "address": self.customer_city[customer],
                    "courier": "中通快递" if shipped else "",
                    "tracking_no": f"7{rng.randrange(10**12, 10**13)}" if shipped else "",
                    "notes": "",
                    "stock_taken": paid,
                    "paid_at": created + timedelta(minutes=20) if paid else None,
                    "shipped_at": created + timedelta(days=1) if shipped else None,
                    "completed_at": created + timedelta(days=5)
                    if status is OrderStatus.COMPLETED
                    else None,
                    "created_at": created,
                    "updated_at": created,
                }
            )
            if status not in (OrderStatus.CANCELLED, OrderStatus.REFUNDED):
                per_customer[customer] = per_customer.get(customer, 0) + 1
        self.insert(Order, orders)
        self.insert(OrderItem, items)
        return len(orders), per_customer

    def stages(
        self,
        interactions: list[tuple[int, int, int, datetime]],
        orders: tuple[int, dict[int, int]],
    ) -> None:
        """Every demo customer on the stage ladder, as the app places a real shop's."""
        from moments_desk.core.stages.ladder import apply_ladder

        apply_ladder(self.conn, None)

    def tracking(
        self, posts: list[_Post], interactions: list[tuple[int, int, int, datetime]]
    ) -> None:
        """First-N places under the newest new-arrivals post and a draw under a #每日一荐#."""
        from moments_desk.core.draws import pick_winners

        posted = sorted((p for p in posts if p.posted), key=lambda p: p.at, reverse=True)
        arrival = next((p for p in posted if p.kind is PostKind.NEW_ARRIVAL and p.products), None)
        if arrival is not None:
            likers = list(
                dict.fromkeys(c for c, pid, k, _ in interactions if pid == arrival.id and k == 0)
            )
            product = arrival.products[0]
            stock = self.conn.execute(
                select(Product.stock).where(Product.id == product)
            ).scalar_one()
            places = min(stock, max(0, len(likers) - 4))
            self.insert(
                Allocation,
                (
                    {
                        "post_id": arrival.id,
                        "product_id": product,
                        "customer_id": customer,
                        "variant": "",
                        "rank": rank,
                        "quantity": 1,
                        "status": AllocationStatus.ALLOCATED
                        if rank <= places
                        else AllocationStatus.WAITLISTED,
                    }
                    for rank, customer in enumerate(likers, 1)
                ),
            )
        pick = next((p for p in posted if p.kind is PostKind.PROMOTION), None)
        if pick is not None:
            at = min(pick.at + timedelta(hours=3), self.now)
            pool = sorted(
                {c for c, pid, k, when in interactions if pid == pick.id and k == 1 and when <= at}
            )
            if len(pool) >= 2:
                seed = f"{self.rng.getrandbits(128):032x}"
                winners = pick_winners(pool, seed, 2)
                self.insert(
                    Draw,
                    [
                        {
                            "post_id": pick.id,
                            "pool": "comments",
                            "winners_count": 2,
                            "seed": seed,
                            "exclude_days": None,
                            "winner_ids": ",".join(str(w) for w in winners),
                            "created_at": at,
                            "updated_at": at,
                        }
                    ],
                )


def _reset_sequences(conn: Connection) -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them past the demo rows."""
    if conn.dialect.name != "postgresql":
        return
    for table in (
        "wechat_account",
        "app_user",
        "tag",
        "cadence_slot",
        "product",
        "customer",
        "customer_address",
        "post",
        "interaction",
        "sales_order",
        "order_item",
    ):
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )


def populate_demo(
    engine: Engine,
    spec: DemoSpec = DemoSpec(),
    *,
    now: datetime | None = None,
    zone: tzinfo | None = None,
    progress: Callable[[int, int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    media_root: Path | None = None,
) -> DemoCounts:
    """Fill an empty shop with the demo; all of it commits or none of it does.

    With ``media_root`` (the shop's picture folder) every product and post gets drawn
    photos; without it (benchmarks at scale) the shop has no pictures.
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    with engine.begin() as conn:
        existing = (
            conn.execute(select(func.count()).select_from(Product)).scalar_one()
            + (conn.execute(select(func.count()).select_from(Customer)).scalar_one())
            + conn.execute(select(func.count()).select_from(WeChatAccount)).scalar_one()
        )
        if existing:
            raise DatabaseNotEmptyError
        builder = _Builder(
            conn, spec, moment, zone or local_zone(), progress, should_cancel, media_root
        )
        counts = builder.build()
        _reset_sequences(conn)
        return counts
