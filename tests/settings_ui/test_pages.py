"""The settings area (issue 17 §2): the management layer edits each kind of setting in the product,
bad input is refused with the domain's message next to the field it names, every change is recorded
with who and when, and a change reaches the next intake."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
import time_machine

from kesu.channels.models import Mailbox, WebhookSource
from kesu.complaints.models import Category
from kesu.core.roles import Role
from kesu.desk.models import ResponseTemplate
from kesu.routing.actions import group_routing_set
from kesu.routing.models import RoutingRule
from kesu.settings_ui.models import SettingChange
from kesu.sla.models import Calendar, SlaPolicy
from kesu.surveys.models import SurveySettings
from kesu.triage.models import Keyword, PriorityRule
from tests.api.builders import client_for, post_json
from tests.factories import T0, make_group, make_user
from tests.routing.conftest import customer, intake

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _at_t0():
    with time_machine.travel(T0, tick=False):
        yield


@pytest.fixture
def boss(client, manager):
    client.force_login(manager)
    return client


def _history(client, kind: str, pk: int) -> str:
    response = client.get(f"/settings/{kind}/{pk}/history/")
    assert response.status_code == 200
    return response.content.decode()


def _post(client, url: str, data: dict, status: int = 302):
    response = client.post(url, data)
    errors = re.findall(r'role="alert">([^<]*)<', response.content.decode())
    assert response.status_code == status, errors
    return response


# ---- permissions and the menu ---------------------------------------------------------------------


def test_the_management_layer_finds_the_settings_area_in_the_menu(boss):
    page = boss.get("/").content.decode()
    assert 'href="/settings/"' in page
    index = boss.get("/settings/").content.decode()
    for slug in (
        "calendars",
        "sla-policies",
        "routing-rules",
        "templates",
        "keywords",
        "priority-matrix",
        "surveys",
        "mailboxes",
        "webhook-sources",
    ):
        assert f'href="/settings/{slug}/"' in index
    for slug in (
        "calendars",
        "sla-policies",
        "routing-rules",
        "templates",
        "keywords",
        "priority-matrix",
        "mailboxes",
        "webhook-sources",
    ):
        assert boss.get(f"/settings/{slug}/").status_code == 200
        assert boss.get(f"/settings/{slug}/new/").status_code == (403 if slug == "mailboxes" else 200)
    assert boss.get("/settings/surveys/").status_code == 302
    assert boss.get("/settings/surveys/edit/").status_code == 200


@pytest.mark.parametrize("role", [Role.HANDLER, Role.ANALYST, Role.DECISION, Role.SPECIALIST])
def test_other_roles_get_a_translated_refusal_and_no_menu_entry(client, role):
    client.force_login(make_user(role, "someone"))
    assert 'href="/settings/"' not in client.get("/").content.decode()
    for url in (
        "/settings/",
        "/settings/routing-rules/",
        "/settings/routing-rules/new/",
        "/settings/surveys/edit/",
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "只有管理层可以修改设置" in response.content.decode()
    response = client.post("/settings/keywords/new/", {"tag": "x", "words": "y"})
    assert response.status_code == 403 and not Keyword.objects.filter(tag="x").exists()
    client.cookies["django_language"] = "en"
    assert "Only the management layer may change the settings." in client.get("/settings/").content.decode()


# ---- routing rules --------------------------------------------------------------------------------


def test_a_routing_rule_changed_in_the_settings_takes_effect_at_the_next_intake(boss, manager):
    billing, claims = make_group("billing"), make_group("claims")
    group_routing_set(group=billing, by=None, now=T0)
    group_routing_set(group=claims, by=None, now=T0)
    _post(
        boss,
        "/settings/routing-rules/new/",
        {
            "name": "VIP 客户",
            "name_en": "VIP customers",
            "position": "10",
            "enabled": "on",
            "conditions": '[{"field": "tier", "op": "is", "value": "vip"}]',
            "actions": '{"group": "billing"}',
        },
    )
    rule = RoutingRule.objects.get(name="VIP 客户")
    first = intake(customer=customer(tier="vip"), now=T0 + timedelta(minutes=1))
    assert first.group.code == "billing"

    # the manager points the rule at another group; the next complaint follows the new rule
    _post(
        boss,
        f"/settings/routing-rules/{rule.pk}/",
        {
            "name": "VIP 客户",
            "name_en": "VIP customers",
            "position": "10",
            "enabled": "on",
            "conditions": '[{"field": "tier", "op": "is", "value": "vip"}]',
            "actions": '{"group": "claims"}',
        },
    )
    second = intake(customer=customer(tier="vip"), now=T0 + timedelta(minutes=2))
    assert second.group.code == "claims"

    # deactivated: it routes nothing
    _post(boss, f"/settings/routing-rules/{rule.pk}/toggle/", {})
    third = intake(customer=customer(tier="vip"), now=T0 + timedelta(minutes=3))
    assert third.group is None

    page = _history(boss, "routing-rules", rule.pk)
    assert page.count('class="card history-change"') == 3
    assert "停用" in page and "修改" in page and "创建" in page
    assert "manager1" in page and "2026-03-02 09:00" in page
    assert "billing" in page and "claims" in page  # before / after of the actions


def test_a_bad_routing_condition_is_named_as_the_api_names_it(boss, manager):
    response = _post(
        boss,
        "/settings/routing-rules/new/",
        {
            "name": "坏规则",
            "position": "10",
            "enabled": "on",
            "conditions": '[{"field": "tier", "op": "between", "value": "vip"}]',
            "actions": '{"priority": "P1"}',
        },
        status=422,
    )
    page = html.unescape(response.content.decode())
    # the same message as the API's 422 for the same rule
    api = post_json(
        client_for(manager),
        "/api/v1/routing/rules",
        {
            "name": "坏规则",
            "conditions": [{"field": "tier", "op": "between", "value": "vip"}],
            "actions": {"priority": "P1"},
        },
    )
    (error,) = api.json()["detail"]
    assert error["loc"] == ["body", "conditions[0].op"]
    assert f"conditions[0].op: {error['message']}" in page
    assert not RoutingRule.objects.exists() and not SettingChange.objects.exists()
    broken = _post(
        boss, "/settings/routing-rules/new/", {"name": "x", "conditions": "[{", "actions": "{}"}, status=422
    )
    assert "JSON" in broken.content.decode()


# ---- calendars ------------------------------------------------------------------------------------


def _calendar_data(**overrides) -> dict:
    data = {
        "name": "shenzhen",
        "title": "深圳",
        "time_zone": "Asia/Shanghai",
        "country": "CN",
        "day_0": "09:00-12:00, 13:30-18:00",
        "day_1": "09:00-18:00",
        "day_2": "09:00-18:00",
        "day_3": "09:00-18:00",
        "day_4": "09:00-18:00",
        "day_5": "",
        "day_6": "",
    }
    data.update(overrides)
    return data


def test_a_calendar_is_created_with_a_coverage_warning_and_its_holidays_imported(boss):
    response = boss.post("/settings/calendars/new/", _calendar_data(), follow=True)
    page = response.content.decode()
    # the coming year (2026-03 → 2027-03) is not covered: named per year
    assert (
        "日历 shenzhen 尚未录入 2026 年的节假日" in page and "日历 shenzhen 尚未录入 2027 年的节假日" in page
    )
    calendar = Calendar.objects.get(name="shenzhen")
    assert calendar.week[0] == [["09:00", "12:00"], ["13:30", "18:00"]] and calendar.week[5] == []

    boss.post(f"/settings/calendars/{calendar.pk}/import/", {"country": "CN", "year": "2026"})
    boss.post(f"/settings/calendars/{calendar.pk}/import/", {"country": "CN", "year": "2027"})
    assert set(calendar.years.values_list("year", flat=True)) == {2026, 2027}
    edit = boss.get(f"/settings/calendars/{calendar.pk}/").content.decode()
    assert "日历 shenzhen 尚未录入" not in edit
    history = _history(boss, "calendars", calendar.pk)
    assert "2026" in history and "2027" in history


def test_a_bad_working_period_is_named(boss):
    response = _post(boss, "/settings/calendars/new/", _calendar_data(day_2="18:00-09:00"), status=422)
    assert "周三第 1 个时段（18:00–09:00）：开始时间必须早于结束时间。" in response.content.decode()
    assert not Calendar.objects.filter(name="shenzhen").exists()


# ---- SLA policies ---------------------------------------------------------------------------------


def test_an_sla_policy_is_created_refused_and_recorded(boss):
    bad = _post(
        boss,
        "/settings/sla-policies/new/",
        {
            "name": "vip-fast",
            "position": "5",
            "enabled": "on",
            "conditions": '{"tier": ["gold"]}',
            "targets": '{"resolution": {"minutes": -5}}',
            "warn_percent": "150",
        },
        status=422,
    )
    page = bad.content.decode()
    assert "请输入 1 到 99 之间的数（您输入的是 150）。" in page  # warn_percent, as the API words it
    assert "conditions.tier: " in page and "gold" in page
    assert "targets.resolution.minutes: " in page
    assert not SlaPolicy.objects.filter(name="vip-fast").exists()
    _post(
        boss,
        "/settings/sla-policies/new/",
        {
            "name": "vip-fast",
            "title": "VIP 快速",
            "title_en": "VIP fast",
            "position": "5",
            "enabled": "on",
            "conditions": '{"tier": ["vip"]}',
            "targets": '{"resolution": {"minutes": 600}}',
            "warn_percent": "80",
        },
    )
    policy = SlaPolicy.objects.get(name="vip-fast")
    assert policy.targets == {"resolution": {"minutes": 600}} and policy.warn_percent == 80
    assert "manager1" in _history(boss, "sla-policies", policy.pk)


# ---- templates, keywords, priority matrix ---------------------------------------------------------


def test_a_reply_template_with_an_unknown_variable_is_refused_naming_it(boss):
    bad = _post(
        boss,
        "/settings/templates/new/",
        {"name": "道歉", "language": "zh-hans", "body": "您好 {custmer_name}"},
        status=422,
    )
    assert "{custmer_name}" in bad.content.decode()
    _post(
        boss,
        "/settings/templates/new/",
        {"name": "道歉", "language": "zh-hans", "body": "您好 {customer_name}", "active": "on"},
    )
    template = ResponseTemplate.objects.get(name="道歉")
    _post(boss, f"/settings/templates/{template.pk}/toggle/", {})
    template.refresh_from_db()
    assert template.active is False
    history = _history(boss, "templates", template.pk)
    assert "停用" in history and "manager1" in history


def test_a_keyword_is_created_refused_when_taken_and_deleted(boss):
    category = Category.objects.filter(is_active=True).first()
    _post(
        boss,
        "/settings/keywords/new/",
        {"tag": "压坏", "words": "压坏\n摔坏, 碎了", "category": category.pk, "is_active": "on"},
    )
    keyword = Keyword.objects.get(tag="压坏")
    assert keyword.words == ["压坏", "摔坏", "碎了"]
    taken = _post(boss, "/settings/keywords/new/", {"tag": "压坏", "words": "x"}, status=422)
    assert "名称“压坏”已被使用" in taken.content.decode()
    empty = _post(boss, "/settings/keywords/new/", {"tag": "空", "words": ""}, status=422)
    assert 'aria-invalid="true"' in empty.content.decode()
    _post(boss, f"/settings/keywords/{keyword.pk}/delete/", {})
    assert not Keyword.objects.filter(pk=keyword.pk).exists()
    history = _history(boss, "keywords", keyword.pk)  # a deleted setting keeps its history
    assert "删除" in history and "摔坏" in history


def test_a_priority_matrix_cell_is_created_and_a_duplicate_refused(boss):
    _post(boss, "/settings/priority-matrix/new/", {"tier": "vip", "severity": "major", "priority": "P1"})
    cell = PriorityRule.objects.get(tier="vip", severity="major", category=None)
    duplicate = _post(
        boss,
        "/settings/priority-matrix/new/",
        {"tier": "vip", "severity": "major", "priority": "P2"},
        status=422,
    )
    assert "优先级矩阵" in duplicate.content.decode()
    _post(
        boss, f"/settings/priority-matrix/{cell.pk}/", {"tier": "vip", "severity": "major", "priority": "P2"}
    )
    history = _history(boss, "priority-matrix", cell.pk)
    assert "P1" in history and "P2" in history and "manager1" in history


# ---- surveys --------------------------------------------------------------------------------------


def test_the_survey_settings_are_changed_and_a_bad_number_is_named(boss):
    bad = _post(
        boss,
        "/settings/surveys/edit/",
        {
            "reopen_at_or_below": "9",
            "reminder_after_hours": "48",
            "follow_up_sample_percent": "100",
            "public_url": "ftp://x",
        },
        status=422,
    )
    page = bad.content.decode()
    assert "请输入 0 到 5 之间的数（您输入的是 9）。" in page
    assert "请输入以 http:// 或 https:// 开头的地址" in page
    _post(
        boss,
        "/settings/surveys/edit/",
        {
            "reopen_at_or_below": "3",
            "reminder_after_hours": "24",
            "follow_up_sample_percent": "50",
            "public_url": "https://kesu.example.cn",
        },
    )
    row = SurveySettings.objects.get(pk=1)
    assert (row.reopen_at_or_below, row.reminder_after_hours, row.public_url) == (
        3,
        24,
        "https://kesu.example.cn",
    )
    history = boss.get("/settings/surveys/history/").content.decode()
    assert "manager1" in history and "https://kesu.example.cn" in history


# ---- channels -------------------------------------------------------------------------------------


def test_an_administrator_creates_a_mailbox_and_the_password_variable_is_never_shown(client):
    admin = make_user(Role.ADMIN, "root")
    client.force_login(admin)
    data = {
        "name": "support",
        "address": "support@example.cn",
        "host": "imap.example.cn",
        "port": "993",
        "security": "ssl",
        "username": "support",
        "password_env": "KESU_MAILBOX_HELPDESK_PW",
        "folder": "INBOX",
        "enabled": "on",
    }
    bad = _post(client, "/settings/mailboxes/new/", {**data, "password_env": "PASSWORD"}, status=422)
    assert "KESU_MAILBOX_" in bad.content.decode()
    _post(client, "/settings/mailboxes/new/", data)
    mailbox = Mailbox.objects.get(name="support")
    edit = client.get(f"/settings/mailboxes/{mailbox.pk}/").content.decode()
    assert "KESU_MAILBOX_HELPDESK_PW" not in edit
    # left empty: kept
    _post(client, f"/settings/mailboxes/{mailbox.pk}/", {**data, "password_env": "", "folder": "Complaints"})
    mailbox.refresh_from_db()
    assert (mailbox.password_env, mailbox.folder) == ("KESU_MAILBOX_HELPDESK_PW", "Complaints")
    history = _history(client, "mailboxes", mailbox.pk)
    assert "KESU_MAILBOX_HELPDESK_PW" not in history and "Complaints" in history and "root" in history


def test_a_manager_edits_a_mailbox_group_but_not_where_it_connects(boss, client):
    mailbox = Mailbox.objects.create(
        name="support",
        host="imap.example.cn",
        username="support",
        password_env="KESU_MAILBOX_X",
        updated_at=T0,
    )
    group = make_group("mail-desk")
    page = boss.get(f"/settings/mailboxes/{mailbox.pk}/").content.decode()
    assert "KESU_MAILBOX_X" not in page
    _post(
        boss,
        f"/settings/mailboxes/{mailbox.pk}/",
        {
            "name": "support",
            "folder": "INBOX",
            "group": group.pk,
            "enabled": "on",
            "host": "evil.example.com",
        },
    )
    mailbox.refresh_from_db()
    assert (mailbox.group, mailbox.host) == (group, "imap.example.cn")
    # adding one says where kesu connects: administrators only, the page says so
    assert 'href="/settings/mailboxes/new/"' not in boss.get("/settings/mailboxes/").content.decode()
    refused = boss.get("/settings/mailboxes/new/")
    assert refused.status_code == 403 and "只有管理员可以新增" in refused.content.decode()


def test_a_webhook_source_secret_is_write_only(boss):
    bad = _post(
        boss,
        "/settings/webhook-sources/new/",
        {"name": "wechat", "channel": "chat", "secret_env": "x"},
        status=422,
    )
    assert "KESU_WEBHOOK_" in bad.content.decode()
    _post(
        boss,
        "/settings/webhook-sources/new/",
        {"name": "wechat", "channel": "chat", "secret_env": "KESU_WEBHOOK_WX_KEY", "enabled": "on"},
    )
    source = WebhookSource.objects.get(name="wechat")
    assert "KESU_WEBHOOK_WX_KEY" not in boss.get(f"/settings/webhook-sources/{source.pk}/").content.decode()
    _post(boss, f"/settings/webhook-sources/{source.pk}/toggle/", {})
    source.refresh_from_db()
    assert source.enabled is False and source.secret_env == "KESU_WEBHOOK_WX_KEY"
    history = _history(boss, "webhook-sources", source.pk)
    assert "KESU_WEBHOOK_WX_KEY" not in history and "停用" in history


def test_an_sla_policy_added_in_the_settings_times_the_next_complaint(boss):
    from kesu.complaints.models import EventKind

    _post(
        boss,
        "/settings/sla-policies/new/",
        {
            "name": "vip-first",
            "position": "0",
            "enabled": "on",
            "conditions": '{"tier": ["vip"]}',
            "targets": '{"resolution": {"minutes": 600}}',
            "warn_percent": "75",
        },
    )
    complaint = intake(customer=customer(tier="vip"), now=T0 + timedelta(minutes=1))
    applied = complaint.events.filter(kind=EventKind.SLA_APPLIED).latest("id").data
    assert applied["policy"] == "vip-first"
    regular = intake(now=T0 + timedelta(minutes=2))
    assert regular.events.filter(kind=EventKind.SLA_APPLIED).latest("id").data["policy"] != "vip-first"


def test_the_default_calendar_is_not_deleted_and_the_refusal_is_translated(boss):
    default = Calendar.objects.get(is_default=True)
    response = boss.post(f"/settings/calendars/{default.pk}/delete/", follow=True)
    assert "默认日历不能删除" in response.content.decode()
    assert Calendar.objects.filter(pk=default.pk).exists()
    assert not SettingChange.objects.filter(kind="calendars").exists()  # a refusal writes nothing


def test_a_make_up_working_day_is_entered_by_hand_and_cleared(boss):
    default = Calendar.objects.get(is_default=True)
    _post(
        boss,
        f"/settings/calendars/{default.pk}/days/",
        {"date": "2026-10-10", "kind": "workday", "name": "调休"},
    )
    day = default.days.get(date="2026-10-10")
    assert (day.kind, day.name, day.source) == ("workday", "调休", "manual")
    page = boss.get(f"/settings/calendars/{default.pk}/").content.decode()
    assert 'data-date="2026-10-10"' in page
    _post(boss, f"/settings/calendars/{default.pk}/days/", {"date": "2026-10-10", "clear": "1"})
    assert not default.days.filter(date="2026-10-10").exists()
    history = _history(boss, "calendars", default.pk)
    assert history.count('class="card history-change"') == 2
    assert "节假日与调休日" in history and "2026-10-10 workday 调休" in history and "manager1" in history
