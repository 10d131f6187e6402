"""Fill the translation catalogues after `make messages`.

    python scripts/catalogue.py missing              # untranslated or fuzzy zh-hans entries, as JSON
    python scripts/catalogue.py fill zh.json         # {"English msgid": "中文", …} into zh_Hans
    python scripts/catalogue.py english              # every en entry translated as itself

Then `make messages` (or compilemessages) again to compile. Needs polib (a dev dependency).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "src" / "kesu" / "locale"


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"), wrapwidth=79)


def _open(entry: polib.POEntry) -> bool:
    return entry.fuzzy or not (entry.msgstr or any(entry.msgstr_plural.values()))


def missing() -> None:
    po = _catalogue("zh_Hans")
    print(json.dumps({e.msgid: "" for e in po if not e.obsolete and _open(e)}, ensure_ascii=False, indent=1))


def fill(path: str) -> None:
    wanted = json.loads(Path(path).read_text(encoding="utf-8"))
    po = _catalogue("zh_Hans")
    done = 0
    for entry in po:
        text = wanted.get(entry.msgid)
        if not text:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: text}
        else:
            entry.msgstr = text
        if entry.fuzzy:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        done += 1
    po.save()
    left = sum(1 for e in po if not e.obsolete and _open(e))
    print(f"zh_Hans: {done} filled, {left} still open")


def english() -> None:
    po = _catalogue("en")
    for entry in po:
        if entry.obsolete or not _open(entry):
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if entry.fuzzy:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
    po.save()
    print("en: every entry translated as itself")


if __name__ == "__main__":
    command, *rest = sys.argv[1:] or ["missing"]
    {"missing": missing, "fill": fill, "english": english}[command](*rest)
