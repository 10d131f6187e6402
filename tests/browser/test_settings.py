"""The settings area in a real browser, in Chinese (the default) and English: a manager finds it in
the menu, refuses a bad routing condition, changes a rule and sees the change in its history."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kesu.core.roles import Role
from kesu.routing.actions import rule_create
from tests.browser.conftest import log_in
from tests.factories import T0, make_group, make_user

WORDS = {
    "zh-hans": {
        "menu": "设置",
        "rules": "分派规则",
        "edit": "编辑",
        "save": "保存",
        "history": "变更历史",
        "changed": "已修改",
        "deactivate": "停用",
        "deactivated": "已停用",
    },
    "en": {
        "menu": "Settings",
        "rules": "Routing rules",
        "edit": "Edit",
        "save": "Save",
        "history": "History",
        "changed": "Changed",
        "deactivate": "Deactivate",
        "deactivated": "Deactivated",
    },
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_manager_changes_a_routing_rule_and_sees_it_in_the_history(page, language):
    words = WORDS[language]
    make_group("billing")
    make_group("claims")
    manager = make_user(Role.MANAGER, "boss", display_name="Boss Zhou")
    rule = rule_create(
        by=None, now=T0, name="账单问题", name_en="Billing", conditions=[], actions={"group": "billing"}
    )
    log_in(page, manager)
    if language == "en":
        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")

    page.locator(".mainnav").get_by_role("link", name=words["menu"], exact=True).click()
    page.get_by_role("link", name=re.compile(words["rules"])).first.click()
    row = page.locator(f"table.settings-list tr[data-id='{rule.pk}']")
    row.get_by_role("link", name=words["edit"]).click()

    # a bad condition is refused and named; nothing is saved
    page.locator("textarea[name=conditions]").fill('[{"field": "tier", "op": "between", "value": "vip"}]')
    page.get_by_role("button", name=words["save"]).click()
    expect(page.locator(".field-error")).to_contain_text("conditions[0].op")
    expect(page.locator(".field-error")).to_contain_text("between")

    page.locator("textarea[name=conditions]").fill("[]")
    page.locator("textarea[name=actions]").fill('{"group": "claims"}')
    page.get_by_role("button", name=words["save"]).click()
    expect(page).to_have_url(re.compile(r"/settings/routing-rules/$"))
    row.get_by_role("button", name=words["deactivate"]).click()
    expect(row).to_have_class(re.compile("inactive"))

    row.get_by_role("link", name=words["history"]).click()
    changes = page.locator(".history-change")
    expect(changes).to_have_count(2)
    expect(changes.first.locator(".change-action")).to_have_text(words["deactivated"])
    latest_edit = changes.nth(1)
    expect(latest_edit.locator(".change-action")).to_have_text(words["changed"])
    expect(latest_edit).to_contain_text("Boss Zhou")
    expect(latest_edit.locator("tr[data-field=actions]")).to_contain_text('"billing"')
    expect(latest_edit.locator("tr[data-field=actions]")).to_contain_text('"claims"')
