"""Auto-drafting: "plan the next N weeks" fills empty slot occurrences with drafts.

Sales slots (new arrival, promotion, activity) get products: new arrivals first (newest
arrival date first, never posted on that account), then the products posted longest ago,
only on sale with stock, matching the slot's category/tag and outside the same-product
cooldown. Lifestyle and feedback slots get the template text without products. An
occurrence that would break a hard time rule (quiet hours, posts per day, gap, sales per
week) stays empty and is reported. Re-planning is idempotent: an occurrence that already
has a post of its slot (any status, any author) is left alone, so nothing a person wrote is
ever touched.

``propose_drafts`` is the pure core (plain data in, proposals out); ``drafting.plan_weeks``
wraps it around the database.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal

from moments_desk.core.library.buyer_quotes import BuyerShowPicker
from moments_desk.core.library.picking import (
    DEFAULT_NO_REPEAT_WEEKS,
    FEEDBACK_KINDS,
    LibraryPicker,
)
from moments_desk.core.library.starters import suggestions_for
from moments_desk.core.planning import copy_bank
from moments_desk.core.planning.cadence import Occurrence, SlotSpec
from moments_desk.core.planning.captions import CaptionBook, templates_for
from moments_desk.core.planning.errors import PlanningError
from moments_desk.core.planning.rules import (
    MAX_IMAGES,
    AccountLedger,
    PlanItem,
    RuleSettings,
    local_day,
)
from moments_desk.core.planning.templates import (
    TemplateContext,
    TemplateProduct,
    render_template,
)
from moments_desk.db.models import (
    PostKind,
    PostStatus,
)

#: Products per auto-drafted post: one, so headline, price and pictures name the same piece.
#: A slot whose template lists its products ({清单}) is a deliberate 合集 of this many.
COLLECTION_SIZE = 3
#: How far down the ranking a slot looks for a product outside its cooldown.
_SCAN = 400


@dataclass(frozen=True)
class Candidate:
    """A product as auto-drafting sees it."""

    product_id: int
    name: str
    price: Decimal = Decimal("0")
    code: str = ""
    category: str = ""
    selling_points: str = ""
    link: str = ""
    stock: int = 1
    on_sale: bool = True
    new_arrival: date | None = None
    tag_ids: frozenset[int] = frozenset()
    tag_names: tuple[str, ...] = ()
    image_ids: tuple[int, ...] = ()
    #: sizes and colours with a piece left, and the 现货 line, for {尺码} {颜色} {现货}
    sizes: tuple[str, ...] = ()
    colors: tuple[str, ...] = ()
    stock_line: str = ""

    def template_product(self) -> TemplateProduct:
        return TemplateProduct(
            name=self.name,
            price=self.price,
            code=self.code,
            category=self.category,
            selling_points=self.selling_points,
            link=self.link,
            stock=self.stock,
            tags=self.tag_names,
            sizes=self.sizes,
            colors=self.colors,
            stock_line=self.stock_line,
        )


@dataclass(frozen=True)
class DraftProposal:
    slot_id: int
    account_id: int
    at: datetime
    kind: PostKind
    product_ids: tuple[int, ...]
    image_ids: tuple[int, ...]
    text: str
    #: The library entry the text came from (its "last used" moves), if any.
    entry_id: int | None = None
    #: The customer and comment a 买家秀 quotes (customer id, interaction id), if any.
    quote: tuple[int, int] | None = None


@dataclass(frozen=True)
class EmptyOccurrence:
    """An occurrence left empty. ``reason``: ``no_product`` (nothing on sale, in stock,
    matching and outside the cooldown), ``template`` (the slot's template is broken; see
    ``detail``) or a hard rule code (``quiet_hours``, ``max_per_day``, ``min_gap``,
    ``sales_per_week``)."""

    slot_id: int
    account_id: int
    at: datetime
    reason: str
    detail: str = ""


@dataclass(frozen=True)
class PlanOutcome:
    created: tuple[int, ...]
    #: Occurrences that already had a post (kept as they are).
    kept: int
    empty: tuple[EmptyOccurrence, ...] = ()
    proposals: tuple[DraftProposal, ...] = field(default=(), repr=False)
    #: Untouched auto-drafts removed because a product of theirs is no longer on sale or
    #: in stock; their occurrences were drafted again.
    replaced: tuple[int, ...] = ()


def _pictures(products: Sequence[Candidate]) -> tuple[int, ...]:
    """Round robin over the products' pictures (covers first), at most nine."""
    found: list[int] = []
    depth = 0
    while len(found) < MAX_IMAGES and any(len(p.image_ids) > depth for p in products):
        for product in products:
            if depth < len(product.image_ids) and len(found) < MAX_IMAGES:
                media = product.image_ids[depth]
                if media not in found:
                    found.append(media)
        depth += 1
    return tuple(found)


