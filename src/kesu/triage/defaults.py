"""What triage ships with before a centre edits anything: tags, the priority matrix, required fields.

All of it is seeded into editable rows by a data migration; nothing here is read at run time.
"""

from __future__ import annotations

# tag -> (words that raise it, category code it points to when no model is trained)
KEYWORDS: dict[str, tuple[tuple[str, ...], str]] = {
    "破损": (("破损", "摔坏", "碎了", "压坏", "裂了", "坏了", "damaged", "broken", "cracked"), "logistics-damage"),
    "未收货": (("未收货", "没收到", "没有收到", "未收到", "显示签收", "已签收但", "not received", "never arrived"),
             "logistics-delay"),
    "物流慢": (("物流", "快递", "配送", "送货", "迟迟", "延误", "delivery", "shipping", "courier"), "logistics-delay"),
    "扣费": (("扣费", "扣了", "多扣", "乱收费", "收费", "扣款", "charged", "overcharged", "fee"), "billing-charge"),
    "退款": (("退款", "退钱", "退费", "refund", "money back"), "solution-compensation"),
    "赔偿": (("赔偿", "补偿", "赔付", "compensation", "compensate"), "solution-compensation"),
    "断网": (("断网", "没网", "网络中断", "宽带", "上不了网", "信号差", "no internet", "outage", "no signal"),
           "product-quality"),
    "质量问题": (("质量", "故障", "不能用", "坏掉", "漏水", "漏电", "漏气", "异味", "defect", "faulty",
              "stopped working"),
             "product-quality"),
    "态度差": (("态度", "骂", "挂电话", "不耐烦", "推诿", "敷衍", "rude", "impolite", "hung up"), "service-attitude"),
    "效率低": (("没人处理", "没有回复", "一直等", "拖延", "催了", "多次反映", "no reply", "waiting for weeks"),
             "handling-efficiency"),
    "咨询": (("请问", "咨询", "怎么办理", "如何", "是否可以", "能不能", "how do i", "how can i", "question"),
           "product-consultation"),
    "隐私": (("泄露", "个人信息", "骚扰电话", "privacy", "personal data"), "policy"),
}

# (category code or "", tier or "", severity or "") -> priority; the most specific row wins
PRIORITY_MATRIX: tuple[tuple[str, str, str, str], ...] = (
    ("", "", "major", "P1"),
    ("", "vip", "urgent", "P1"),
    ("", "regular", "urgent", "P2"),
    ("", "vip", "general", "P2"),
    ("", "regular", "general", "P3"),
    ("product-consultation", "regular", "general", "P4"),
    ("product-consultation", "vip", "general", "P3"),
)

# category code -> fields a complaint of that category must carry (工单生成标准 / 校标 [S4])
REQUIRED_FIELDS: dict[str, list[str]] = {
    "product-quality": ["product", "order_number"],
    "logistics-delay": ["order_number"],
    "logistics-damage": ["order_number", "product"],
    "billing-charge": ["amount_claimed"],
    "solution-compensation": ["amount_claimed"],
}


def defaults_seed(apps) -> None:
    """Create the default rows where missing (data migration and tests)."""
    Category = apps.get_model("complaints", "Category")
    Keyword = apps.get_model("triage", "Keyword")
    PriorityRule = apps.get_model("triage", "PriorityRule")
    TriageSettings = apps.get_model("triage", "TriageSettings")
    categories = {c.code: c for c in Category.objects.all()}
    TriageSettings.objects.get_or_create(pk=1)
    for tag, (words, code) in KEYWORDS.items():
        Keyword.objects.get_or_create(tag=tag, defaults={"words": list(words), "category": categories.get(code)})
    for code, tier, severity, priority in PRIORITY_MATRIX:
        PriorityRule.objects.get_or_create(
            category=categories.get(code) if code else None, tier=tier, severity=severity,
            defaults={"priority": priority},
        )
    for code, fields in REQUIRED_FIELDS.items():
        if code in categories and not categories[code].required_fields:
            categories[code].required_fields = fields
            categories[code].save(update_fields=["required_fields"])
