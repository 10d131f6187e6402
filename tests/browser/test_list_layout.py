"""The complaint list fits a 1,280 px window in both languages with the subject visible, and the
sidebar's queue names are not cut (issue 17 §4.2)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kesu.core.roles import Role
from kesu.pipeline.transitions import complaint_transition
from tests.browser.conftest import log_in
from tests.factories import T0, make_complaint, make_group, make_user


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("width", [1280, 1440])
def test_the_list_fits_the_window_with_the_subject_visible(page, language, width):
    group = make_group("front-desk")
    handler = make_user(Role.HANDLER, "wang", groups=[group], display_name="王芳芳")
    for i in range(3):
        complaint = make_complaint(by=handler, group=group.code,
                                   subject=f"宽带安装后一直断线，客服多次承诺上门维修却没有人来 {i}")
        complaint_transition(complaint=complaint, action="assign", assignee="wang", by=handler, now=T0)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, handler)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
    page.goto("/")

    table = page.locator("#complaint-results table")
    expect(table).to_be_visible()
    box = page.evaluate("""() => {
        const wrap = document.querySelector('#complaint-results .table-wrap');
        const table = wrap.querySelector('table');
        const subject = table.querySelector('tbody tr td:last-child');
        const s = subject.getBoundingClientRect(), w = wrap.getBoundingClientRect();
        return {table: table.scrollWidth, wrap: wrap.clientWidth, subjectRight: s.right, subjectWidth: s.width,
                wrapRight: w.right, doc: document.documentElement.scrollWidth, win: window.innerWidth};
    }""")
    assert box["table"] <= box["wrap"], box  # no horizontal scrolling inside the box
    assert box["doc"] <= box["win"], box  # nor of the page
    assert box["subjectWidth"] >= 120 and box["subjectRight"] <= box["wrapRight"] + 1, box
    # the sidebar's queue names are whole
    cut = page.evaluate("""() => [...document.querySelectorAll('.queue-nav .queue-name')]
        .filter(a => a.scrollWidth > a.clientWidth + 1 || getComputedStyle(a).textOverflow === 'ellipsis').map(a => a.textContent.trim())""")
    assert cut == []
