from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

import kesu
from kesu.web.domain_text import domain_message, transition_refused

LOCALE = Path(kesu.__file__).parent / "locale"


@pytest.mark.parametrize(
    ("message", "chinese", "english"),
    [
        ("is required", "此项为必填项。", "This field is required."),
        ("'abc' is not an amount", "“abc”不是有效金额。", "“abc” is not an amount."),
        (
            "must be at most 200 characters (got 250)",
            "最多 200 个字符（已输入 250 个）。",
            "At most 200 characters (you entered 250).",
        ),
        (
            "no complaint 'KS-2026-000009'",
            "不存在投诉“KS-2026-000009”。",
            "There is no complaint “KS-2026-000009”.",
        ),
        ("something new the UI does not know", "something new the UI does not know", None),
    ],
)
def test_domain_messages_in_the_users_language(message, chinese, english):
    with translation.override("zh-hans"):
        assert domain_message(message) == chinese
    with translation.override("en"):
        assert domain_message(message) == (english or message)


def test_a_refused_transition_names_the_action_and_the_status():
    with translation.override("zh-hans"):
        text = transition_refused(action="close", merged=False, current_status="in_progress")
    assert text == "无法对此投诉执行“关闭”：当前状态为“处理中”。"


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
