"""Themes: an analyst saves a filter and a period and sees its distinctive words, trend and causes."""

from __future__ import annotations

import pytest
from django.test import Client

from kesu.analytics.models import Theme
from kesu.analytics.themes import words_distinctive
from kesu.core.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_distinctive_words_are_those_of_the_theme_not_the_common_ones():
    theme = ["快递三天没到，物流太慢", "物流一直不更新，快递丢了", "快递延误，物流客服不回复"] * 5
    others = ["客服态度很差，挂我电话", "套餐扣费不对，客服说不清", "会员自动续费没有提醒"] * 5
    words = [w for w, _z in words_distinctive(theme, others, top=4)]
    assert "物流" in words and "快递" in words
    assert "客服" not in words


def test_an_analyst_saves_a_theme_and_sees_its_analysis(demo_year):
    analyst = make_user(Role.ANALYST)
    client = Client()
    client.force_login(analyst)
    reply = client.post("/analytics/themes/", {"name": "处理效率", "category": "handling-efficiency",
                                               "from": "2026-06-01", "to": "2026-11-30", "shared": "on"})
    assert reply.status_code == 302
    theme = Theme.objects.get()
    page = client.get(reply["Location"]).content.decode()
    assert 'id="chart-theme-words"' in page and 'id="chart-theme-trend"' in page
    assert 'data-testid="theme-summary"' in page
    other = Client()
    other.force_login(make_user(Role.MANAGER))
    assert other.get(f"/analytics/themes/{theme.pk}/").status_code == 200  # shared
    bad = client.post("/analytics/themes/", {"name": "x", "from": "2026-06-01", "to": "2026-11-30"})
    assert bad.status_code == 422 and "筛选条件" in bad.content.decode()  # the field, in the default language
