"""Reading names pasted from WeChat and matching them to customers. No Qt here.

WeChat shows likers as "小美, 阿花, Amy🌸" and comments as "小美：好看！多少钱". The seller
copies that text (or types it) and we turn it into customers of the post's account: exact
nickname or remark name first, then pinyin, then fuzzy (rapidfuzz) with choices offered.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import Session

from moments_desk.core.shared.pinyin import name_pinyin
from moments_desk.db.models import Customer, InteractionKind

#: Separators between names on one line: ASCII and full-width commas, 、, semicolons.
_SPLIT = re.compile(r"[,，、;；|]+")
#: "name：comment" or "name: comment" (WeChat uses a full-width colon in Chinese).
_COMMENT = re.compile(r"^(?P<name>[^:：]{1,60}?)\s*[:：]\s*(?P<text>.*)$")
#: "A回复B：text" – a reply: the writer is A.
_REPLY = re.compile(r"^(?P<name>.+?)\s*回复\s*.+$")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\ufe0f\ufe0e]")
_SPACES = re.compile(r"\s+")
#: Emoji, punctuation, symbols and "_": what stays is letters and digits of any script.
_NOT_ALNUM = re.compile(r"[\W_]+")
MAX_NAME = 100
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
class PastedName:
    """One name from the pasted text, with the comment written after it (if any)."""

    name: str
    comment: str
    #: 1-based line of the pasted text, to name it in messages
    line: int
    #: how often the name appeared (duplicates are collapsed onto the first)
    times: int = 1


@dataclass(frozen=True)
class ParsedPaste:
    likes: tuple[PastedName, ...]
    comments: tuple[PastedName, ...]
    #: names that appeared more than once, with their count, for the note under the table
    duplicates: tuple[tuple[str, int], ...]


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


def clean_name(raw: str) -> str:
    """The name as it will be stored: invisible characters gone, spaces collapsed."""
    text = _INVISIBLE.sub("", raw)
    text = _SPACES.sub(" ", text.replace("\u3000", " ")).strip()
    return text.strip("\"'“”‘’「」[]【】()（）<>《》").strip()[:MAX_NAME]


def name_key(name: str) -> str:
    """The comparison key: full-width forms folded (ＡＢ→ab, ！→!), case and spaces ignored."""
    # Stored names are already trimmed and single-spaced (clean_text); NFKC turns the
    # ideographic space into a plain one, so removing " " is enough and fast at 50,000.
    if name.isascii():
        return name.casefold().replace(" ", "")
    folded = unicodedata.normalize("NFKC", _INVISIBLE.sub("", name)).casefold()
    return folded.replace(" ", "").replace("\t", "")


def _plain_of_key(key: str) -> str:
    """A key without emoji, punctuation and symbols, for a second, looser comparison."""
    return _NOT_ALNUM.sub("", key)


def _plain_key(name: str) -> str:
    return _plain_of_key(name_key(name))


def parse_pasted(text: str) -> ParsedPaste:
    """Split pasted text into likers and commenters, keeping their order.

    A line "name：comment" is a comment; other lines hold one or more names separated by
    commas or 、. A name pasted twice is kept once, at its first place, and reported.
    """
    likes: dict[str, PastedName] = {}
    comments: dict[str, PastedName] = {}
    counts: dict[tuple[str, str], int] = {}
    shown: dict[tuple[str, str], str] = {}
    for number, raw_line in enumerate(text.splitlines(), 1):
        line = _INVISIBLE.sub("", raw_line).strip()
        if not line:
            continue
        comment = _COMMENT.match(line)
        if comment:
            name = clean_name(comment["name"])
            reply = _REPLY.match(name)
            if reply:
                name = clean_name(reply["name"])
            if not name:
                continue
            _add(comments, counts, shown, "comment", name, comment["text"].strip(), number)
            continue
        for part in _SPLIT.split(line):
            name = clean_name(part)
            if name:
                _add(likes, counts, shown, "like", name, "", number)
    duplicates = tuple((shown[k], n) for k, n in counts.items() if n > 1)
    return ParsedPaste(tuple(likes.values()), tuple(comments.values()), duplicates)


def _add(
    into: dict[str, PastedName],
    counts: dict[tuple[str, str], int],
    shown: dict[tuple[str, str], str],
    kind: str,
    name: str,
    comment: str,
    line: int,
) -> None:
    key = name_key(name)
    counts[(kind, key)] = counts.get((kind, key), 0) + 1
    shown.setdefault((kind, key), name)
    first = into.get(key)
    if first is None:
        into[key] = PastedName(name, comment[:2000], line)
        return
    # Several comments by one friend are kept together, in order, on her first line.
    joined = " / ".join(t for t in (first.comment, comment) if t)[:2000]
    into[key] = PastedName(first.name, joined, first.line, first.times + 1)


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


class CustomerIndex:
    """The customers of one account, keyed for matching a pasted list in memory.

    Built once and cached until the account's customers change (see ``cached_index``);
    each name is then a dictionary look-up and, only when that fails, a rapidfuzz scan of
    the few keys that share its rarest characters.
    """

    def __init__(self, people: Sequence[_Person]) -> None:
        self._people = {p.id: p for p in people}
        self._exact: dict[str, list[tuple[int, MatchReason]]] = {}
        self._plain: dict[str, list[int]] = {}
        self._pinyin: dict[str, list[int]] = {}
        self._fuzzy_ids: list[int] = []
        self._fuzzy_keys: list[str] = []
        # Which keys hold each character: fuzzy matching only scores keys that can reach
        # the threshold (see _fuzzy), a few hundred instead of 50,000.
        self._postings: dict[str, list[int]] = {}
        exact, plain, pinyin, postings = self._exact, self._plain, self._pinyin, self._postings
        for person in people:
            pid = person.id
            if person.nickname_key:
                exact.setdefault(person.nickname_key, []).append((pid, MatchReason.NICKNAME))
            if person.remark_key and person.remark_key != person.nickname_key:
                exact.setdefault(person.remark_key, []).append((pid, MatchReason.REMARK))
            for key in person.plain_keys:
                if not key:
                    continue
                plain.setdefault(key, []).append(pid)
                position = len(self._fuzzy_keys)
                self._fuzzy_ids.append(pid)
                self._fuzzy_keys.append(key)
                for char in set(key):
                    postings.setdefault(char, []).append(position)
            for key in person.pinyin:
                pinyin.setdefault(key, []).append(pid)

    @classmethod
    def load(cls, session: Session, account_id: int | None) -> CustomerIndex:
        """The customers of ``account_id`` (None: of every account, e.g. for a benchmark)."""
        rows = session.execute(
            select(
                Customer.id,
                Customer.nickname,
                Customer.remark,
                Customer.search_text,
                Customer.city,
                Customer.wechat_id,
            ).where(true() if account_id is None else Customer.account_id == account_id)
        ).all()
        people = []
        for customer_id, nickname, remark, search_text, city, wechat_id in rows:
            nick_key, remark_key = name_key(nickname), name_key(remark) if remark else ""
            plain_nick = _plain_of_key(nick_key)
            plain_remark = _plain_of_key(remark_key) if remark_key else ""
            people.append(
                _Person(
                    customer_id,
                    nickname,
                    remark,
                    city,
                    wechat_id,
                    nick_key,
                    remark_key,
                    (plain_nick, plain_remark)
                    if plain_remark and plain_remark != plain_nick
                    else (plain_nick,),
                    tuple(k for k in name_pinyin(search_text or "") if len(k) >= 2),
                )
            )
        return cls(people)

    def __len__(self) -> int:
        return len(self._people)

    def _candidate(self, customer_id: int, reason: MatchReason, score: float) -> Candidate:
        p = self._people[customer_id]
        detail = " · ".join(
            part for part in (p.nickname if p.remark else "", p.city, p.wechat_id or "") if part
        )
        return Candidate(customer_id, p.remark or p.nickname, reason, score, detail)

    def match(self, pasted: PastedName) -> NameMatch:
        key = name_key(pasted.name)
        exact = self._exact.get(key, [])
        if exact:
            # WeChat shows a friend's remark (or nickname) exactly: friends written exactly
            # so are meant, not those differing only in case, width or spaces (as the quick
            # look-up in ``match_pasted`` finds them).
            name, people = pasted.name, self._people
            written = [
                (i, MatchReason.REMARK if people[i].remark == name else MatchReason.NICKNAME)
                for i, _ in exact
                if name in (people[i].remark, people[i].nickname)
            ]
            meant = written or exact
            # A remark name is the seller's own label: it beats someone's matching nickname.
            ordered = sorted(meant, key=lambda hit: hit[1] is not MatchReason.REMARK)
            return self._found(
                pasted, [(i, r, 100.0) for i, r in ordered[:MAX_CHOICES]], len(meant)
            )
        plain = _plain_key(pasted.name)
        same = self._plain.get(plain, []) if plain else []
        if same:
            hits = [(i, MatchReason.NICKNAME, 99.0) for i in same[:MAX_CHOICES]]
            return self._found(pasted, hits, len(same))
        if plain.isascii() and plain.isalpha() and len(plain) >= 2:
            by_pinyin = self._pinyin.get(plain, [])
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
        distinct = sorted(set(key), key=lambda c: len(self._postings.get(c, ())))
        may_miss = len(key) - -(-2 * len(key) // 3)
        positions: set[int] = set()
        for char in distinct[: may_miss + 1]:
            positions.update(self._postings.get(char, ()))
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
            customer_id = self._fuzzy_ids[ordered[index]]
            best[customer_id] = max(best.get(customer_id, 0.0), float(score))
        ranked = sorted(best.items(), key=lambda item: -item[1])[:MAX_CHOICES]
        return tuple(self._candidate(i, MatchReason.FUZZY, s) for i, s in ranked)


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
