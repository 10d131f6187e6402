"""Demo compensation matrix: the default categories × severities (general / urgent / major)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from kesu.compensation.actions import proposal_create
from kesu.compensation.models import CompensationRule, Proposal
from kesu.complaints.lifecycle import OPEN
from kesu.complaints.models import Category, Complaint

# category code → {severity: (remedies, minimum, maximum)}
MATRIX: dict[str, dict[str, tuple[list[str], str, str]]] = {
    "logistics-delay": {
        "general": (["致歉", "5 元无门槛优惠券"], "0", "20"),
        "urgent": (["退还运费", "20 元优惠券"], "10", "100"),
        "major": (["退还运费", "按订单金额 10% 补偿"], "50", "500"),
    },
    "logistics-damage": {
        "general": (["补发配件", "20 元优惠券"], "0", "50"),
        "urgent": (["换新", "退还运费"], "20", "300"),
        "major": (["全额退款", "按订单金额 20% 补偿"], "100", "2000"),
    },
    "billing-charge": {
        "general": (["退还误扣费用"], "0", "100"),
        "urgent": (["退还误扣费用", "赠送 1 个月会员"], "0", "500"),
        "major": (["退还误扣费用", "按误扣金额 1 倍补偿"], "100", "5000"),
    },
    "product-quality": {
        "general": (["免费维修", "延长保修 6 个月"], "0", "100"),
        "urgent": (["换新", "50 元优惠券"], "50", "500"),
        "major": (["退货退款", "按订单金额 30% 补偿"], "200", "5000"),
    },
    "service-attitude": {
        "general": (["组长回电致歉"], "0", "0"),
        "urgent": (["组长回电致歉", "20 元致歉礼券"], "0", "50"),
        "major": (["主管上门或回电致歉", "100 元致歉礼券"], "50", "200"),
    },
    "handling-efficiency": {
        "general": (["致歉", "10 元优惠券"], "0", "20"),
        "urgent": (["致歉", "30 元优惠券"], "10", "100"),
        "major": (["主管回电致歉", "按订单金额 10% 补偿"], "50", "1000"),
    },
    "solution-compensation": {
        "general": (["按原方案补足差额"], "0", "200"),
        "urgent": (["按原方案补足差额", "50 元优惠券"], "50", "1000"),
        "major": (["重新评估方案", "主管介入"], "200", "10000"),
    },
}
# fallbacks when no category row fits: by severity only
ANY_CATEGORY: dict[str, tuple[list[str], str, str]] = {
    "general": (["致歉"], "0", "50"),
    "urgent": (["致歉", "30 元优惠券"], "0", "200"),
    "major": (["主管介入评估"], "100", "2000"),
}


def compensation_demo_seed(now: datetime) -> int:
    """Fill the compensation matrix when it is empty; returns the number of rows written."""
    if CompensationRule.objects.exists():
        return 0
    categories = {c.code: c for c in Category.objects.filter(code__in=list(MATRIX))}
    rows = []
    position = 0
    for code, by_severity in MATRIX.items():
        category = categories.get(code)
        if category is None:
            continue
        for severity, (remedies, low, high) in by_severity.items():
            position += 10
            rows.append(CompensationRule(category=category, severity=severity, remedies=remedies,
                                         min_amount=Decimal(low), max_amount=Decimal(high), position=position))
    for severity, (remedies, low, high) in ANY_CATEGORY.items():
        position += 10
        rows.append(CompensationRule(category=None, severity=severity, remedies=remedies,
                                     min_amount=Decimal(low), max_amount=Decimal(high), position=position))
    for row in rows:
        row.full_clean()
    CompensationRule.objects.bulk_create(rows)
    return len(rows)


# (category, amount, remedy, reason) of the demo's proposals: most within a first-line handler's
# authority (approved at once), some above it (waiting in the approval queue)
PROPOSALS: tuple[tuple[str, str, str, str], ...] = (
    ("logistics-delay", "20", "20 元优惠券", "延误三天，客户多次催问"),
    ("billing-charge", "68", "退还误扣费用", "核实为系统重复扣费"),
    ("logistics-damage", "800", "换新并补偿", "外包装严重破损，客户为 VIP"),
    ("product-quality", "1200", "全额退款", "同一批次第二次出现故障"),
    ("billing-charge", "3000", "按误扣金额 1 倍补偿", "连续三个月误扣，客户已向监管部门反映"),
    ("solution-compensation", "9000", "按合同约定赔偿", "重大投诉，需经理审批"),
)


def compensation_demo_proposals(now: datetime) -> int:
    """Propose compensation on a few open demo complaints through the real action, once (nothing when
    proposals exist): some approved within the handler's authority, some waiting for approval."""
    if Proposal.objects.exists():
        return 0
    written = 0
    for code, amount, remedy, reason in PROPOSALS:
        # an open complaint of a first-line handler, of that category if there is one
        candidates = (
            Complaint.objects.filter(status__in=OPEN, assignee__role="handler", merged_into__isnull=True)
            .exclude(compensation_proposals__isnull=False).select_related("assignee", "merged_into")
            .order_by("-created_at")
        )
        complaint = candidates.filter(category__code=code).first() or candidates.first()
        if complaint is None:
            continue
        proposal_create(complaint=complaint, by=complaint.assignee, amount=amount, remedy=remedy, reason=reason,
                        now=now)
        written += 1
    return written
