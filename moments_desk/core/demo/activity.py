"""A month of the demo shop's life: posts, likes and comments, orders, stages, first-N and draws."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from moments_desk.core.demo import demo_words as w
from moments_desk.core.demo.shop import ShopBuilder
from moments_desk.core.library.starters import STARTERS
from moments_desk.core.planning import copy_bank
from moments_desk.core.planning.templates import TemplateContext, TemplateProduct, render_template
from moments_desk.db.models import (
    Allocation,
    AllocationStatus,
    AudienceMode,
    Draw,
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
)


@dataclass
class _Post:
    id: int
    kind: PostKind
    at: datetime
    posted: bool
    accounts: list[int]
    products: list[int] = field(default_factory=list)


class ActivityBuilder(ShopBuilder):
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

    def _line_size(self, pid: int, item_id: int) -> dict[str, object]:
        """An order line of a product in several sizes names one (its own random: the rest of
        the demo stays as drawn from the shop's seed)."""
        found = self.sizes.get(pid)
        if not found:
            # Every row names the same columns: the lines go in by one executemany.
            return {"variant": "", "variant_id": None}
        vid, label, _ = random.Random(item_id).choice(found)
        return {"variant": label, "variant_id": vid}

    def post_text(self, kind: PostKind, template: str, products: list[int], day: date) -> str:
        """The demo's posts follow the planner's rules: life posts take turns through the
        starters, a product is 上新 once and then 返场, and the copy rotates."""
        turns: dict[str, int] = self.__dict__.setdefault("_turns", {})
        if kind is PostKind.LIFESTYLE:
            if "_life_pool" not in self.__dict__:
                self.__dict__["_life_pool"] = self._life_pool()
            pool: list[str] = self.__dict__["_life_pool"]
            turns["life"] = turns.get("life", -1) + 1
            return pool[turns["life"] % len(pool)]
        shown: set[int] = self.__dict__.setdefault("_shown", set())
        pid = products[0]
        returning = pid in shown
        shown.add(pid)
        if kind is PostKind.NEW_ARRIVAL:
            bank = copy_bank.RETURN if returning else (template, *copy_bank.NEW_ARRIVAL)
        else:
            bank = (template, *copy_bank.BY_KIND.get(kind, ()))
        key = f"{kind.value}:{returning}"
        turns[key] = turns.get(key, -1) + 1
        left = [label for _, label, stock in self.sizes.get(pid, ()) if stock > 0]
        product = TemplateProduct(
            self.names[pid],
            Decimal(str(self.prices[pid])),
            selling_points="、".join(self.rng.sample(w.SELLING_POINTS, 2)),
            # The 现货 line as the planner writes it, from the stock the demo starts with.
            stock_line=f"现货：{' '.join(left)}" if left else "",
        )
        chosen = bank[turns[key] % len(bank)]
        return render_template(chosen, TemplateContext([product], "", day))

    def _life_pool(self) -> list[str]:
        pool = [*w.LIFESTYLE_TEXTS, *(s.text for s in STARTERS if s.day is None and not s.season)]
        self.rng.shuffle(pool)
        return pool

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
                        **self._line_size(pid, item_id),
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
        from moments_desk.core.tracking.draws import pick_winners

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
            # A product in several sizes: the places go to its best-stocked size (前 N 名 M码).
            size: tuple[int | None, str] = (None, "")
            if product in self.sizes:
                vid, label, stock = max(self.sizes[product], key=lambda v: v[2])
                size = (vid, label)
            places = min(stock, max(0, len(likers) - 4))
            self.insert(
                Allocation,
                (
                    {
                        "post_id": arrival.id,
                        "product_id": product,
                        "customer_id": customer,
                        "variant": size[1],
                        "variant_id": size[0],
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
