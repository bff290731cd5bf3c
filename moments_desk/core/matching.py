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

from sqlalchemy import select
from sqlalchemy.orm import Session

from moments_desk.db.models import Customer, InteractionKind

#: Separators between names on one line: ASCII and full-width commas, 、, semicolons.
_SPLIT = re.compile(r"[,，、;；|]+")
#: "name：comment" or "name: comment" (WeChat uses a full-width colon in Chinese).
_COMMENT = re.compile(r"^(?P<name>[^:：]{1,60}?)\s*[:：]\s*(?P<text>.*)$")
#: "A回复B：text" – a reply: the writer is A.
_REPLY = re.compile(r"^(?P<name>.+?)\s*回复\s*.+$")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\ufe0f\ufe0e]")
_SPACES = re.compile(r"\s+")
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f900-\U0001f9ff\u2b00-\u2bff\u2300-\u23ff]"
)
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
    folded = unicodedata.normalize("NFKC", _INVISIBLE.sub("", name)).casefold()
    return _SPACES.sub("", folded)


def _plain_key(name: str) -> str:
    """The key without emoji and punctuation, for a second, looser comparison."""
    stripped = _EMOJI.sub("", name_key(name))
    return "".join(ch for ch in stripped if ch.isalnum())


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


@dataclass(frozen=True)
class _Person:
    id: int
    display: str
    detail: str
    nickname_key: str
    remark_key: str
    plain_keys: tuple[str, ...]
    pinyin: tuple[str, ...]


class CustomerIndex:
    """The customers of one account, keyed for matching a pasted list in memory.

    Loaded once per paste: 50,000 rows come back in a fraction of a second, after which each
    name is a dictionary look-up and, only when that fails, one rapidfuzz scan.
    """

    def __init__(self, people: Sequence[_Person]) -> None:
        self._people = {p.id: p for p in people}
        self._exact: dict[str, list[tuple[int, MatchReason]]] = {}
        self._plain: dict[str, list[int]] = {}
        self._pinyin: dict[str, list[int]] = {}
        for person in people:
            if person.nickname_key:
                self._exact.setdefault(person.nickname_key, []).append(
                    (person.id, MatchReason.NICKNAME)
                )
            if person.remark_key and person.remark_key != person.nickname_key:
                self._exact.setdefault(person.remark_key, []).append(
                    (person.id, MatchReason.REMARK)
                )
            for key in person.plain_keys:
                if key:
                    self._plain.setdefault(key, []).append(person.id)
            for key in person.pinyin:
                self._pinyin.setdefault(key, []).append(person.id)
        self._fuzzy_ids = [p.id for p in people for k in p.plain_keys if k]
        self._fuzzy_keys = [k for p in people for k in p.plain_keys if k]

    @classmethod
    def load(cls, session: Session, account_id: int) -> CustomerIndex:
        rows = session.execute(
            select(
                Customer.id,
                Customer.nickname,
                Customer.remark,
                Customer.search_full,
                Customer.city,
                Customer.wechat_id,
            ).where(Customer.account_id == account_id)
        ).all()
        people = []
        for row in rows:
            nick, remark = name_key(row.nickname), name_key(row.remark)
            people.append(
                _Person(
                    id=row.id,
                    display=row.remark or row.nickname,
                    detail=" · ".join(
                        part
                        for part in (
                            row.nickname if row.remark else "",
                            row.city,
                            row.wechat_id or "",
                        )
                        if part
                    ),
                    nickname_key=nick,
                    remark_key=remark,
                    plain_keys=tuple(
                        dict.fromkeys(k for k in (_plain_key(row.nickname), _plain_key(row.remark)))
                    ),
                    pinyin=tuple(k for k in (row.search_full or "").split() if len(k) >= 2),
                )
            )
        return cls(people)

    def __len__(self) -> int:
        return len(self._people)

    def _candidate(self, customer_id: int, reason: MatchReason, score: float) -> Candidate:
        person = self._people[customer_id]
        return Candidate(customer_id, person.display, reason, score, person.detail)

    def match(self, pasted: PastedName) -> NameMatch:
        key = name_key(pasted.name)
        exact = self._exact.get(key, [])
        if exact:
            # A remark name is the seller's own label: it beats someone's matching nickname.
            ordered = sorted(exact, key=lambda hit: hit[1] is not MatchReason.REMARK)
            found = tuple(self._candidate(i, reason, 100.0) for i, reason in ordered)
            status = MatchStatus.MATCHED if len(found) == 1 else MatchStatus.AMBIGUOUS
            return NameMatch(pasted, status, found[:MAX_CHOICES])
        plain = _plain_key(pasted.name)
        same = self._plain.get(plain, []) if plain else []
        if same:
            found = tuple(self._candidate(i, MatchReason.NICKNAME, 99.0) for i in same)
            status = MatchStatus.MATCHED if len(found) == 1 else MatchStatus.AMBIGUOUS
            return NameMatch(pasted, status, found[:MAX_CHOICES])
        if plain.isascii() and plain.isalpha() and len(plain) >= 2:
            by_pinyin = self._pinyin.get(plain, [])
            if by_pinyin:
                found = tuple(self._candidate(i, MatchReason.PINYIN, 95.0) for i in by_pinyin)
                status = MatchStatus.MATCHED if len(found) == 1 else MatchStatus.AMBIGUOUS
                return NameMatch(pasted, status, found[:MAX_CHOICES])
        fuzzy = self._fuzzy(plain)
        if fuzzy:
            return NameMatch(pasted, MatchStatus.AMBIGUOUS, fuzzy)
        return NameMatch(pasted, MatchStatus.UNKNOWN)

    def _fuzzy(self, key: str) -> tuple[Candidate, ...]:
        if not key or not self._fuzzy_keys:
            return ()
        from rapidfuzz import fuzz, process

        hits = process.extract(
            key,
            self._fuzzy_keys,
            scorer=fuzz.WRatio,
            limit=MAX_CHOICES * 2,
            score_cutoff=FUZZY_THRESHOLD,
        )
        best: dict[int, float] = {}
        for _, score, position in hits:
            customer_id = self._fuzzy_ids[position]
            best[customer_id] = max(best.get(customer_id, 0.0), float(score))
        ranked = sorted(best.items(), key=lambda item: -item[1])[:MAX_CHOICES]
        return tuple(self._candidate(i, MatchReason.FUZZY, s) for i, s in ranked)


def match_names(index: CustomerIndex, names: Sequence[PastedName]) -> list[NameMatch]:
    return [index.match(name) for name in names]


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
    index = CustomerIndex.load(session, account_id)
    rows: list[ReviewRow] = []
    if private_chat:
        chats: dict[str, PastedName] = {}
        for pasted in (*parsed.comments, *parsed.likes):
            chats.setdefault(name_key(pasted.name), pasted)
        ordered = sorted(chats.values(), key=lambda p: p.line)
        rows = [ReviewRow(InteractionKind.INQUIRY, index.match(p)) for p in ordered]
    else:
        rows = [ReviewRow(InteractionKind.LIKE, index.match(p)) for p in parsed.likes]
        rows += [ReviewRow(InteractionKind.COMMENT, index.match(p)) for p in parsed.comments]
    return PasteReview(tuple(rows), parsed.duplicates, len(index))
