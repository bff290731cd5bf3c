"""Pinyin search keys, computed when a name is written so searching stays a plain LIKE.

Sellers type ``zs`` or ``zhangsan`` to find 张三. Readings of polyphonic surnames follow the
surname custom (曾 zeng, 单 shan, 解 xie, 仇 qiu, 朴 piao, 区 ou …), where pypinyin's
everyday reading would be wrong; the everyday reading is kept too, since a nickname's first
character is not always a surname.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import compress, repeat
from typing import Any, cast

#: Surname readings that differ from the everyday reading pypinyin picks.
SURNAME_READINGS = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "区": "ou",
    "查": "zha",
    "盖": "ge",
    "缪": "miao",
    "尉": "yu",
    "乐": "yue",
    "覃": "qin",
    "翟": "zhai",
    "万": "wan",
    "种": "chong",
    "秘": "bi",
    "繁": "po",
    "员": "yun",
    "祭": "zhai",
    "能": "nai",
    "重": "chong",
    "长": "chang",
    "召": "shao",
    "宿": "su",
    "纪": "ji",
    "隗": "wei",
    "柏": "bai",
    "薄": "bo",
    "任": "ren",
    "那": "na",
}

_HAN = re.compile(r"[\u3400-\u9fff]")
_KEEP = re.compile(r"[^0-9a-z]")


def _pypinyin() -> Any:
    import pypinyin  # imported on first use: it costs a quarter second at start-up

    return pypinyin


#: Tone-marked vowels → pypinyin's plain style (ü is written v).
_TONE_MARKS = dict(
    zip("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm", strict=True)
)
#: Han character → its default (first) reading; None when pypinyin has none.
_READING: dict[str, str | None] = {}


def _reading(char: str) -> str | None:
    try:
        return _READING[char]
    except KeyError:
        pass
    from pypinyin.pinyin_dict import pinyin_dict

    readings = pinyin_dict.get(ord(char), "")
    first = "".join(_TONE_MARKS.get(ch, ch) for ch in readings.split(",")[0])
    found = first if first and first.isascii() else None
    _READING[char] = found
    return found


def _phrase_changes_a_reading(text: str) -> bool:
    """Whether a phrase pypinyin knows in ``text`` reads one of its characters other than
    by that character's default reading (even "single-reading" characters: 火燵 huo ta).

    Every phrase in the text is checked, so however pypinyin segments it, the readings it
    picks are the defaults the table gives.
    """
    from pypinyin.phrases_dict import phrases_dict

    size = len(text)
    for start in range(size - 1):
        for end in range(start + 2, min(size, start + 10) + 1):
            readings = phrases_dict.get(text[start:end])
            if readings is None:
                continue
            for offset, options in enumerate(readings):
                default = _reading(text[start + offset])
                if default is None:
                    continue
                plain = "".join(_TONE_MARKS.get(ch, ch) for ch in options[0])
                if plain != default:
                    return True
    return False


def _syllables(text: str) -> list[str]:
    """lazy_pinyin's readings, lowercase, without unreadable characters.

    pypinyin cuts the text into runs of Han characters and reads each run on its own (its
    phrases never span a space, a dash or a Latin letter), so each run is read once and
    cached: a friend list repeats surnames, given names and cities thousands of times.
    """
    syllables: list[str] = []
    for index, part in enumerate(_han_runs().split(text)):
        if index % 2:
            syllables.extend(_run_syllables(part))
        elif part and not _HAN.search(part):  # pypinyin skips a chunk it cannot read
            cleaned = _KEEP.sub("", part.lower())
            if cleaned:
                syllables.append(cleaned)
    return syllables


@lru_cache(maxsize=1)
def _han_runs() -> re.Pattern[str]:
    """Splits a text as pypinyin does: ``split`` puts the Han runs at odd positions."""
    from pypinyin.constants import RE_HANS

    return re.compile("(" + RE_HANS.pattern.removeprefix("^").removesuffix("$") + ")")


@lru_cache(maxsize=65536)
def _run_syllables(run: str) -> tuple[str, ...]:
    """One Han run's readings: the character table, unless a phrase pypinyin knows changes
    a reading (or a character is not in the table), which makes the table ~5× faster."""
    readings = [_reading(ch) if _HAN.match(ch) else None for ch in run]
    if None in readings or (len(run) > 1 and _phrase_changes_a_reading(run)):
        return tuple(_pypinyin_syllables(run))
    return tuple(r for r in readings if r is not None)


def forget_cached_names() -> None:
    """Drop the per-text caches (benchmarks measure an import that has seen no name yet)."""
    _keys_for.cache_clear()
    _run_keys.cache_clear()
    _chunk_keys.cache_clear()
    _joined_chunk_keys.cache_clear()
    _run_syllables.cache_clear()


def _pypinyin_syllables(text: str) -> list[str]:
    syllables: list[str] = []
    for chunk in _pypinyin().lazy_pinyin(text, errors=lambda s: [s]):
        if _HAN.search(chunk):
            continue  # a character pypinyin cannot read: skip rather than index noise
        cleaned = _KEEP.sub("", chunk.lower())
        if cleaned:
            syllables.append(cleaned)
    return syllables


@lru_cache(maxsize=65536)
def _keys_for(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(initials variants, full variants) for one text."""
    return _text_keys(text)


