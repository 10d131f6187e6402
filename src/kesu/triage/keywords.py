"""Keyword tags (破损, 未收货, 扣费 …): which of the editable words occur in a text. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class KeywordRule:
    tag: str
    words: tuple[str, ...]
    category: str = ""  # category code this tag points to


@dataclass(frozen=True)
class TagMatch:
    tag: str
    word: str
    category: str


class KeywordMatcher:
    """All rules compiled into one regular expression; English words match whole words only."""

    def __init__(self, rules: list[KeywordRule]) -> None:
        self._owner: dict[str, KeywordRule] = {}
        alternatives = []
        for rule in rules:
            for word in rule.words:
                key = word.lower()
                if not key or key in self._owner:
                    continue
                self._owner[key] = rule
                escaped = re.escape(key)
                alternatives.append(rf"\b{escaped}\b" if key.isascii() else escaped)
        alternatives.sort(key=len, reverse=True)  # longest first: 没有收到 before 收到
        self._pattern = re.compile("|".join(alternatives)) if alternatives else None

    def match(self, text: str) -> list[TagMatch]:
        if self._pattern is None:
            return []
        found: dict[str, TagMatch] = {}
        for hit in self._pattern.finditer(text.lower()):
            rule = self._owner.get(hit.group(0))
            if rule and rule.tag not in found:
                found[rule.tag] = TagMatch(tag=rule.tag, word=hit.group(0), category=rule.category)
        return list(found.values())
