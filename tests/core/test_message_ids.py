"""Every message a person sees is a declared id (no English sentence written by the domain), and the
catalogues translate every wording (issue 17 §1 and §4.12)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

import kesu
from kesu.core.errors import InvalidTransition
from kesu.core.messages import message_defined

SRC = Path(kesu.__file__).parent
LOCALE = SRC / "locale"
# a message id given to the error classes or to Message: FieldError(field, "id" …), NotPermitted("id" …),
# Conflict("id" …), Message("id" …), raise_not_permitted(user, "id" …)
_USES = re.compile(
    r"""(?:FieldError\([^,()]+,\s*|(?:NotPermitted|Conflict|DomainError|Message)\(\s*|raise_not_permitted\([^,()]+,\s*|code=(?="transition\.))
        (?:f?)(["'])(?P<code>[^"'{}]+)\1""",
    re.X,
)


def _used_ids() -> dict[str, str]:
    used: dict[str, str] = {}
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for match in _USES.finditer(text):
            used.setdefault(match["code"], f"{path.relative_to(SRC)}:{text[: match.start()].count(chr(10)) + 1}")
    return used


def test_every_message_id_in_the_code_is_declared():
    used = _used_ids()
    assert len(used) > 100  # the scan finds the ids (a broken pattern would pass vacuously)
    undeclared = {code: where for code, where in used.items() if not message_defined(code)}
    assert undeclared == {}


def test_no_error_is_raised_with_an_english_sentence():
    sentences = []
    for path in SRC.rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"(FieldError|NotPermitted|Conflict|DomainError)\((?:[^,()]+, )?f?[\"'][^\"']* [^\"']*[\"']", line):
                sentences.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert sentences == []


def test_the_regex_translation_layers_are_gone():
    for module in ("web/domain_text.py", "web/triage_text.py", "desk/text.py", "calls/wording.py",
                   "compensation/wording.py", "knowledge/wording.py", "queues/text.py"):
        assert not (SRC / module).exists(), module


def test_a_refused_transition_names_the_action_and_the_status_in_the_readers_language():
    error = InvalidTransition(action="close", current_status="in_progress")

    assert error.code == "transition.refused"
    with translation.override("zh-hans"):
        assert error.message == "无法对此投诉执行“关闭”：当前状态为“处理中”。"
    with translation.override("en"):
        assert error.message == "Cannot “Close” this complaint: its current status is “In progress”."


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_the_catalogues_are_complete(language):
    po = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = po.split("\n\n")[1:]  # the first is the header

    untranslated = [
        e
        for e in entries
        if re.search(r'^msgstr(\[0\])? ""\n?$', e, flags=re.M) and '\n"' not in e.split("msgstr", 1)[1]
    ]
    assert "#, fuzzy" not in po
    assert untranslated == []
    assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists()


def test_every_translatable_string_in_the_code_and_templates_is_in_both_catalogues(tmp_path):
    """Issue 17 §4.12: extract the strings as `make messages` does (on a copy of the source) and fail
    on any that is new (untranslated) or only fuzzily matched in either catalogue."""
    import shutil
    import subprocess
    import sys

    import polib

    if shutil.which("xgettext") is None:
        pytest.skip("gettext's xgettext is not installed (apt-get install gettext)")
    copy = tmp_path / "kesu"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo"))
    django_admin = [sys.executable, "-m", "django"]
    subprocess.run(
        [*django_admin, "makemessages", "-l", "zh_Hans", "-l", "en", "--no-obsolete", "--ignore", "static/*",
         "--settings", "kesu.config.settings"],
        cwd=copy, check=True, capture_output=True,
    )
    for language in ("zh_Hans", "en"):
        po = polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / "django.po"))
        missing = [e.msgid for e in po if "fuzzy" in e.flags or not (e.msgstr or any(e.msgstr_plural.values()))]
        assert missing == [], language
