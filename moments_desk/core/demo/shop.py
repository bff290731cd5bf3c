"""The demo shop itself: WeChat accounts with their rhythm, products, customers."""

from __future__ import annotations

import json
import string
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from moments_desk.core.catalogue.variants import variant_label
from moments_desk.core.demo import demo_words as w
from moments_desk.core.demo.builder import TAOBAO_ITEM, Builder
from moments_desk.core.demo.demo_sizes import demo_variants
from moments_desk.core.setup.first_run import SHOP_NAME_KEY
from moments_desk.core.shared.pinyin import customer_search_text, search_keys, search_text
from moments_desk.db.models import (
    AccountRules,
    AppSetting,
    CadenceSlot,
    Customer,
    CustomerAddress,
    CustomerSource,
    Gender,
    PostKind,
    Product,
    ProductStatus,
    ProductVariant,
    Relationship,
    Tag,
    User,
    UserRole,
    WeChatAccount,
    customer_tag,
    product_tag,
)


class ShopBuilder(Builder):
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
        cells: list[tuple[int, str, str, int]] = []
        for pid in range(1, spec.products + 1):
            category, (prefix, kinds, (low, high)) = categories[pid % len(categories)]
            colour = rng.choice(w.COLOURS)
            name = f"{colour}{rng.choice(w.STYLES)}{rng.choice(kinds)}"
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
            stock = 0 if status is ProductStatus.SOLD_OUT else rng.randrange(1, 60)
            cells.append((pid, category, colour, stock))
            rows.append(
                {
                    "id": pid,
                    "code": code,
                    "name": name,
                    "category": category,
                    "price": price,
                    "cost": (price * Decimal("0.45")).quantize(Decimal("1")),
                    "stock": stock,
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
        variants: list[dict[str, object]] = []
        for pid, category, colour, stock in cells:
            found = demo_variants(pid, category, colour, stock)
            for position, v in enumerate(found):
                vid = len(variants) + 1
                variants.append(
                    {
                        "id": vid,
                        "product_id": pid,
                        "color": v.color,
                        "size": v.size,
                        "stock": v.stock,
                        "position": position,
                    }
                )
                if len(found) > 1:
                    self.sizes.setdefault(pid, []).append(
                        (vid, variant_label(v.color, v.size), v.stock)
                    )
        self.insert(ProductVariant, variants)
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