class _Ranking:
    """Products one account's slot may use, best first; used ones go to the back."""

    def __init__(
        self,
        fits: Sequence[Candidate],
        used: Mapping[int, list[datetime]],
    ) -> None:
        # ``fits`` is already in the order for products never shown on this account.
        fresh = [c for c in fits if not used.get(c.product_id)]
        fresh_ids = {c.product_id for c in fresh}
        never = datetime.min.replace(tzinfo=UTC)
        # Shown before: the one shown longest ago first, then the most in stock.
        rest = sorted(
            (c for c in fits if c.product_id not in fresh_ids),
            key=lambda c: (max(used.get(c.product_id) or [never]), -c.stock, c.product_id),
        )
        self.queue: deque[Candidate] = deque([*fresh, *rest])

    def take(
        self,
        count: int,
        at: datetime,
        day: date,
        used: Mapping[int, list[datetime]],
        cooldown: timedelta,
    ) -> list[Candidate]:
        chosen: list[Candidate] = []
        for index, candidate in enumerate(self.queue):
            if index >= _SCAN or len(chosen) == count:
                break
            if candidate.new_arrival is not None and candidate.new_arrival > day:
                continue  # not arrived yet on that day
            if any(abs(at - t) < cooldown for t in used.get(candidate.product_id, ())):
                continue
            chosen.append(candidate)
        for candidate in chosen:
            self.queue.remove(candidate)
            self.queue.append(candidate)
        return chosen


def _fitting(candidates: Sequence[Candidate], spec: SlotSpec) -> list[Candidate]:
    """Products a slot may show, newest arrival first, then the most in stock (the order
    for products never shown on the account)."""
    oldest = date.min
    return sorted(
        (
            c
            for c in candidates
            if c.on_sale
            and c.stock > 0
            and (not spec.category or c.category == spec.category)
            and (spec.tag_id is None or spec.tag_id in c.tag_ids)
        ),
        key=lambda c: (c.new_arrival or oldest, c.stock, c.product_id),
        reverse=True,
    )


def propose_drafts(
    planned: Sequence[Occurrence],
    slots: Mapping[int, SlotSpec],
    candidates: Sequence[Candidate],
    existing: Sequence[PlanItem],
    settings: Mapping[int, RuleSettings],
    zone: tzinfo,
    *,
    occupied: Collection[tuple[int, date]] = (),
    shop_names: Mapping[int, str] | None = None,
    library: LibraryPicker | None = None,
    buyers: BuyerShowPicker | None = None,
) -> tuple[list[DraftProposal], list[EmptyOccurrence], int]:
    """Drafts for the free occurrences: (proposals, empty occurrences, occupied count).

    ``existing`` are the posts already planned or posted around the window (they count for
    every rule, cooldown and repeated caption); ``occupied`` holds (slot id, local date)
    pairs that already have a post. A post on the account at exactly the occurrence's time
    occupies it too. ``library`` fills the non-selling slots (default: the built-in starters).
    """
    ledgers: dict[int, AccountLedger] = {}
    used: dict[int, dict[int, list[datetime]]] = {}
    books: dict[int, CaptionBook] = {}

    def ledger(account_id: int) -> AccountLedger:
        if account_id not in ledgers:
            ledgers[account_id] = AccountLedger(settings.get(account_id, RuleSettings()), zone)
            used[account_id] = {}
            books[account_id] = CaptionBook()
        return ledgers[account_id]

    shown: dict[int, list[tuple[datetime, str]]] = {}
    for item in existing:
        if item.at is None or item.status is PostStatus.SKIPPED:
            continue
        for account_id in dict.fromkeys(item.account_ids):
            ledger(account_id).add(item.at, item.kind)
            books[account_id].add(item.at, item.kind, item.text)
            if item.text:
                shown.setdefault(account_id, []).append((item.at, item.text))
            for pid in item.product_ids:
                used[account_id].setdefault(pid, []).append(item.at)
    if library is None:
        library = LibraryPicker((), timedelta(weeks=DEFAULT_NO_REPEAT_WEEKS), shown)

    # A post a person put exactly at the slot's time on that account fills the slot too.
    taken_times = {
        (account_id, item.at)
        for item in existing
        if item.at is not None and item.status is not PostStatus.SKIPPED
        for account_id in item.account_ids
    }
    rankings: dict[tuple[int, int], _Ranking] = {}
    fitting: dict[tuple[str | None, int | None], list[Candidate]] = {}
    occupied_set = set(occupied)
    proposals: list[DraftProposal] = []
    empty: list[EmptyOccurrence] = []
    kept = 0
    for occ in planned:
        spec = slots[occ.slot_id]
        day = local_day(occ.at, zone)
        if (occ.slot_id, day) in occupied_set or (occ.account_id, occ.at) in taken_times:
            kept += 1
            continue
        book = ledger(occ.account_id)
        blocked = book.blocking_rule(occ.at, spec.kind)
        if blocked is not None:
            empty.append(EmptyOccurrence(occ.slot_id, occ.account_id, occ.at, blocked.value))
            continue
        shop = (shop_names or {}).get(occ.account_id, "")
        if not spec.kind.is_sales:
            proposal = _life_post(
                spec,
                occ,
                day,
                shop,
                library,
                buyers,
                books[occ.account_id].fresh_at(occ.at, spec.kind),
            )
        else:
            key = (occ.account_id, occ.slot_id)
            if key not in rankings:
                # Slots with the same filter share one sort of the catalogue.
                signature = (spec.category, spec.tag_id)
                if signature not in fitting:
                    fitting[signature] = _fitting(candidates, spec)
                rankings[key] = _Ranking(fitting[signature], used[occ.account_id])
            cooldown = timedelta(days=book.settings.product_cooldown_days)
            collection = copy_bank.is_collection(spec.template)
            chosen = rankings[key].take(
                COLLECTION_SIZE if collection else 1,
                occ.at,
                day,
                used[occ.account_id],
                cooldown,
            )
            if not chosen:
                empty.append(EmptyOccurrence(occ.slot_id, occ.account_id, occ.at, "no_product"))
                continue
            returning = any(used[occ.account_id].get(c.product_id) for c in chosen)
            try:
                # Turns per slot template and kind: Tuesday and Thursday take turns too.
                text = books[occ.account_id].choose(
                    f"{spec.kind.value}:{returning}:{spec.template}",
                    spec.kind,
                    templates_for(spec.kind, spec.template, returning),
                    [c.template_product() for c in chosen],
                    shop,
                    day,
                    occ.at,
                )
            except PlanningError as error:
                empty.append(
                    EmptyOccurrence(occ.slot_id, occ.account_id, occ.at, "template", str(error))
                )
                continue
            if text is None:
                empty.append(EmptyOccurrence(occ.slot_id, occ.account_id, occ.at, "repeat"))
                continue
            proposal = DraftProposal(
                occ.slot_id,
                occ.account_id,
                occ.at,
                spec.kind,
                tuple(c.product_id for c in chosen),
                _pictures(chosen),
                text,
            )
        proposals.append(proposal)
        occupied_set.add((occ.slot_id, day))
        book.add(occ.at, spec.kind)
        books[occ.account_id].add(occ.at, spec.kind, proposal.text)
        for pid in proposal.product_ids:
            used[occ.account_id].setdefault(pid, []).append(occ.at)
    return proposals, empty, kept


