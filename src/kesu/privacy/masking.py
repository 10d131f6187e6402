"""Masking personal data (issue 15 §1; PIPL Art. 51 de-identification). Pure functions.

Fields are masked by kind; free text (complaint content, replies, transcripts, notes) is scanned:

==============  ======================  ==================================================
kind            example                 masked
==============  ======================  ==================================================
mobile phone    13800138000             138****8000 (first 3, last 4)
e-mail          zhang@qq.com            z***@qq.com
name            张伟 / 欧阳娜娜          张* / 欧***  (first character kept)
ID number       11010119900307123X      110101********123X (18 characters, valid check digit)
bank card       6222021234567890123     622202*********0123 (12–19 digits passing Luhn)
==============  ======================  ==================================================

In text, names cannot be told from other words, so the names kesu knows (the customer's) are
masked where they occur; phones, e-mails, ID numbers and bank cards are found by their shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

STAR = "*"

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
# 12–19 digits, optionally in groups separated by single spaces or hyphens
_CARD = re.compile(r"(?<![\d\-])\d(?:[ \-]?\d){11,18}(?![\d\-])")
_PHONE = re.compile(r"(?<!\d)(\+?86[ \-]?)?(1[3-9]\d)[ \-]?(\d{4})[ \-]?(\d{4})(?!\d)")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_number_valid(value: str) -> bool:
    """GB 11643 check digit of an 18-character resident ID number."""
    if len(value) != 18 or not value[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17].upper()


def luhn_valid(digits: str) -> bool:
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def phone_mask(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 7:
        return digits[:3] + STAR * (len(digits) - 7) + digits[-4:]
    return STAR * len(digits) if digits else value


def email_mask(value: str) -> str:
    local, at, domain = value.partition("@")
    if not at:
        return name_mask(value)
    return (local[:1] or STAR) + STAR * 3 + "@" + domain


def name_mask(value: str) -> str:
    value = value.strip()
    if not value:
        return value
    return value[0] + STAR * max(len(value) - 1, 1)


def id_number_mask(value: str) -> str:
    return value[:6] + STAR * 8 + value[-4:]


def card_mask(digits: str) -> str:
    return digits[:6] + STAR * (len(digits) - 10) + digits[-4:]


def identity_mask(kind: str, value: str) -> str:
    """An identity by its kind (``phone``, ``email``, ``external`` …)."""
    if kind == "phone":
        return phone_mask(value)
    if kind == "email":
        return email_mask(value)
    if not value:
        return value
    return value[:2] + STAR * max(len(value) - 4, 2) + value[-2:] if len(value) > 4 else STAR * len(value)


def text_mask(text: str, names: Iterable[str] = ()) -> str:
    """``text`` with every phone, e-mail, ID number, bank card and each of ``names`` masked."""
    if not text:
        return text
    text = _EMAIL.sub(lambda m: email_mask(m.group(0)), text)

    def id_or_card(match: re.Match[str]) -> str:
        raw = match.group(0)
        return id_number_mask(raw) if id_number_valid(raw) else raw

    text = _ID_NUMBER.sub(id_or_card, text)

    def card(match: re.Match[str]) -> str:
        raw = match.group(0)
        digits = re.sub(r"\D", "", raw)
        if 12 <= len(digits) <= 19 and luhn_valid(digits) and not _PHONE.fullmatch(raw):
            return card_mask(digits)
        return raw

    text = _CARD.sub(card, text)
    text = _PHONE.sub(lambda m: (m.group(1) or "") + m.group(2) + STAR * 4 + m.group(4), text)
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        text = text.replace(name, name_mask(name))
    return text


def value_mask(value: Any, names: Iterable[str] = ()) -> Any:
    """Every string inside ``value`` (dicts, lists) with :func:`text_mask` applied."""
    names = tuple(names)
    if isinstance(value, str):
        return text_mask(value, names)
    if isinstance(value, dict):
        return {k: value_mask(v, names) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [value_mask(v, names) for v in value]
    return value
