"""Pinyin search keys, computed when a name is written so searching stays a plain LIKE.

Sellers type ``zs`` or ``zhangsan`` to find 张三. Readings of polyphonic surnames follow the
surname custom (曾 zeng, 单 shan, 解 xie, 仇 qiu, 朴 piao, 区 ou …), where pypinyin's
everyday reading would be wrong; the everyday reading is kept too, since a nickname's first
character is not always a surname.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

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


_RUNS = re.compile(r"[\u3400-\u9fff]|[^\u3400-\u9fff]+")
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

    pypinyin reads a character by its default reading unless a phrase it knows says
    otherwise; so unless such a phrase changes a polyphonic character's reading, the
    character table gives the same answer ~5× faster, which makes 50,000-row imports quick.
    """
    syllables: list[str] = []
    han = 0
    for run in _RUNS.findall(text):
        if _HAN.match(run):
            reading = _reading(run)
            if reading is None:
                return _pypinyin_syllables(text)
            syllables.append(reading)
            han += 1
        else:
            cleaned = _KEEP.sub("", run.lower())
            if cleaned:
                syllables.append(cleaned)
    if han > 1 and _phrase_changes_a_reading(text):
        return _pypinyin_syllables(text)
    return syllables


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
    syllables = _syllables(text)
    if not syllables:
        return (), ()
    variants = [syllables]
    first_han = next((ch for ch in text if _HAN.match(ch)), None)
    if first_han is not None and text.strip().startswith(first_han):
        surname = SURNAME_READINGS.get(first_han)
        if surname and surname != syllables[0]:
            variants.insert(0, [surname, *syllables[1:]])
    initials = tuple(dict.fromkeys("".join(s[0] for s in v) for v in variants))
    full = tuple(dict.fromkeys("".join(v) for v in variants))
    return initials, full


def search_keys(*texts: str) -> tuple[str, str]:
    """Space-separated pinyin initials and full pinyin for ``texts`` (e.g. nickname, remark)."""
    initials: dict[str, None] = {}
    full: dict[str, None] = {}
    for text in texts:
        if not text:
            continue
        text_initials, text_full = _keys_for(text[:200])
        initials.update(dict.fromkeys(text_initials))
        full.update(dict.fromkeys(text_full))
    return " ".join(initials)[:400], " ".join(full)[:1000]


#: Between fields in a search text, so a query never matches across two fields.
FIELD_SEPARATOR = "\x1f"


def search_text(texts: tuple[str, ...], plain: tuple[str | None, ...] = ()) -> str:
    """One lowercase column to match with a single LIKE: the texts, their pinyin keys, and
    identifiers (WeChat ID, phone) as they are. Computed on write; see migration 0002."""
    return search_columns(texts, plain)[2]


def search_columns(
    texts: tuple[str, ...], plain: tuple[str | None, ...] = ()
) -> tuple[str, str, str]:
    """(initials, full pinyin, search text) at once: bulk imports read each name once."""
    initials, full = search_keys(*texts)
    parts = [t.lower() for t in texts if t] + [p.lower() for p in plain if p]
    parts += [initials, full]
    return initials, full, FIELD_SEPARATOR.join(part for part in parts if part)[:2000]


def normalise_query(query: str) -> str:
    return re.sub(r"\s+", "", query).lower()
