"""Keyword tags (破损, 未收货, 扣费 …): which of the editable words occur in a text. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from kesu.triage.lexicon import TermScanner


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
    """All rules' words in one scanner (a trie, leftmost-longest: 没有收到 before 收到); English words
    match whole words only. A word listed by two rules belongs to the first."""

    def __init__(self, rules: list[KeywordRule]) -> None:
        self._owner: dict[str, KeywordRule] = {}
        for rule in rules:
            for word in rule.words:
                key = " ".join(word.lower().split()) if word.isascii() else word.lower()
                if key and key not in self._owner:
                    self._owner[key] = rule
        self._scanner = TermScanner(self._owner) if self._owner else None

    def match(self, text: str) -> list[TagMatch]:
        if self._scanner is None:
            return []
        found: dict[str, TagMatch] = {}
        for _start, _end, word in self._scanner.scan(text):
            rule = self._owner.get(word)
            if rule and rule.tag not in found:
                found[rule.tag] = TagMatch(tag=rule.tag, word=word, category=rule.category)
        return list(found.values())
