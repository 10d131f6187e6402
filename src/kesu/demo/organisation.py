"""The demo complaint centre: four departments, their groups and a dozen handlers.

客服中心 holds the first line (一线受理组 and the VIP专席); 技术部, 物流部 and 财务部 each hold a
second-line group that transferred complaints go to. Handlers are created through
``core.actions.user_create`` with an unusable password (the logins to try the demo with come from
``generator.demo_users_ensure``). Safe to call again: nothing is created twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from kesu.core.actions import department_ensure, group_ensure, responsible_set, user_create
from kesu.core.models import Department, Group, Layer, User
from kesu.core.roles import Role

# (code, name)
DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("service-centre", "客服中心"),
    ("tech", "技术部"),
    ("logistics", "物流部"),
    ("finance", "财务部"),
)
# (code, name, department code, layer)
GROUPS: tuple[tuple[str, str, str, str], ...] = (
    ("front-desk", "一线受理组", "service-centre", Layer.FIRST_LINE),
    ("vip-desk", "VIP专席", "service-centre", Layer.FIRST_LINE),
    ("tech-support", "技术支持组", "tech", Layer.SECOND_LINE),
    ("logistics-desk", "物流协调组", "logistics", Layer.SECOND_LINE),
    ("billing-review", "账务核查组", "finance", Layer.SECOND_LINE),
)
FIRST_LINE_GROUPS = ("front-desk", "vip-desk")
SECOND_LINE_GROUPS = ("tech-support", "logistics-desk", "billing-review")


@dataclass(frozen=True)
class StaffMember:
    username: str
    display_name: str
    role: str
    groups: tuple[str, ...]
    is_senior: bool = False


STAFF: tuple[StaffMember, ...] = (
    StaffMember("wang.fang", "王芳", Role.HANDLER, ("front-desk",)),
    StaffMember("li.na", "李娜", Role.HANDLER, ("front-desk",)),
    StaffMember("zhang.wei", "张伟", Role.HANDLER, ("front-desk",)),
    StaffMember("liu.yang", "刘洋", Role.HANDLER, ("front-desk",)),
    StaffMember("chen.jing", "陈静", Role.HANDLER, ("front-desk",), is_senior=True),
    StaffMember("yang.li", "杨丽", Role.HANDLER, ("vip-desk", "front-desk"), is_senior=True),
    StaffMember("zhao.min", "赵敏", Role.HANDLER, ("vip-desk",), is_senior=True),
    StaffMember("huang.lei", "黄磊", Role.SPECIALIST, ("tech-support",), is_senior=True),
    StaffMember("zhou.tao", "周涛", Role.SPECIALIST, ("tech-support",)),
    StaffMember("wu.qiang", "吴强", Role.SPECIALIST, ("logistics-desk",)),
    StaffMember("xu.ting", "徐婷", Role.SPECIALIST, ("logistics-desk",)),
    StaffMember("sun.lijuan", "孙丽娟", Role.SPECIALIST, ("billing-review",), is_senior=True),
    StaffMember("ma.chao", "马超", Role.SPECIALIST, ("billing-review",)),
    # the shift supervisor (值班长): assigns by hand and merges duplicates
    StaffMember("guo.min", "郭敏（值班长）", Role.MANAGER, ("front-desk", "vip-desk"), is_senior=True),
)
SUPERVISOR = "guo.min"
# the escalation ladder: each group's team lead (level 2); the supervisor manages every department (level 3)
LEADS = {
    "front-desk": "chen.jing",
    "vip-desk": "yang.li",
    "tech-support": "huang.lei",
    "logistics-desk": "wu.qiang",
    "billing-review": "sun.lijuan",
}


def organisation_ensure() -> dict:
    """Create what is missing of the demo organisation; return all of it.

    Returns ``{"departments": {code: Department}, "groups": {code: Group}, "users": {username: User},
    "created": {"departments": n, "groups": n, "users": n}}``.
    """
    created = {"departments": 0, "groups": 0, "users": 0}
    with transaction.atomic():
        departments: dict[str, Department] = {}
        for code, name in DEPARTMENTS:
            departments[code], made = department_ensure(code=code, name=name)
            created["departments"] += made
        groups: dict[str, Group] = {}
        for code, name, department, layer in GROUPS:
            groups[code], made = group_ensure(code=code, name=name, department=departments[department], layer=layer)
            created["groups"] += made
        users: dict[str, User] = {}
        for member in STAFF:
            user = User.objects.filter(username=member.username).first()
            if user is None:
                user = user_create(
                    username=member.username,
                    role=member.role,
                    display_name=member.display_name,
                    groups=[groups[code] for code in member.groups],
                    is_senior=member.is_senior,
                )
                created["users"] += 1
            users[member.username] = user
        for code, username in LEADS.items():
            if groups[code].lead_id is None:
                responsible_set(group=groups[code], lead=users[username], manager=users[SUPERVISOR])
    return {"departments": departments, "groups": groups, "users": users, "created": created}


# on shift when the demo starts, so new complaints are assigned at once (routing's least load)
ON_SHIFT = ("wang.fang", "li.na", "zhang.wei", "chen.jing", "yang.li", "zhao.min", "huang.lei", "zhou.tao",
            "wu.qiang", "sun.lijuan")


def demo_routing_ensure(*, now: datetime) -> None:
    """After the demo's history is written: the routing rules and group strategies, and the day
    shift online. Waiting complaints go to the handlers coming online, through the routing actions."""
    from kesu.routing.actions import handler_availability_set
    from kesu.routing.defaults import routing_defaults_ensure

    routing_defaults_ensure(now=now)
    for user in User.objects.filter(username__in=ON_SHIFT, handler_profile__availability="off_shift"):
        handler_availability_set(user=user, availability="online", by=None, now=now)