Keys = tuple[tuple[str, ...], tuple[str, ...]]


#: Between texts read together; ``_plain_texts`` keeps out any text holding it.
_TEXT_BREAK = "\n"


def _plain_texts(texts: Iterable[str]) -> tuple[list[str], list[str]]:
    """(texts ``_plain_keys`` reads, texts read one by one): the latter start with a
    polyphonic surname or hold a line break."""
    texts = list(texts)
    special: list[Any] = list(map(_surname_start().match, texts))
    if _TEXT_BREAK in "".join(texts):
        special = [s or _TEXT_BREAK in t for s, t in zip(special, texts, strict=True)]
    if not any(special):
        return texts, []
    return list(compress(texts, map(operator.not_, special))), list(compress(texts, special))


@lru_cache(maxsize=1)
def _surname_start() -> re.Pattern[str]:
    """Matches a text whose first character (after spaces) is a polyphonic surname."""
    return re.compile(r"\s*[" + "".join(SURNAME_READINGS) + "]")


def _plain_keys(texts: Sequence[str]) -> tuple[list[str], list[str]]:
    """(initials, full pinyin) of each text, none starting with a polyphonic surname or
    holding a line break (``_plain_texts``).

    The texts are joined and cut into Han runs and the chunks between them in one
    ``split``; each distinct run and chunk is read once (cached), and the keys are put
    together and cut apart again as two long strings. One Python step per text cost
    twice as much as inserting the row.
    """
    if not texts:
        return [], []
    parts = _han_runs().split(_TEXT_BREAK.join(texts))
    # parts alternate chunk, run, chunk, …, chunk; a chunk may span the break between texts
    initials: list[str] = parts.copy()
    full: list[str] = parts
    first, second = operator.itemgetter(0), operator.itemgetter(1)
    runs = list(map(_run_keys, parts[1::2]))
    chunks = list(map(_joined_chunk_keys, parts[0::2]))
    initials[1::2], full[1::2] = map(first, runs), map(second, runs)
    initials[0::2], full[0::2] = map(first, chunks), map(second, chunks)
    return "".join(initials).split(_TEXT_BREAK), "".join(full).split(_TEXT_BREAK)


def _text_keys(text: str) -> Keys:
    """One text's keys, read on its own (``_plain_keys`` reads many at once)."""
    start = text.lstrip()[:1]
    surname = SURNAME_READINGS.get(start) if start else None
    if surname is not None:
        return _keys_with_surname(text, surname)
    initials = []
    full = []
    for index, part in enumerate(_han_runs().split(text)):
        if index % 2:
            run_initials, run_full = _run_keys(part)
            initials.append(run_initials)
            full.append(run_full)
        elif part:
            chunk_initials, chunk_full = _chunk_keys(part)
            initials.append(chunk_initials)
            full.append(chunk_full)
    joined = "".join(full)
    return (("".join(initials),), (joined,)) if joined else ((), ())


@lru_cache(maxsize=65536)
def _run_keys(run: str) -> tuple[str, str]:
    syllables = _run_syllables(run)
    return "".join([s[0] for s in syllables]), "".join(syllables)


