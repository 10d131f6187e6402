"""Demo calls: the phone conversations behind the demo's phone complaints (``kesu demo`` calls
``calls_demo_seed`` after generating complaints).

Each recent phone complaint gets the inbound call it was taken on (by the handler who recorded it,
ending a moment before the complaint was created, its transcript the caller's words); many resolved
ones also an outbound call explaining the resolution, and some customers a call that opened no
complaint (a question answered on the spot). Every call on a complaint is on its timeline as a
``call`` event. Deterministic for a given seed and database; running it again adds nothing for
complaints that already have calls.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import transaction

from kesu.calls.actions import EXCERPT
from kesu.calls.models import Call, Direction
from kesu.complaints.models import Channel, Complaint, ComplaintEvent, EventKind, Status
from kesu.customers.models import CustomerIdentity, IdentityKind

GREETINGS = (
    "您好，客服中心，工号{agent}为您服务，请问有什么可以帮您？",
    "您好，很高兴为您服务，请问您遇到了什么问题？",
    "您好，这里是客户服务热线，请问怎么称呼您？",
)
ACKNOWLEDGEMENTS = (
    "非常抱歉给您带来不便，您的问题我已经详细记录，会尽快安排专人处理。",
    "理解您的心情，我这边马上为您登记，处理进展会第一时间通知您。",
    "好的，情况我了解了，这边为您提交处理，预计一到两个工作日内给您答复。",
    "抱歉让您久等了，我已经把您的诉求转给相关部门，请保持电话畅通。",
)
CLOSINGS = (
    "好的，那我等你们消息。",
    "行，希望这次能尽快解决。",
    "那麻烦你们快点处理，谢谢。",
    "好吧，我再等两天看看。",
)
INBOUND_NOTES = (
    "客户情绪较激动，已安抚并登记诉求",
    "已核实订单信息，登记后转处理",
    "客户要求尽快回电告知处理进度",
    "已告知处理时限，客户表示接受",
    "",
    "",
)
OUTBOUND_TEXTS = (
    ("客服：您好，我是客服中心的{agent}，关于您反映的问题，现在给您回复处理结果。\n客户：好的，你说。\n"
     "客服：{resolution}\n客户：行，这样可以接受。\n客服：感谢您的理解，后续有问题随时联系我们。"),
    ("客服：您好，打扰您了，这边是客服中心，跟您同步一下投诉的处理情况。\n客户：嗯，怎么样了？\n"
     "客服：{resolution}\n客户：好的，知道了。"),
)
OUTBOUND_NOTES = ("已电话告知处理结果，客户认可", "已回电说明方案，客户表示满意", "已回电，客户仍有疑问，已再次解释")
CONSULTATIONS = (
    "客户：我想问一下订单什么时候能发货？\n客服：您的订单已出库，预计明天送达。\n客户：好的，谢谢。",
    "客户：发票在哪里可以下载？\n客服：您可以在订单详情页点击“申请发票”，电子发票会发到您的邮箱。\n客户：明白了。",
    "客户：会员积分怎么兑换？\n客服：在会员中心的积分商城就可以兑换，积分有效期一年。\n客户：好的。",
)


def _inbound_transcript(rng: random.Random, complaint: Complaint, agent: str) -> str:
    return "\n".join(
        [
            "客服：" + rng.choice(GREETINGS).format(agent=agent),
            "客户：" + complaint.content,
            "客服：" + rng.choice(ACKNOWLEDGEMENTS),
            "客户：" + rng.choice(CLOSINGS),
            "客服：感谢您的来电，再见。",
        ]
    )


def _event(call: Call, complaint: Complaint, at: datetime, status: str) -> ComplaintEvent:
    return ComplaintEvent(
        complaint=complaint, kind=EventKind.CALL, actor=call.handled_by, at=at,
        from_status=status, to_status=status,
        data={
            "call_id": call.pk, "direction": call.direction, "number": call.number,
            "started_at": call.started_at.isoformat(), "duration_seconds": call.duration_seconds,
            "transcript_excerpt": call.transcript[:EXCERPT], "notes": call.notes[:EXCERPT], "recording": False,
        },
    )


def calls_demo_seed(now: datetime, *, count: int = 300, seed: int = 7) -> int:
    """Add about ``count`` calls for the latest demo phone complaints, once (nothing when calls exist);
    returns how many were added."""
    if Call.objects.exists():
        return 0
    rng = random.Random(seed)
    complaints = list(
        Complaint.objects.filter(channel=Channel.PHONE, created_by__isnull=False, created_at__lte=now)
        .exclude(calls__isnull=False)
        .select_related("created_by", "assignee", "customer")
        .order_by("-created_at", "-id")[: count * 3 // 4]
    )
    phones = dict(
        CustomerIdentity.objects.filter(
            kind=IdentityKind.PHONE, customer_id__in={c.customer_id for c in complaints}
        ).values_list("customer_id", "value")
    )
    # (call, its complaint, when the call event is written, the complaint's status then)
    plans: list[tuple[Call, Complaint | None, datetime | None, str]] = []
    for complaint in complaints:
        number = phones.get(complaint.customer_id)
        if number is None:
            continue
        agent = complaint.created_by
        duration = int(min(max(rng.lognormvariate(5.3, 0.5), 45), 1800))  # median about 3 minutes
        started = complaint.created_at - timedelta(seconds=duration + rng.randint(20, 240))
        inbound = Call(
            direction=Direction.INBOUND, number=number, customer_id=complaint.customer_id, complaint=complaint,
            started_at=started, duration_seconds=duration,
            transcript=_inbound_transcript(rng, complaint, f"{agent.pk:04d}"),
            notes=rng.choice(INBOUND_NOTES), handled_by=agent, created_at=complaint.created_at,
        )
        plans.append((inbound, complaint, complaint.created_at, Status.NEW))
        if complaint.resolved_at and complaint.resolution and rng.random() < 0.6:
            handler = complaint.assignee or agent
            at = complaint.resolved_at - timedelta(minutes=rng.randint(3, 30))
            if at > started + timedelta(seconds=duration):
                outbound = Call(
                    direction=Direction.OUTBOUND, number=number, customer_id=complaint.customer_id,
                    complaint=complaint, started_at=at, duration_seconds=rng.randint(60, 420),
                    transcript=rng.choice(OUTBOUND_TEXTS).format(agent=str(handler), resolution=complaint.resolution),
                    notes=rng.choice(OUTBOUND_NOTES), handled_by=handler, created_at=at + timedelta(minutes=8),
                )
                plans.append((outbound, complaint, outbound.created_at, Status.IN_PROGRESS))
        if rng.random() < 0.12:  # the same customer called another time with a question
            at = complaint.created_at + timedelta(days=rng.randint(2, 40), minutes=rng.randint(0, 600))
            if at < now:
                plans.append((
                    Call(
                        direction=Direction.INBOUND, number=number, customer_id=complaint.customer_id,
                        started_at=at, duration_seconds=rng.randint(40, 240),
                        transcript=rng.choice(CONSULTATIONS), notes="咨询类来电，已当场解答", handled_by=agent,
                        created_at=at + timedelta(minutes=5),
                    ),
                    None, None, "",
                ))
    plans = plans[:count]
    with transaction.atomic():
        calls = Call.objects.bulk_create([plan[0] for plan in plans], batch_size=1000)
        events = [
            _event(call, complaint, at, status)
            for call, (_call, complaint, at, status) in zip(calls, plans, strict=True)
            if complaint is not None
        ]
        ComplaintEvent.objects.bulk_create(events, batch_size=1000)
    return len(calls)