def _life_post(
    spec: SlotSpec,
    occ: Occurrence,
    day: date,
    shop: str,
    library: LibraryPicker,
    buyers: BuyerShowPicker | None = None,
    fresh: Callable[[str], bool] | None = None,
) -> DraftProposal:
    """A non-selling post: the slot's own text if it has one that says something, else (in
    a 买家秀 slot) a consenting customer's praise, else a library entry, else a 待写 draft
    with three suggestions."""
    kinds = FEEDBACK_KINDS if spec.kind is PostKind.FEEDBACK else None
    own = [
        text
        for template in copy_bank.variants(spec.template)
        if (text := _render_quietly(template, shop, day)) and not copy_bank.is_header_only(text)
    ]
    if own:
        text = own[library.cursor.get(-occ.slot_id, 0) % len(own)]
        library.cursor[-occ.slot_id] = library.cursor.get(-occ.slot_id, 0) + 1
        return DraftProposal(occ.slot_id, occ.account_id, occ.at, spec.kind, (), (), text)
    picked = None
    if buyers is not None and kinds is FEEDBACK_KINDS:
        picked = buyers.pick(occ.at, fresh)
    if picked is not None:
        quote, text = picked
        return DraftProposal(
            occ.slot_id,
            occ.account_id,
            occ.at,
            spec.kind,
            (),
            quote.image_ids[:MAX_IMAGES],
            text,
            quote=(quote.customer_id, quote.interaction_id),
        )
    entry = library.pick(occ.account_id, occ.at, day, kinds)
    if entry is None:
        ideas = suggestions_for(day.month, feedback=spec.kind is PostKind.FEEDBACK)
        text = copy_bank.to_write_text(ideas)
        return DraftProposal(occ.slot_id, occ.account_id, occ.at, spec.kind, (), (), text)
    return DraftProposal(
        occ.slot_id,
        occ.account_id,
        occ.at,
        spec.kind,
        (),
        entry.image_ids[:MAX_IMAGES],
        entry.text,
        entry.entry_id,
    )


def _render_quietly(template: str, shop: str, day: date) -> str:
    try:
        return render_template(template, TemplateContext((), shop, day))
    except PlanningError:
        return ""
