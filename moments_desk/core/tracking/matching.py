"""Matching names pasted from WeChat to customers. No Qt here.

The pasted text is read in ``pasted`` (re-exported here); each name becomes a customer of
the post's account: exact nickname or remark name first, then pinyin, then fuzzy
(rapidfuzz) with choices offered.
"""

from __future__ import annotations

import enum
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import Session

from moments_desk.core.shared.pinyin import name_pinyin
from moments_desk.core.tracking.pasted import MAX_NAME as MAX_NAME
from moments_desk.core.tracking.pasted import ParsedPaste as ParsedPaste
from moments_desk.core.tracking.pasted import PastedName as PastedName
from moments_desk.core.tracking.pasted import clean_name as clean_name
from moments_desk.core.tracking.pasted import name_key as name_key
from moments_desk.core.tracking.pasted import parse_pasted as parse_pasted
from moments_desk.core.tracking.pasted import plain_key as _plain_key
from moments_desk.core.tracking.pasted import plain_of_key as _plain_of_key
from moments_desk.db.models import Customer, InteractionKind

FUZZY_THRESHOLD = 80.0
MAX_CHOICES = 5


class MatchStatus(enum.StrEnum):
    MATCHED = "matched"  # one customer, exactly (nickname, remark or pinyin)
    AMBIGUOUS = "ambiguous"  # several customers, or only a fuzzy resemblance: the seller picks
    UNKNOWN = "unknown"  # nobody like this: create a new customer in one click


class MatchReason(enum.StrEnum):
    NICKNAME = "nickname"
    REMARK = "remark"
    PINYIN = "pinyin"
    FUZZY = "fuzzy"


@dataclass(frozen=True)
class Candidate:
    customer_id: int
    display: str
    reason: MatchReason
    score: float
    #: what tells two friends of the same name apart: nickname behind a remark, city, WeChat ID
    detail: str = ""


@dataclass(frozen=True)
class NameMatch:
    pasted: PastedName
    status: MatchStatus
    candidates: tuple[Candidate, ...] = field(default=())

    @property
    def customer_id(self) -> int | None:
        """The customer chosen by default: the only or the best candidate."""
        if self.status is MatchStatus.UNKNOWN or not self.candidates:
            return None
        return self.candidates[0].customer_id


class _Person(NamedTuple):
    id: int
    nickname: str
    remark: str
    city: str
    wechat_id: str | None
    nickname_key: str
    remark_key: str
    plain_keys: tuple[str, ...]
    pinyin: tuple[str, ...]


#: Between the fields of a person's details in ``CustomerIndex._info``.
_SEP = "\x1f"


def _put(into: dict[str, int | list[int]], key: str, value: int) -> None:
    """A multimap that holds a lone value as a plain int: most keys name one person."""
    held = into.get(key)
    if held is None:
        into[key] = value
    elif isinstance(held, list):
        held.append(value)
    else:
        into[key] = [held, value]


def _held(held: int | list[int] | None) -> list[int]:
    if held is None:
        return []
    return held if isinstance(held, list) else [held]