@lru_cache(maxsize=4096)
def _chunk_keys(part: str) -> tuple[str, str]:
    """(initial, syllable) of a chunk between Han runs: "-", " " and "vip" repeat in many
    names."""
    if _HAN.search(part):  # pypinyin skips a chunk it cannot read
        return "", ""
    cleaned = _KEEP.sub("", part.lower())
    return cleaned[:1], cleaned


@lru_cache(maxsize=4096)
def _joined_chunk_keys(part: str) -> tuple[str, str]:
    """``_chunk_keys`` of a chunk of texts joined by ``_TEXT_BREAK``: it may end one text
    and start the next, and each side is read on its own."""
    if _TEXT_BREAK not in part:
        return _chunk_keys(part)
    pieces = [_chunk_keys(piece) for piece in part.split(_TEXT_BREAK)]
    return _TEXT_BREAK.join([p[0] for p in pieces]), _TEXT_BREAK.join([p[1] for p in pieces])


def _keys_with_surname(text: str, surname: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Keys of a text starting with a polyphonic surname: its surname reading first, then
    the everyday one, since a nickname's first character is not always a surname."""
    syllables = _syllables(text)
    if not syllables:
        return (), ()
    initials, full = "".join([s[0] for s in syllables]), "".join(syllables)
    if surname == syllables[0]:
        return (initials,), (full,)
    rest = syllables[1:]
    surname_initials = surname[0] + initials[1:]
    return (
        (surname_initials,) if surname_initials == initials else (surname_initials, initials),
        (surname + "".join(rest), full),
    )


def search_keys(*texts: str) -> tuple[str, str]:
    """Space-separated pinyin initials and full pinyin for ``texts`` (e.g. nickname, remark)."""
    if len(texts) == 2:  # nickname and remark: every customer written, 50,000 in an import
        first, second = texts
        if first and second:
            (one_initials, one_full), (two_initials, two_full) = (
                _keys_for(first[:200]),
                _keys_for(second[:200]),
            )
            if len(one_initials) == 1 and len(two_initials) == 1:
                return _joined_pair(one_initials[0], two_initials[0], 400), _joined_pair(
                    one_full[0], two_full[0], 1000
                )
    initials: tuple[str, ...] = ()
    full: tuple[str, ...] = ()
    for text in texts:
        if text:
            text_initials, text_full = _keys_for(text[:200])
            if text_initials:
                if initials:
                    initials += text_initials
                    full += text_full
                else:
                    initials, full = text_initials, text_full
    if len(initials) > 1:  # dedupe, first seen first
        return " ".join(dict.fromkeys(initials))[:400], " ".join(dict.fromkeys(full))[:1000]
    return " ".join(initials)[:400], " ".join(full)[:1000]


def _joined_pair(first: str, second: str, limit: int) -> str:
    """Two keys space-separated, once when they are the same (search_keys' dedupe)."""
    return (first if first == second else f"{first} {second}")[:limit]


#: Between fields in a search text, so a query never matches across two fields.
FIELD_SEPARATOR = "\x1f"


def search_text(texts: tuple[str, ...]) -> str:
    """A product's one lowercase column to match with a single LIKE: the texts (name,
    code) and their pinyin keys. Computed on write; see migration 0002."""
    initials, full = search_keys(*texts)
    parts = [t.lower() for t in texts if t]
    if initials:
        parts += (initials, full)
    return FIELD_SEPARATOR.join(parts)[:2000]


#: A customer's search text is these fields, in this order (empty ones at the end left
#: out, as a customer often has no remark): matching reads her full pinyin back from it
#: (see ``name_pinyin``).
CUSTOMER_SEARCH_FIELDS = (
    "nickname",
    "nickname_initials",
    "nickname_pinyin",
    "wechat_id",
    "phone",
    "remark",
    "remark_initials",
    "remark_pinyin",
)
_NICKNAME_PINYIN = CUSTOMER_SEARCH_FIELDS.index("nickname_pinyin")
_REMARK_PINYIN = CUSTOMER_SEARCH_FIELDS.index("remark_pinyin")
SEARCH_TEXT_LIMIT = 2000


def customer_search_text(
    nickname: str, remark: str, wechat_id: str | None, phone: str | None
) -> str:
    """One lowercase column to match with a single LIKE (see ``CUSTOMER_SEARCH_FIELDS``):
    the nickname, WeChat ID, phone and remark, lowercased, each name followed by its
    pinyin initials and full pinyin (every reading, space-separated). The nickname comes
    first, as it is what sellers type most. Computed on write; see migrations 0002, 0006."""
    parts = (
        _name_fields(nickname),
        (wechat_id or "").lower(),
        (phone or "").lower(),
        _name_fields(remark),
    )
    return FIELD_SEPARATOR.join(parts).rstrip(FIELD_SEPARATOR)[:SEARCH_TEXT_LIMIT]


def _name_fields(name: str) -> str:
    """A name's three fields of a customer's search text."""
    if not name:
        return FIELD_SEPARATOR * 2
    initials, full = _keys_for(name[:200])
    return FIELD_SEPARATOR.join((name.lower(), " ".join(initials), " ".join(full)))


def customer_search_texts(
    nicknames: Sequence[str],
    remarks: Sequence[str],
    wechat_ids: Sequence[str | None],
    phones: Sequence[str | None],
) -> list[str]:
    """``customer_search_text`` of many customers at once.

    An import of 50,000 friends reads each distinct name once (``_names_fields``) and
    joins each customer's four parts with ``map``: one Python step per customer cost as
    much as inserting the row.
    """
    names = _names_fields(set(nicknames).union(remarks))
    texts = list(
        map(
            FIELD_SEPARATOR.join,
            zip(
                map(names.__getitem__, nicknames),
                _plain_column(wechat_ids),
                _plain_column(phones),
                map(names.__getitem__, remarks),
                strict=True,
            ),
        )
    )
    texts = list(map(str.rstrip, texts, repeat(FIELD_SEPARATOR)))  # empty fields at the end
    if texts and max(map(len, texts)) > SEARCH_TEXT_LIMIT:
        texts = [t[:SEARCH_TEXT_LIMIT] for t in texts]
    return texts


def _names_fields(distinct: set[str]) -> dict[str, str]:
    """``_name_fields`` of each name, the usual ones read together (``_plain_keys``)."""
    distinct.discard("")
    names = {"": FIELD_SEPARATOR * 2}
    if max(map(len, distinct), default=0) > 200:  # read one by one, as _name_fields cuts them
        long = {name for name in distinct if len(name) > 200}
        names.update((name, _name_fields(name)) for name in long)
        distinct -= long
    plain, special = _plain_texts(distinct)
    initials, full = _plain_keys(plain)
    lowered = _TEXT_BREAK.join(plain).lower().split(_TEXT_BREAK)
    if len(lowered) != len(plain):  # never seen, but lower() is Unicode's to define
        lowered = [text.lower() for text in plain]
    fields = map(FIELD_SEPARATOR.join, zip(lowered, initials, full, strict=True))
    names.update(zip(plain, fields, strict=True))
    names.update((name, _name_fields(name)) for name in special)
    return names


def _plain_column(values: Sequence[str | None]) -> Sequence[str]:
    """WeChat IDs or phones as a search text holds them: lowercase, "" for none."""
    if None in values or "" in values:
        return [v.lower() if v else "" for v in values]
    texts = cast(Sequence[str], values)
    joined = "".join(texts)
    return texts if joined.lower() == joined else list(map(str.lower, texts))


def name_pinyin(text: str) -> tuple[str, ...]:
    """The full pinyin of a customer's nickname and remark, read back from her search text
    (every reading, each once; see ``customer_search_text``)."""
    fields = text.split(FIELD_SEPARATOR, len(CUSTOMER_SEARCH_FIELDS))
    if len(fields) <= _NICKNAME_PINYIN:
        return ()
    nickname = fields[_NICKNAME_PINYIN]
    remark = fields[_REMARK_PINYIN] if len(fields) > _REMARK_PINYIN else ""
    if not remark or remark == nickname:  # a name's own readings differ from each other
        return tuple(nickname.split())
    return tuple(dict.fromkeys((*nickname.split(), *remark.split())))


def normalise_query(query: str) -> str:
    return re.sub(r"\s+", "", query).lower()
