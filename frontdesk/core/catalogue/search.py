"""Finding a business by what the clerk typed: pinyin spellings and the ranking."""

from __future__ import annotations

import re
from typing import Protocol


class Searchable(Protocol):
    """What the ranking reads of a business (``model.Business``): names and spellings.
    A protocol, so this module needs nothing from the model that imports it."""

    @property
    def code(self) -> str: ...
    @property
    def name_zh(self) -> str: ...
    @property
    def name_en(self) -> str: ...
    @property
    def aliases_zh(self) -> tuple[str, ...]: ...
    @property
    def pinyin_initials(self) -> str: ...
    @property
    def search_initials(self) -> tuple[str, ...]: ...
    @property
    def search_pinyin(self) -> tuple[str, ...]: ...


# --------------------------------------------------------------------------- pinyin


_RE_BRACKETS = re.compile(r"[(（][^)）]*[)）]")
_RE_NAME_SPLIT = re.compile(r"[/／、]")
_RE_NOT_WORD = re.compile(r"[^\w]|_")


def _name_variants(name: str, aliases: tuple[str, ...]) -> list[str]:
    """Main name first (first part, brackets dropped), then every other spelling."""
    variants: list[str] = []
    for text in (name, *aliases):
        parts = [p for p in _RE_NAME_SPLIT.split(text) if p.strip()]
        for part in [*parts, text]:
            variants.append(_RE_BRACKETS.sub("", part))  # 补(换)卡 → 补卡
            variants.append(_RE_NOT_WORD.sub("", part))  # 补(换)卡 → 补换卡
    return [v for v in dict.fromkeys(_RE_NOT_WORD.sub("", v) for v in variants) if v]


def _spell(text: str) -> tuple[str, str]:
    """(full pinyin, initials) by phrase, lower-case, punctuation ignored: 补卡 → buka, bk."""
    from pypinyin import lazy_pinyin

    syllables = [_RE_NOT_WORD.sub("", s.lower()) for s in lazy_pinyin(text)]
    syllables = [s for s in syllables if s]
    return "".join(syllables), "".join(s[0] for s in syllables)


def _spell_readings(text: str, limit: int = 32) -> list[tuple[str, str]]:
    """Every reading of the characters' other pronunciations (重置 → chongzhi and
    zhongzhi), at most ``limit`` of them, so a clerk finds a name however they read it."""
    from pypinyin import pinyin

    readings: list[tuple[str, str]] = [("", "")]
    for char in text:
        options = [_RE_NOT_WORD.sub("", o.lower()) for o in pinyin(char, heteronym=True)[0]]
        options = list(dict.fromkeys(o for o in options if o)) or [char.lower()]
        readings = [(full + o, ini + o[0]) for full, ini in readings for o in options][:limit]
    return readings


def _score(b: Searchable, text: str, compact: str, upper: str) -> int | None:
    code = b.code.upper()
    if code == upper:
        return 0
    if compact == b.pinyin_initials:
        return 1
    if compact in b.search_initials:
        return 2
    if b.pinyin_initials.startswith(compact):
        return 3
    if any(i.startswith(compact) for i in b.search_initials):
        return 4
    if code.startswith(upper):
        return 5
    if text in b.name_zh or any(text in a for a in b.aliases_zh):
        return 6
    if any(p.startswith(compact) for p in b.search_pinyin):
        return 7
    if len(compact) >= 3 and text.casefold() in b.name_en.casefold():
        return 8
    return None
