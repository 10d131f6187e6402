"""The demo's mass incidents: two past ones (declared, their complaints answered, resolved and closed
together) and one active (its complaints waiting on it). Idempotent: an incident already there (by
title) is left as it is."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from kesu.complaints.drafts import ComplaintDraft
from kesu.core.models import User
from kesu.customers.actions import CustomerHandles
from kesu.incidents.actions import incident_declare, incident_resolve, incident_update
from kesu.incidents.models import Incident
from kesu.pipeline.incidents import incident_resolve_run
from kesu.pipeline.intake import complaint_create

PAST_OUTAGE = {
    "title": "深圳市南山区宽带中断（光缆被挖断）", "kind": "outage",
    "announcement": {"zh-hans": "因市政施工挖断光缆，南山区部分小区宽带中断，抢修队已到场。",
                     "en": "Road works cut a fibre cable: broadband is down in parts of Nanshan; repair crews are on site."},
    "scope": {"regions": ["广东省深圳市南山区"], "keywords": ["宽带", "断网", "上不了网", "网络"]},
    "texts": ["家里宽带从中午开始断网，一直上不了网", "南山这边网络全断了，什么时候能恢复？", "宽带断网两个小时了，在家办公受影响",
              "上不了网，光猫红灯闪"],
    "region": "广东省深圳市南山区", "product": "宽带", "days_ago": 75, "hours": 6, "count": 40,
    "closing": {"zh-hans": "光缆已熔接完毕，南山区宽带已恢复。给您带来不便，深表歉意。",
                "en": "The fibre is spliced and broadband in Nanshan is back. We apologise for the disruption."},
    "root_cause": "third_party",
}
PAST_BATCH = {
    "title": "冰箱批次 BX-2607 不制冷", "kind": "quality",
    "announcement": {"zh-hans": "BX-2607 批次冰箱存在温控板缺陷，我们将免费上门更换温控板。",
                     "en": "Fridges of batch BX-2607 have a faulty thermostat board; we replace it at home, free of charge."},
    "scope": {"products": ["冰箱"], "keywords": ["不制冷", "BX-2607", "温控"]},
    "texts": ["新买的冰箱不制冷，批次 BX-2607", "冰箱用了一周就不制冷了", "冰箱温控失灵，冷藏室不冷"],
    "region": "", "product": "冰箱", "days_ago": 30, "hours": 72, "count": 25,
    "closing": {"zh-hans": "温控板已全部更换完毕，如仍有问题请回复此消息。",
                "en": "All thermostat boards are replaced; reply to this message if the problem remains."},
    "root_cause": "product_defect",
}
ACTIVE = {
    "title": "广州市天河区 5G 信号中断", "kind": "outage",
    "announcement": {"zh-hans": "天河区部分基站电力故障，5G 信号中断，正在抢修。",
                     "en": "A power fault at base stations in Tianhe: 5G is down, repairs are under way."},
    "scope": {"regions": ["广东省广州市天河区"], "keywords": ["信号", "5G", "没有网络", "打不了电话"]},
    "texts": ["手机突然没有信号，打不了电话", "天河这边 5G 信号全无", "手机显示无服务，没有网络"],
    "region": "广东省广州市天河区", "product": "5G套餐", "days_ago": 0, "hours": 3, "count": 15,
}


def _manager() -> User | None:
    return User.objects.filter(username="manager").first() or User.objects.filter(role="manager").first()


def _complaints(spec: dict, *, start: datetime, rng: random.Random) -> None:
    for i in range(spec["count"]):
        at = start + timedelta(minutes=rng.randrange(max(1, int(spec["hours"] * 60))))
        text = rng.choice(spec["texts"])
        complaint_create(draft=ComplaintDraft(
            channel=rng.choice(["phone", "web", "email", "sms", "chat"]), content=f"{text}。",
            region=spec["region"], product=spec["product"],
            customer=CustomerHandles(name=rng.choice("王李张刘陈杨黄赵") + rng.choice(["先生", "女士"]),
                                     phone=f"186{rng.randrange(10**8):08d}", region=spec["region"],
                                     email=f"demo{rng.randrange(10**6)}@example.cn")),
            by=None, now=at)
        if i % 10 == 9:
            print(f"  incidents: {spec['title']}: {i + 1} complaints", flush=True)


def _incident(spec: dict, *, now: datetime, rng: random.Random, resolve: bool) -> None:
    if Incident.objects.filter(title=spec["title"]).exists():
        print(f"  incidents: {spec['title']} is there already", flush=True)
        return
    boss = _manager()
    start = now - timedelta(days=spec["days_ago"], hours=spec["hours"] if not resolve else 0)
    if resolve:
        start = start.replace(hour=2, minute=0, second=0, microsecond=0)
    # the first complaints arrive before anyone declares (the time to declaration)
    early = dict(spec, count=max(3, spec["count"] // 8), hours=0.5)
    _complaints(early, start=start, rng=rng)
    declared_at = start + timedelta(minutes=40)
    incident = incident_declare(
        by=boss, now=declared_at, title=spec["title"], kind=spec["kind"], announcement=spec["announcement"],
        scope=spec["scope"], starts_at=start, expected_recovery_at=declared_at + timedelta(hours=spec["hours"] + 2),
        link_matching=True).incident
    _complaints(dict(spec, count=spec["count"] - early["count"]), start=declared_at, rng=rng)
    if resolve:
        incident_update(incident=incident, by=boss, now=declared_at + timedelta(hours=1),
                        announcement={"zh-hans": spec["announcement"]["zh-hans"] + "（进展：抢修过半）",
                                      "en": spec["announcement"]["en"] + " (Progress: half done.)"},
                        expected_recovery_at=declared_at + timedelta(hours=spec["hours"] + 1))
        from kesu.incidents.actions import incident_push

        incident_push(incident_id=incident.pk, now=declared_at + timedelta(hours=1))
        resolved_at = declared_at + timedelta(hours=spec["hours"] + 1)
        incident_resolve(incident=incident, by=boss, now=resolved_at, message=spec["closing"],
                         root_cause=spec["root_cause"])
        incident_resolve_run(incident_id=incident.pk, now=resolved_at)
    print(f"  incidents: {spec['title']} ({'resolved' if resolve else 'active'})", flush=True)


def demo_populate(*, seed: int, complaints: int, now: datetime) -> None:
    """Two past incidents and one active one, each with its complaints (through the intake pipeline)."""
    rng = random.Random(seed + 13)
    print("incidents: two past mass incidents and one active", flush=True)
    _incident(PAST_OUTAGE, now=now, rng=rng, resolve=True)
    _incident(PAST_BATCH, now=now, rng=rng, resolve=True)
    _incident(ACTIVE, now=now, rng=rng, resolve=False)