class CustomerIndex:
    """The customers of one account, keyed for matching a pasted list in memory.

    Built once and cached until the account's customers change (see ``cached_index``);
    each name is then a dictionary look-up and, only when that fails, a rapidfuzz scan of
    the few keys that share its rarest characters.

    Compact at 200,000 customers (0.4 KB each; 1.4 KB as tuples of strings): people are
    positions into an id array, their details one UTF-8 ``bytes`` each (decoded only for
    the few candidates shown), each distinct key one string object shared by every map,
    and a key naming one person holds a plain int instead of a list of tuples.
    """

    def __init__(self, people: Iterable[_Person]) -> None:
        self._ids = array("q")
        self._info: list[bytes] = []
        #: key → position·2, plus 1 when the key is her remark rather than her nickname
        self._exact: dict[str, int | list[int]] = {}
        self._plain: dict[str, int | list[int]] = {}
        self._pinyin: dict[str, int | list[int]] = {}
        self._fuzzy_pos = array("i")
        self._fuzzy_keys: list[str] = []
        # Which keys hold each character: fuzzy matching only scores keys that can reach
        # the threshold (see _fuzzy), a few hundred instead of 50,000.
        self._postings: dict[str, list[int]] = {}
        exact, plain, pinyin, postings = self._exact, self._plain, self._pinyin, self._postings
        fuzzy_pos, fuzzy_keys = self._fuzzy_pos, self._fuzzy_keys
        canon: dict[str, str] = {}  # one string object per distinct key
        for person in people:
            pos = len(self._ids)
            self._ids.append(person.id)
            details = (person.nickname, person.remark, person.city, person.wechat_id or "")
            self._info.append(_SEP.join(details).encode())
            nick_key = canon.setdefault(person.nickname_key, person.nickname_key)
            if nick_key:
                _put(exact, nick_key, pos * 2)
            if person.remark_key and person.remark_key != nick_key:
                _put(exact, canon.setdefault(person.remark_key, person.remark_key), pos * 2 + 1)
            for raw in person.plain_keys:
                if not raw:
                    continue
                key = canon.setdefault(raw, raw)
                _put(plain, key, pos)
                position = len(fuzzy_keys)
                fuzzy_pos.append(pos)
                fuzzy_keys.append(key)
                for char in set(key):
                    # One int object shared by its characters' lists: arrays would be
                    # smaller, but the fuzzy scan would box every position it reads.
                    postings.setdefault(char, []).append(position)
            for raw in person.pinyin:
                _put(pinyin, canon.setdefault(raw, raw), pos)

    @classmethod
    def load(cls, session: Session, account_id: int | None) -> CustomerIndex:
        """The customers of ``account_id`` (None: of every account, e.g. for a benchmark)."""
        # Streamed: the rows of 200,000 customers are never all in memory at once.
        rows = session.execute(
            select(
                Customer.id,
                Customer.nickname,
                Customer.remark,
                Customer.search_text,
                Customer.city,
                Customer.wechat_id,
            )
            .where(true() if account_id is None else Customer.account_id == account_id)
            .order_by(Customer.id)
            .execution_options(yield_per=5000)
        )
        return cls(_person(*row) for row in rows)

    def __len__(self) -> int:
        return len(self._ids)

    def _details(self, pos: int) -> list[str]:
        """nickname, remark, city, WeChat ID (empty when none)."""
        return self._info[pos].decode().split(_SEP)

    def _candidate(self, pos: int, reason: MatchReason, score: float) -> Candidate:
        nickname, remark, city, wechat_id = self._details(pos)
        detail = " · ".join(part for part in (nickname if remark else "", city, wechat_id) if part)
        return Candidate(self._ids[pos], remark or nickname, reason, score, detail)

    def match(self, pasted: PastedName) -> NameMatch:
        key = name_key(pasted.name)
        exact = [
            (code // 2, MatchReason.REMARK if code % 2 else MatchReason.NICKNAME)
            for code in _held(self._exact.get(key))
        ]
        if exact:
            # WeChat shows a friend's remark (or nickname) exactly: friends written exactly
            # so are meant, not those differing only in case, width or spaces (as the quick
            # look-up in ``match_pasted`` finds them).
            name = pasted.name
            written = []
            for pos, _ in exact:
                nickname, remark = self._details(pos)[:2]
                if name in (remark, nickname):
                    reason = MatchReason.REMARK if remark == name else MatchReason.NICKNAME
                    written.append((pos, reason))
            meant = written or exact
            # A remark name is the seller's own label: it beats someone's matching nickname.
            ordered = sorted(meant, key=lambda hit: hit[1] is not MatchReason.REMARK)
            return self._found(
                pasted, [(i, r, 100.0) for i, r in ordered[:MAX_CHOICES]], len(meant)
            )
        plain = _plain_key(pasted.name)
        same = _held(self._plain.get(plain)) if plain else []
        if same:
            hits = [(i, MatchReason.NICKNAME, 99.0) for i in same[:MAX_CHOICES]]
            return self._found(pasted, hits, len(same))
        if plain.isascii() and plain.isalpha() and len(plain) >= 2:
            by_pinyin = _held(self._pinyin.get(plain))
            if by_pinyin:
                hits = [(i, MatchReason.PINYIN, 95.0) for i in by_pinyin[:MAX_CHOICES]]
                return self._found(pasted, hits, len(by_pinyin))
        fuzzy = self._fuzzy(plain)
        if fuzzy:
            return NameMatch(pasted, MatchStatus.AMBIGUOUS, fuzzy)
        return NameMatch(pasted, MatchStatus.UNKNOWN)

    def _found(
        self, pasted: PastedName, hits: list[tuple[int, MatchReason, float]], total: int
    ) -> NameMatch:
        status = MatchStatus.MATCHED if total == 1 else MatchStatus.AMBIGUOUS
        return NameMatch(pasted, status, tuple(self._candidate(*hit) for hit in hits))

    def _fuzzy(self, key: str) -> tuple[Candidate, ...]:
        if not key or not self._fuzzy_keys:
            return ()
        from rapidfuzz import fuzz, process

        # fuzz.ratio is 2·LCS/(len(a)+len(b)); reaching 80 needs LCS ≥ ⌈2·len(key)/3⌉, so a
        # key missing more than len(key) − that many of our characters cannot qualify: every
        # candidate holds one of the (that + 1) rarest characters.
        empty: list[int] = []
        distinct = sorted(set(key), key=lambda c: len(self._postings.get(c, empty)))
        may_miss = len(key) - -(-2 * len(key) // 3)
        positions: set[int] = set()
        for char in distinct[: may_miss + 1]:
            positions.update(self._postings.get(char, empty))
        ordered = sorted(positions)
        hits = process.extract(
            key,
            [self._fuzzy_keys[p] for p in ordered],
            scorer=fuzz.ratio,
            limit=MAX_CHOICES * 2,
            score_cutoff=FUZZY_THRESHOLD,
        )
        best: dict[int, float] = {}
        for _, score, index in hits:
            pos = self._fuzzy_pos[ordered[index]]
            best[pos] = max(best.get(pos, 0.0), float(score))
        ranked = sorted(best.items(), key=lambda item: -item[1])[:MAX_CHOICES]
        return tuple(self._candidate(pos, MatchReason.FUZZY, s) for pos, s in ranked)


def _person(
    customer_id: int,
    nickname: str,
    remark: str | None,
    search_text: str | None,
    city: str,
    wechat_id: str | None,
) -> _Person:
    nick_key, remark_key = name_key(nickname), name_key(remark) if remark else ""
    plain_nick = _plain_of_key(nick_key)
    plain_remark = _plain_of_key(remark_key) if remark_key else ""
    return _Person(
        customer_id,
        nickname,
        remark or "",
        city,
        wechat_id,
        nick_key,
        remark_key,
        (plain_nick, plain_remark)
        if plain_remark and plain_remark != plain_nick
        else (plain_nick,),
        tuple(k for k in name_pinyin(search_text or "") if len(k) >= 2),
    )


def match_names(index: CustomerIndex, names: Sequence[PastedName]) -> list[NameMatch]:
    return [index.match(name) for name in names]


_INDEX_CACHE: dict[tuple[int, int | None], tuple[tuple[Any, ...], CustomerIndex]] = {}


def clear_index_cache() -> None:
    _INDEX_CACHE.clear()


def _cached(
    session: Session, account_id: int | None
) -> tuple[tuple[Any, ...], CustomerIndex | None]:
    """The fingerprint of the account's customers and the cached index if still current."""
    where = true() if account_id is None else Customer.account_id == account_id
    fingerprint = tuple(
        session.execute(
            select(func.count(), func.max(Customer.updated_at), func.max(Customer.id)).where(where)
        ).one()
    )
    cached = _INDEX_CACHE.get((id(session.get_bind()), account_id))
    if cached is not None and cached[0] == fingerprint:
        return fingerprint, cached[1]
    return fingerprint, None


def cached_index(session: Session, account_id: int | None) -> CustomerIndex:
    """The account's index, rebuilt only when its customers changed since the last paste.

    The fingerprint (count, newest change, highest id) costs one indexed aggregate; the
    index itself takes a second to build at 50,000 customers on a slow laptop.
    """
    fingerprint, cached = _cached(session, account_id)
    if cached is not None:
        return cached
    index = CustomerIndex.load(session, account_id)
    key = (id(session.get_bind()), account_id)
    if len(_INDEX_CACHE) >= 4:
        _INDEX_CACHE.clear()
    _INDEX_CACHE[key] = (fingerprint, index)
    return index


def match_pasted(
    session: Session, account_id: int | None, names: Sequence[PastedName]
) -> tuple[list[NameMatch], int]:
    """Match pasted names: with a current cached index, all in memory; otherwise most are
    exactly a nickname or remark (WeChat shows the remark when there is one), found by one
    SQL query, and only the rest wait for the index to be built."""
    _, ready = _cached(session, account_id)
    if ready is not None:
        return [ready.match(p) for p in names], len(ready)
    wanted = list(dict.fromkeys(p.name for p in names))
    hits: dict[str, list[tuple[int, MatchReason, str, str, str | None, str]]] = {}
    for start in range(0, len(wanted), 400):
        chunk = wanted[start : start + 400]
        stmt = select(
            Customer.id,
            Customer.nickname,
            Customer.remark,
            Customer.city,
            Customer.wechat_id,
        ).where(or_(Customer.nickname.in_(chunk), Customer.remark.in_(chunk)))
        if account_id is not None:
            stmt = stmt.where(Customer.account_id == account_id)
        wanted_here = set(chunk)
        for row in session.execute(stmt.order_by(Customer.id)):
            if row.remark in wanted_here:
                hits.setdefault(row.remark, []).append(
                    (row.id, MatchReason.REMARK, row.remark, row.nickname, row.wechat_id, row.city)
                )
            if row.nickname in wanted_here and row.nickname != row.remark:
                hits.setdefault(row.nickname, []).append(
                    (
                        row.id,
                        MatchReason.NICKNAME,
                        row.remark,
                        row.nickname,
                        row.wechat_id,
                        row.city,
                    )
                )
    results: list[NameMatch | None] = []
    for pasted in names:
        found = hits.get(pasted.name)
        if not found:
            results.append(None)
            continue
        found = sorted(found, key=lambda hit: hit[1] is not MatchReason.REMARK)
        candidates = tuple(
            Candidate(
                cid,
                remark or nickname,
                reason,
                100.0,
                " · ".join(x for x in (nickname if remark else "", city, wechat_id or "") if x),
            )
            for cid, reason, remark, nickname, wechat_id, city in found[:MAX_CHOICES]
        )
        status = MatchStatus.MATCHED if len(found) == 1 else MatchStatus.AMBIGUOUS
        results.append(NameMatch(pasted, status, candidates))
    searched = 0
    if any(r is None for r in results):
        index = cached_index(session, account_id)
        searched = len(index)
        results = [
            r if r is not None else index.match(p) for r, p in zip(results, names, strict=True)
        ]
    else:
        searched = (
            session.scalar(
                # select_from: without it, "every account" counted one row, not the customers.
                select(func.count())
                .select_from(Customer)
                .where(true() if account_id is None else Customer.account_id == account_id)
            )
            or 0
        )
    return [r for r in results if r is not None], searched


@dataclass(frozen=True)
class ReviewRow:
    kind: InteractionKind
    match: NameMatch


@dataclass(frozen=True)
class PasteReview:
    rows: tuple[ReviewRow, ...]
    duplicates: tuple[tuple[str, int], ...]
    customers_searched: int


def review_paste(
    session: Session, account_id: int, text: str, private_chat: bool = False
) -> PasteReview:
    """Parse pasted text and match every name against the account's customers.

    Likers come first in their order, then commenters; with ``private_chat`` every name
    (and its text) is a private inquiry (私聊) instead.
    """
    parsed = parse_pasted(text)
    if private_chat:
        chats: dict[str, PastedName] = {}
        for pasted in (*parsed.comments, *parsed.likes):
            chats.setdefault(name_key(pasted.name), pasted)
        ordered = sorted(chats.values(), key=lambda p: p.line)
        kinds = [InteractionKind.INQUIRY] * len(ordered)
    else:
        ordered = [*parsed.likes, *parsed.comments]
        kinds = [InteractionKind.LIKE] * len(parsed.likes)
        kinds += [InteractionKind.COMMENT] * len(parsed.comments)
    matches, searched = match_pasted(session, account_id, ordered)
    rows = [ReviewRow(kind, match) for kind, match in zip(kinds, matches, strict=True)]
    return PasteReview(tuple(rows), parsed.duplicates, searched)
