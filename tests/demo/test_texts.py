"""The raw material of the demo: names, regions, texts and arrival times (pure, no database)."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from kesu.demo import texts
from kesu.demo.arrivals import arrivals_sample
from kesu.demo.names import email_address, mobile_number, person_name, social_handle
from kesu.demo.places import region_pick

NOW = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)


@pytest.mark.parametrize("category", sorted(texts.TEMPLATES))
def test_every_product_has_a_fitting_template_in_every_category(category):
    for product in texts.PRODUCTS:
        fitting = [t for t in texts.TEMPLATES[category] if t.tags is None or t.tags & product.tags]
        assert fitting, (category, product.name)


@pytest.mark.parametrize("category", sorted(texts.TEMPLATES))
def test_every_template_and_resolution_fills_its_slots(category):
    rng = random.Random(1)
    for channel in ("phone", "chat", "email", "social"):
        for severity in ("general", "urgent", "major"):
            for _ in range(30):
                text = texts.complaint_text(
                    rng,
                    category=category,
                    channel=channel,
                    severity=severity,
                    local=NOW,
                    polite="王先生",
                    full_name="王伟",
                )
                assert "{" not in text.content and "{" not in text.subject
                assert text.content.strip() and len(text.subject) <= 200
                assert "{" not in texts.fill(rng, text.resolutions, text.slots)
    for template in texts.TEMPLATES[category]:
        for resolution in template.resolutions:
            resolution.format(**texts.text_slots(rng, texts.PRODUCTS[0], NOW, "X1"))


def test_people_have_zh_cn_names_mobiles_and_handles():
    rng = random.Random(5)
    taken: set[str] = set()
    names = [person_name(rng) for _ in range(500)]
    phones = [mobile_number(rng, taken) for _ in range(500)]

    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", n.full) for n in names)
    assert Counter(n.surname for n in names).most_common(1)[0][0] in {"王", "李", "张"}
    assert all(re.fullmatch(r"1[3-9]\d{9}", p) for p in phones) and len(set(phones)) == 500
    assert all(re.fullmatch(r"[a-z0-9._]+@[a-z0-9.]+\.(com|cn)", email_address(rng, n, set())) for n in names)
    assert all(
        re.fullmatch(r"(weibo|douyin|xiaohongshu|wechat):\w+", social_handle(rng, set())) for _ in range(50)
    )
    assert all(len(region_pick(rng)) <= 64 for _ in range(200))


def test_arrivals_are_sorted_aware_and_inside_the_year():
    moments = arrivals_sample(random.Random(2), count=3000, now=NOW, zone="Asia/Shanghai")
    assert moments == sorted(moments) and len(moments) == 3000
    assert all(
        m.tzinfo is not None and NOW.timestamp() - 365 * 86400 < m.timestamp() <= NOW.timestamp()
        for m in moments
    )
    zone = ZoneInfo("Asia/Shanghai")
    hours = Counter(m.astimezone(zone).hour for m in moments)
    assert max(hours, key=hours.__getitem__) in (9, 10, 14, 15)
