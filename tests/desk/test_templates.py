"""Response templates: chosen by severity × service type, variables filled, uses counted."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kesu.complaints.models import Category
from kesu.core.errors import FieldError
from kesu.desk.actions import template_render, template_validate, template_values
from kesu.desk.models import ResponseTemplate
from kesu.desk.selectors import service_type_from, templates_for
from tests.factories import T0, make_complaint

pytestmark = pytest.mark.django_db


def test_the_migration_seeds_one_template_per_cell_in_chinese_and_english():
    cells = set(ResponseTemplate.objects.values_list("severity", "service_type", "language"))

    assert cells == {
        (severity, kind, language)
        for severity in ("general", "urgent", "major")
        for kind in ("pre_sale", "after_sale", "technical")
        for language in ("zh-hans", "en")
    }
    for template in ResponseTemplate.objects.all():
        template_validate(template.body)  # every seeded text uses known variables only
        assert "{customer_name}" in template.body and "{number}" in template.body


@pytest.mark.parametrize(
    ("severity", "service_type", "name"),
    [
        ("general", "pre_sale", "一般·售前咨询答复"),
        ("urgent", "after_sale", "紧急·售后问题加急处理"),
        ("major", "technical", "重大·技术故障专项处理"),
    ],
)
def test_the_template_of_the_cell_comes_first_in_the_page_language(severity, service_type, name):
    templates = templates_for(severity=severity, service_type=service_type, language="zh-hans")

    assert templates[0].name == name
    # the cell's English variant is offered too, after the Chinese; no other cell's template
    assert [(t.severity, t.service_type) for t in templates] == [(severity, service_type)] * 2
    assert [t.language for t in templates] == ["zh-hans", "en"]


def test_a_template_for_any_severity_follows_the_exact_one_and_inactive_ones_are_left_out():
    ResponseTemplate.objects.create(name="通用售后", service_type="after_sale", body="您好", updated_at=T0)
    ResponseTemplate.objects.create(name="停用", severity="urgent", service_type="after_sale", body="x",
                                    active=False, updated_at=T0)

    names = [t.name for t in templates_for(severity="urgent", service_type="after_sale", language="zh-hans")]

    assert names[0] == "紧急·售后问题加急处理"
    assert "通用售后" in names and names.index("通用售后") > 0
    assert "停用" not in names


def test_the_service_type_comes_from_the_category_or_its_parent():
    quality = Category.objects.get(code="product-quality")
    delay = Category.objects.get(code="logistics-delay")  # no type of its own: the parent's
    assert service_type_from(quality) == "technical"
    assert service_type_from(delay) == "after_sale"
    assert service_type_from(None) == "after_sale"


def test_render_fills_the_variables():
    text = template_render("尊敬的{customer_name}您好：工单 {number} 将于 {due_date} 前处理。",
                           {"customer_name": "张伟", "number": "KS-2026-000007", "due_date": "2026年3月4日 18:00"})

    assert text == "尊敬的张伟您好：工单 KS-2026-000007 将于 2026年3月4日 18:00 前处理。"


def test_an_unknown_variable_is_named():
    with pytest.raises(FieldError) as raised:
        template_render("您好 {custmer_name}", {"customer_name": "张伟"})

    assert raised.value.field == "template"
    assert "{custmer_name}" in raised.value.message
    with pytest.raises(FieldError, match=r"未知变量 \{oops\}。可用变量：\{customer_name\}"):
        template_validate("{oops}")


def test_values_of_a_complaint():
    complaint = make_complaint(order_number="JD-1", amount_claimed="99.00")
    due = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)  # 18:00 in Shanghai

    zh = template_values(complaint, by=None, now=T0, language="zh-hans", due_at=due)
    en = template_values(complaint, by=None, now=T0, language="en", due_at=due)
    later = template_values(complaint, by=None, now=T0, language="zh-hans", due_at=None)

    assert (zh["customer_name"], zh["number"], zh["due_date"]) == ("张伟", complaint.number, "2026年3月4日 18:00")
    assert (zh["order_number"], zh["amount_claimed"], zh["today"]) == ("JD-1", "¥99.00", "2026年3月2日")
    assert en["due_date"] == "4 March 2026, 18:00"
    assert later["due_date"] == "尽快"
