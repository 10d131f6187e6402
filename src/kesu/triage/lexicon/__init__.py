"""Word lists of the rule-based triage detectors, and the scanner that finds their terms in a text.

Every list in this package was written for kesu by its authors and ships under the project's
licence (Apache-2.0). None is copied or derived from an academic lexicon (HowNet, NTUSD, DUTIR,
BosonNLP …) or from a data set: their licences do not allow redistribution.

The lists are Python modules (tuples and dicts) rather than text files, so they are packaged with
the code and need no resource loading.

`TermScanner` finds listed terms leftmost-longest, without regard to case:

* Chinese terms (and any term that is not plain English words) through a character trie. A regex
  finds the characters that can start a term (in C); only there is the trie walked. Python's `re`
  would try the several hundred alternatives of one big pattern one after another at each of those
  positions, which is about twice as slow on Chinese text.
* English terms (words and phrases of lower-case ASCII words) through a word trie over the text's
  word tokens, so they match on word boundaries only: "fire" is not found in "firewall".

A term whose first or last character is an ASCII letter or digit does not match inside a longer
run of letters or digits: "12315" is not found in "8123156", "666" not in "16668".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""
_ENGLISH = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_ENGLISH_TERM = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*(?: [a-z0-9]+(?:['-][a-z0-9]+)*)*")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_SPACE = frozenset(" \t\u3000\xa0")


def text_lower(text: str) -> str:
    """``text`` lower-cased with every character kept in place (offsets stay valid), ’ as '."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters (İ) lower-case to two
        lowered = "".join(char if len(char.lower()) != 1 else char.lower() for char in text)
    if "\u2019" in lowered:
        lowered = lowered.replace("\u2019", "'")
    return lowered


class TermScanner:
    """Finds the terms of a lexicon in texts (see the module docstring).

    ``scan(text)`` returns ``(start, end, term)`` for each match in text order, ``term`` being the
    listed form (lower-case, phrases with single spaces); offsets are into ``text``.
    """

    def __init__(self, terms: Iterable[str]):
        self._chars: dict = {}
        self._words: dict = {}
        for raw in terms:
            term = " ".join(raw.lower().split()) if _ENGLISH_TERM.fullmatch(raw.lower()) else raw.lower()
            if not term:
                continue
            if _ENGLISH_TERM.fullmatch(term):
                node = self._words
                for word in term.split(" "):
                    node = node.setdefault(word, {})
            else:
                node = self._chars
                for char in term:
                    node = node.setdefault(char, {})
            node[_END] = term
        starts = sorted(key for key in self._chars if key != _END)
        self._starts = re.compile("[" + "".join(re.escape(char) for char in starts) + "]") if starts else None

    def scan(self, text: str) -> list[tuple[int, int, str]]:
        lowered = text_lower(text)
        found = self._scan_chars(lowered) if self._starts is not None else []
        if self._words and _ENGLISH.search(lowered):
            english = self._scan_words(lowered)
            if english:
                found = _leftmost_longest(found + english) if found else english
        return found

    def _scan_chars(self, text: str) -> list[tuple[int, int, str]]:
        found = []
        position = 0
        length = len(text)
        root = self._chars
        for candidate in self._starts.finditer(text):  # type: ignore[union-attr]
            start = candidate.start()
            if start < position:
                continue
            node = root[text[start]]
            index = start + 1
            ends = []
            if _END in node:
                ends.append((index, node[_END]))
            while index < length:
                node = node.get(text[index])
                if node is None:
                    break
                index += 1
                if _END in node:
                    ends.append((index, node[_END]))
            for end, term in reversed(ends):  # longest first; shorter if a boundary rules it out
                if term[0] in _ALNUM and start and text[start - 1] in _ALNUM:
                    continue
                if term[-1] in _ALNUM and end < length and text[end] in _ALNUM:
                    continue
                found.append((start, end, term))
                position = end
                break
        return found

    def _scan_words(self, text: str) -> list[tuple[int, int, str]]:
        tokens = [(match.start(), match.end(), match.group()) for match in _ENGLISH.finditer(text)]
        found = []
        root = self._words
        index = 0
        count = len(tokens)
        while index < count:
            node = root.get(tokens[index][2])
            if node is None:
                index += 1
                continue
            best = (index, node[_END]) if _END in node else None
            last = index
            while last + 1 < count:
                gap = text[tokens[last][1]:tokens[last + 1][0]]
                if not gap or any(char not in _SPACE for char in gap):
                    break
                node = node.get(tokens[last + 1][2])
                if node is None:
                    break
                last += 1
                if _END in node:
                    best = (last, node[_END])
            if best is None:
                index += 1
                continue
            found.append((tokens[index][0], tokens[best[0]][1], best[1]))
            index = best[0] + 1
        return found


def _leftmost_longest(matches: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping matches of two scans merged: the earlier start wins, then the longer."""
    kept = []
    position = 0
    for start, end, term in sorted(matches, key=lambda match: (match[0], -match[1])):
        if start >= position:
            kept.append((start, end, term))
            position = end
    return kept
