"""Every main page of each role, in the English UI and the Chinese UI, shows no text in the other
language (issue 17 §4.12). The data is written in the page's language (an English customer's
complaint on the English pages, a Chinese one on the Chinese pages), so whatever is left over is
the interface's own text."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from kesu.compensation.actions import proposal_create
from kesu.core.roles import Role
from kesu.customers.actions import CustomerHandles
from kesu.pipeline.transitions import complaint_assign, complaint_start
from kesu.portal.actions import tracking_link_create
from tests.browser.conftest import log_in
from tests.factories import T0, make_complaint, make_group, make_user

# what the Chinese UI may show in Latin letters: the product's name, abbreviations people use as
# they are (IMAP, CA, Webhook on the settings pages), priority and escalation codes, and the language
# switch's "English"
LATIN_ALLOWED = re.compile(
    r"^(kesu|none|Office|IMAP|CA|Webhook|mp3|wav|m4a|aac|amr|ogg|VIP|SLA|NPS|CSAT|API|ID|KS|P[1-4]|L\d|English|PDF|CSV|XLSX|JSON|Excel|h|min|d|s|am|pm|TOP|Enter|Esc|Tab|"
    r"j|k|x|g|c|n|p|a|l|u|m|t|e|r|\?)$"
)
# the text a page shows: visible text nodes outside the language switch, code and the data cells
SCRIPT = """(lang) => {
  const skip = el => el.closest('[lang]:not(html), .mono, code, pre, .note-text, .user-name, script, style, '
    + 'noscript, .langswitch, [data-data], option, .history-body, .event-body, .subject, .customer-name, '
    + '.setting-data');
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement, text = node.textContent.trim();
    if (!text || !el || skip(el) || !el.getClientRects().length) continue;
    out.push(text);
  }
  for (const el of document.querySelectorAll('[placeholder], [title], [aria-label]')) {
    if (skip(el)) continue;
    for (const name of ['placeholder', 'title', 'aria-label']) if (el.getAttribute(name)) out.push(el.getAttribute(name));
  }
  return out;
}"""
SETTINGS_KINDS = ("calendars", "sla-policies", "routing-rules", "templates", "keywords", "priority-matrix",
                  "mailboxes", "webhook-sources")
CJK = re.compile(r"[\u3400-\u9fff]")


def _leftovers(texts: list[str], language: str, data: set[str]) -> list[str]:
    found = []
    for text in texts:
        if any(value and value in text for value in data):
            continue
        if language == "en" and CJK.search(text):
            found.append(text)
        if language == "zh-hans":
            words = [w for w in re.findall(r"[A-Za-z][A-Za-z0-9?]*", text) if not LATIN_ALLOWED.match(w)]
            if words and not re.search(r"@|https?://|\.(cn|com)\b", text):
                found.append(text)
    return sorted(set(found))


def _origin(page) -> str:
    """The site's root: a cookie set for a page's URL would only reach that page's path."""
    return "/".join(page.url.split("/", 3)[:3]) + "/"


def _world(language: str):
    english = language == "en"
    group = make_group("front-desk")
    handler = make_user(Role.HANDLER, "wang", groups=[group], display_name="Wang Fang" if english else "王芳")
    manager = make_user(Role.MANAGER, "boss", display_name="Boss" if english else "主管")
    analyst = make_user(Role.ANALYST, "ana", display_name="Ana" if english else "分析员")
    customer = CustomerHandles(name="Li Na" if english else "李娜", phone="13900139000",
                               email="li.na@example.cn")
    content = "The parcel is three days late, I want a refund." if english else "快递三天没到，要求退款。"
    complaint = make_complaint(by=handler, group=group.code, customer=customer, content=content,
                               subject="Parcel late" if english else "快递延误")
    complaint = complaint_assign(complaint=complaint, assignee=handler, by=handler, now=T0 + timedelta(minutes=5))
    complaint = complaint_start(complaint=complaint, by=handler, now=T0 + timedelta(minutes=6))
    proposal_create(complaint=complaint, by=handler, amount="20", remedy="Voucher" if english else "代金券",
                    now=T0 + timedelta(minutes=7))
    token = tracking_link_create(complaint=complaint, now=T0)
    data = {"Li Na", "李娜", "Wang Fang", "王芳", "Boss", "主管", "Ana", "分析员", content, "Parcel late", "快递延误",
            "Voucher", "代金券", "组 front-desk", "front-desk", "wang", "boss", "ana", "客服中心",
            "standard", "default", "客诉", "退款"}  # the policy and calendar names, the brand, a keyword tag
    return {"handler": handler, "manager": manager, "analyst": analyst}, complaint, token, data


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_page_of_any_role_shows_the_other_language(page, language):
    people, complaint, token, data = _world(language)
    pages = {
        "handler": ["/", f"/complaints/{complaint.pk}/", "/complaints/new/", "/calls/new/", "/library/",
                    "/compensation/approvals/", "/survey/follow-ups/",
                    "/customers/", f"/customers/{complaint.customer_id}/", "/notifications/"],
        "manager": ["/", f"/complaints/{complaint.pk}/", "/compensation/matrix/", "/customers/",
                    # the settings area (issue 17 §2): the index, each kind's list and form, a history
                    "/settings/", *[f"/settings/{kind}/" for kind in SETTINGS_KINDS],
                    *[f"/settings/{kind}/new/" for kind in SETTINGS_KINDS], "/settings/surveys/edit/",
                    "/settings/calendars/1/", "/settings/calendars/1/history/"],
        "analyst": ["/", f"/complaints/{complaint.pk}/", "/customers/"],
    }
    found: dict[str, list[str]] = {}
    for role, urls in pages.items():
        page.context.clear_cookies()
        log_in(page, people[role])
        page.context.add_cookies([{"name": "django_language", "value": language, "url": _origin(page)}])
        for url in urls:
            page.goto(url)
            left = _leftovers(page.evaluate(SCRIPT, language), language, data)
            if left:
                found[f"{role} {url}"] = left
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": _origin(page)}])
    for url in ("/portal/", f"/portal/t/{token}/", "/portal/find/", "/no-such-page/"):
        page.goto(url)
        left = _leftovers(page.evaluate(SCRIPT, language), language, data)
        if left:
            found[f"customer {url}"] = left

    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)
