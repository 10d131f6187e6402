"""``kesu demo``: a year of complaints that look real, and one login per role.

Every complaint is built in memory and walked through the pure steps of
``complaints/lifecycle.py`` (created, assign, start, pend, resume, transfer, resolve, close, reopen,
merge, note) with increasing timestamps; the events those steps return are exactly the ones the
actions write. Complaints, customers, identities and events are then inserted in bulk, a chunk of a
few thousand complaints per transaction, so 200,000 complaints fit in memory.

What comes out (seed mixes from docs/architecture.md, "What the product promises"):

* categories service attitude 42% / product consultation 28% / handling efficiency 19% /
  solution-compensation 11%; channels phone 36% / chat 31% / email 23% / social 10%;
* arrivals over the 365 days before ``now`` (see ``arrivals.py``);
* customers with zh-CN names, mobile numbers, some e-mail addresses and social handles, ~5% VIP,
  a region; about one complaint in six comes from a customer who complained before, many about
  the same thing;
* older complaints closed (a few resolved and awaiting the follow-up, a few stuck), the last few
  days spread over new / assigned / in progress / pending customer; ~12% transferred to a
  second-line group, ~5% reopened, ~1% duplicates merged into the complaint they repeat.

Deterministic for a given seed, ``now`` and starting database.
"""

from __future__ import annotations

import hashlib
import math
import random
import sys
import time as timer
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from typing import TextIO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from kesu.complaints import lifecycle
from kesu.complaints.models import (
    Category,
    Channel,
    Complaint,
    ComplaintEvent,
    EventKind,
    Priority,
    Severity,
    Status,
)
from kesu.complaints.numbering import number_format, number_year, numbers_reserve
from kesu.complaints.taxonomy import categories_seed
from kesu.core.actions import user_create, user_password_set
from kesu.core.models import Group, User
from kesu.core.roles import Role
from kesu.customers.models import Customer, CustomerIdentity, IdentityKind, Tier
from kesu.demo import texts
from kesu.demo.arrivals import arrivals_sample
from kesu.demo.bulk import ids_reserve, rows_insert
from kesu.demo.names import PersonName, email_address, mobile_number, person_name, social_handle
from kesu.demo.organisation import FIRST_LINE_GROUPS, SECOND_LINE_GROUPS, SUPERVISOR, organisation_ensure
from kesu.demo.places import region_pick
from kesu.sla.actions import sla_backfill
from kesu.triage import steps as triage_steps
from kesu.triage.context import triage_context, triage_settings
from kesu.triage.engine import EarlierComplaint, TriageInput, triage_run
from kesu.triage.models import RepeatLink

DEMO_PASSWORD = "kesu-demo-login"
"""The password of every demo login (printed by ``kesu demo``); ``demo_users_ensure`` resets it."""

# role → (username, display name, groups of its handler profile)
DEMO_USERS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    Role.DECISION: ("decision", "韩总（决策层）", ()),
    Role.MANAGER: ("manager", "周主管", ("front-desk", "vip-desk")),
    Role.HANDLER: ("handler", "林晓", ("front-desk",)),
    Role.SPECIALIST: ("specialist", "郑工", ("tech-support",)),
    Role.ANALYST: ("analyst", "许分析", ()),
    Role.ADMIN: ("admin", "系统管理员", ()),
}

CATEGORY_MIX: tuple[tuple[str, float], ...] = (
    ("service-attitude", 42),
    ("product-consultation", 28),
    ("handling-efficiency", 19),
    ("solution-compensation", 11),
)
CHANNEL_MIX: tuple[tuple[str, float], ...] = (
    (Channel.PHONE, 36),
    (Channel.CHAT, 31),
    (Channel.EMAIL, 23),
    (Channel.SOCIAL, 10),
)
# category → the root causes its resolutions are tagged with (one drawn at random)
ROOT_CAUSES: dict[str, tuple[str, ...]] = {
    "product-consultation": ("misunderstanding", "process"),
    "product-quality": ("product_defect", "product_defect", "third_party"),
    "logistics-delay": ("logistics", "logistics", "third_party"),
    "logistics-damage": ("logistics", "third_party"),
    "service-attitude": ("service_attitude",),
    "handling-efficiency": ("process", "system_fault"),
    "billing-charge": ("billing_error", "system_fault", "misunderstanding"),
    "solution-compensation": ("process", "product_defect"),
}

# category → (urgent, major) probabilities
SEVERITY_ODDS: dict[str, tuple[float, float]] = {
    "service-attitude": (0.10, 0.02),
    "product-consultation": (0.03, 0.005),
    "handling-efficiency": (0.16, 0.03),
    "solution-compensation": (0.22, 0.05),
}
TRANSFER_ODDS = {
    "service-attitude": 0.05,
    "product-consultation": 0.06,
    "handling-efficiency": 0.22,
    "solution-compensation": 0.38,
}
VIP_SHARE = 0.05
SAME_ISSUE_SHARE = 0.09  # a repeat complaint about an earlier one (same product, order)
RETURNING_SHARE = 0.08  # an earlier customer with a new issue
DUPLICATE_SHARE = 0.012  # filed again while the first is open; merged into it
REOPEN_SHARE = 0.05
CHUNK = 2000
# An improvement measure whose effect is really in the year (analytics/demo.py records it, the
# verification page finds it): from ``days_before_now`` days before the end of the year, a quarter of
# the complaints of ``category`` from ``region`` no longer arise (they are drawn as ``instead``, so
# the volume and the random stream stay the same size). Decided by the complaint's number, not by
# the generator's random stream.
IMPROVEMENT_EFFECT = {
    "category": "handling-efficiency", "instead": "product-consultation", "region": "广东省",
    "days_before_now": 150, "share": 0.33,
}

_CATEGORY_CODES = tuple(code for code, _ in CATEGORY_MIX)
_CATEGORY_WEIGHTS = tuple(weight for _, weight in CATEGORY_MIX)
_CHANNELS = tuple(str(channel) for channel, _ in CHANNEL_MIX)
_CHANNEL_WEIGHTS = tuple(weight for _, weight in CHANNEL_MIX)
_STATUS_AFTER: dict[str, str | None] = {
    "assign": Status.ASSIGNED,
    "start": Status.IN_PROGRESS,
    "pend": Status.PENDING_CUSTOMER,
    "resume": Status.IN_PROGRESS,
    "resolve": Status.RESOLVED,
    "close": Status.CLOSED,
    "reopen": Status.ASSIGNED,  # back to the handler who resolved it (always active in the demo)
    "transfer": Status.NEW,  # to a second-line group, not yet assigned
    "note": None,
}
MINUTE, HOUR, DAY = 60, 3600, 86400


@dataclass
class DemoSummary:
    complaints: int = 0
    customers: int = 0
    identities: int = 0
    events: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    returning: int = 0  # complaints from customers who had complained before
    transferred: int = 0
    reopened: int = 0
    merged: int = 0
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return self.complaints / self.seconds if self.seconds else 0.0

    def __str__(self) -> str:
        statuses = ", ".join(f"{status} {self.statuses.get(status, 0):,}" for status in Status.values)
        return (
            f"{self.complaints:,} complaints ({statuses}); {self.customers:,} customers, "
            f"{self.events:,} events; {self.returning:,} from returning customers, {self.transferred:,} "
            f"transferred, {self.reopened:,} reopened, {self.merged:,} merged; "
            f"{self.seconds:.1f} s ({self.per_second:,.0f} complaints/s)"
        )


def _role_users_ensure(password: str | None) -> list[tuple[User, bool]]:
    """One user per role; returns (user, created). Existing users are kept as they are."""
    groups = {group.code: group for group in Group.objects.all()}
    rows = []
    for role in Role:
        username, display_name, group_codes = DEMO_USERS.get(role, (str(role), "", ()))
        user = User.objects.filter(username=username).first()
        created = user is None
        if user is None:
            user = user_create(
                username=username,
                role=role,
                password=password,
                display_name=display_name,
                groups=[groups[code] for code in group_codes if code in groups],
            )
        rows.append((user, created))
    return rows


def demo_users_ensure(*, password: str | None = None) -> list[tuple[str, str, str]]:
    """One login per role (``manager``, ``handler``, ``specialist``, ``analyst``, ``decision``, ``admin``).

    The password is ``kesu-demo-login`` unless given. A user that exists already is kept, but its password
    is reset to the demo password, so the printed logins always work. Returns
    ``(username, password, role)`` rows for printing.
    """
    password = password or DEMO_PASSWORD
    organisation_ensure()  # the handler and the specialist join their groups
    rows = []
    with transaction.atomic():
        for user, created in _role_users_ensure(password):
            if not created:
                user_password_set(user=user, password=password)
            rows.append((user.username, password, user.role))
    return rows


# ---------------------------------------------------------------------------------------------
# the plan of one complaint


@dataclass(slots=True)
class _Person:
    name: PersonName
    tier: str
    region: str
    customer: Customer | None  # while its chunk is being written
    customer_id: int | None = None
    phone: str | None = None
    email: str | None = None
    handle: str | None = None


@dataclass(slots=True)
class _Op:
    """One planned lifecycle step: the function's name, its arguments, the wait before it."""

    name: str
    params: dict
    gap: float  # seconds after the previous step
    office_hours: bool = True  # a person does it, so it happens in working hours


@dataclass(slots=True)
class _Planned:
    complaint: Complaint
    person: _Person
    ops: list[_Op]
    times: list[datetime] = field(default_factory=list)
    primary: _Planned | None = None  # set on a duplicate
    returning: bool = False


@dataclass(slots=True)
class _Issue:
    """What a later repeat complaint refers back to."""

    at: datetime
    person: _Person
    category: str
    product: texts.Product
    order_number: str


class _Generator:
    def __init__(self, *, complaints: int, seed: int, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("now must be an aware datetime")
        self.count = complaints
        self.rng = random.Random(seed)
        self.chase_rng = random.Random(f"chase-{seed}")  # its own stream: the rest of the demo stays the same
        self.now = now.astimezone(UTC)
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.summary = DemoSummary()
        self.statuses: Counter[str] = Counter()
        self.people: list[_Person] = []
        self.issues: deque[_Issue] = deque()
        self.tail = max(80, complaints // 50)

    # -- setup -------------------------------------------------------------------------------

    def prepare(self) -> None:
        organisation_ensure()
        _role_users_ensure(None)
        categories_seed(Category)
        self.categories = {c.code: c for c in Category.objects.filter(code__in=_CATEGORY_CODES)}
        self.groups = {
            g.code: g for g in Group.objects.filter(code__in=FIRST_LINE_GROUPS + SECOND_LINE_GROUPS)
        }
        self.members: dict[str, list[User]] = {}
        for code, group in self.groups.items():
            members = list(
                User.objects.filter(
                    handler_profile__groups=group, is_active=True, role__in=[Role.HANDLER, Role.SPECIALIST]
                ).order_by("username")
            )
            if not members:
                raise RuntimeError(f"group {code} has no active handler; run organisation_ensure()")
            self.members[code] = members
        self.supervisors = list(
            User.objects.filter(
                username__in=[SUPERVISOR, DEMO_USERS[Role.MANAGER][0]], is_active=True
            ).order_by("username")
        )
        # triage: the same pure engine and step as complaint intake
        self.triage = triage_context()
        self.repeat_window = timedelta(days=triage_settings().repeat_window_days)
        self.history: dict[int, list[EarlierComplaint]] = {}  # id(person) -> their complaints, oldest first
        self.links: list[RepeatLink] = []
        taken = CustomerIdentity.objects.values_list("kind", "value")
        self.taken: dict[str, set[str]] = {kind: set() for kind in IdentityKind.values}
        for kind, value in taken.iterator(chunk_size=10_000):
            self.taken.setdefault(kind, set()).add(value)

    # -- people ------------------------------------------------------------------------------

    def _person_new(self, at: datetime, new_customers: list[Customer]) -> _Person:
        rng = self.rng
        name = person_name(rng)
        tier = Tier.VIP if rng.random() < VIP_SHARE else Tier.REGULAR
        region = region_pick(rng)
        customer = Customer(name=name.full, tier=tier, region=region, created_at=at)
        new_customers.append(customer)
        person = _Person(name=name, tier=tier, region=region, customer=customer)
        self.people.append(person)
        return person

    def _handles(self, person: _Person, channel: str, identities: list[CustomerIdentity]) -> None:
        """Give ``person`` the handles this channel needs; a first contact often leaves a phone too."""
        rng = self.rng
        fresh = person.phone is None and person.email is None and person.handle is None
        phone_odds = {Channel.PHONE: 1.0, Channel.CHAT: 1.0, Channel.EMAIL: 0.6, Channel.SOCIAL: 0.45}
        new: list[tuple[str, str]] = []
        if person.phone is None and (
            channel == Channel.PHONE or (fresh and rng.random() < phone_odds[channel])
        ):
            person.phone = mobile_number(rng, self.taken[IdentityKind.PHONE])
            new.append((IdentityKind.PHONE, person.phone))
        if person.email is None and (channel == Channel.EMAIL or (fresh and rng.random() < 0.15)):
            person.email = email_address(rng, person.name, self.taken[IdentityKind.EMAIL])
            new.append((IdentityKind.EMAIL, person.email))
        if person.handle is None and channel == Channel.SOCIAL:
            person.handle = social_handle(rng, self.taken[IdentityKind.EXTERNAL])
            new.append((IdentityKind.EXTERNAL, person.handle))
        for kind, value in new:
            if person.customer is not None:
                identities.append(CustomerIdentity(customer=person.customer, kind=kind, value=value))
            else:
                identities.append(CustomerIdentity(customer_id=person.customer_id, kind=kind, value=value))

    # -- timing ------------------------------------------------------------------------------

    def _gap(self, median: float, spread: float = 0.9) -> float:
        return self.rng.lognormvariate(math.log(median), spread)

    def _office(self, moment: datetime) -> datetime:
        """``moment``, or the next morning if it falls outside 08:00–21:00 local time."""
        local = moment.astimezone(self.zone)
        if 8 <= local.hour < 21:
            return moment
        day = local.date() if local.hour < 8 else local.date() + timedelta(days=1)
        start = clock_time(8, self.rng.randrange(45), self.rng.randrange(60))
        return datetime.combine(day, start, tzinfo=self.zone).astimezone(UTC)

    def _place(self, created: datetime, ops: list[_Op]) -> list[datetime]:
        """Timestamps for ``ops``: the planned waits, people in office hours, never after ``now``."""
        times, moment = [], created
        for op in ops:
            moment = moment + timedelta(seconds=int(op.gap))
            if op.office_hours:
                moment = self._office(moment)
            times.append(moment)
        if not times or times[-1] <= self.now:
            return times
        # it would run past now: squeeze the same waits into the time there was
        available = (self.now - created).total_seconds() * 0.9
        total = sum(op.gap for op in ops) or 1.0
        scale = min(1.0, available / total)
        times, elapsed = [], 0.0
        for op in ops:
            elapsed += op.gap * scale
            times.append(created + timedelta(seconds=int(elapsed)))
        return times

    # -- the target status -------------------------------------------------------------------

    def _target(self, rank_from_newest: int, created: datetime) -> str:
        rng = self.rng
        if rank_from_newest < self.tail:
            r = rank_from_newest / self.tail
            weights = (
                4.0 * math.exp(-r / 0.15),  # new
                1.5 * math.exp(-r / 0.3),  # assigned
                2.0,  # in progress
                0.9,  # pending customer
                0.2 + 1.2 * r,  # resolved
                3.0 * r * r,  # closed
            )
            return rng.choices(
                (
                    Status.NEW,
                    Status.ASSIGNED,
                    Status.IN_PROGRESS,
                    Status.PENDING_CUSTOMER,
                    Status.RESOLVED,
                    Status.CLOSED,
                ),
                weights=weights,
            )[0]
        age = (self.now - created).total_seconds() / DAY
        draw = rng.random()
        stuck = 0.10 * math.exp(-age / 12)
        if draw < stuck:
            return rng.choices(
                (Status.ASSIGNED, Status.IN_PROGRESS, Status.PENDING_CUSTOMER), weights=(1, 5, 4)
            )[0]
        if draw < stuck + 0.08 * math.exp(-age / 6) + 0.004:
            return Status.RESOLVED
        return Status.CLOSED

    # -- the path ----------------------------------------------------------------------------

    def _path(
        self,
        *,
        category: str,
        channel: str,
        severity: str,
        group: str,
        text: texts.ComplaintText,
        taken_by: User | None,
        force_pend: bool,
    ) -> list[_Op]:
        """The whole life of a complaint that runs to closure (the caller cuts it where it stands now)."""
        rng = self.rng
        speed = {Severity.GENERAL: 1.0, Severity.URGENT: 0.45, Severity.MAJOR: 0.2}[severity]
        handler = taken_by or rng.choice(self.members[group])
        ops: list[_Op] = []
        if taken_by is not None:  # taken on the phone or in the chat: the handler keeps it
            ops.append(_Op("assign", {"assignee": handler, "by": handler}, self._gap(90, 0.6)))
        else:
            by = rng.choice(self.supervisors) if rng.random() < 0.3 and self.supervisors else None
            ops.append(_Op("assign", {"assignee": handler, "by": by}, self._gap(50 * MINUTE * speed, 1.0)))
        first_contact = (
            taken_by is not None
            and not force_pend
            and rng.random() < (0.55 if category == "product-consultation" else 0.15)
        )
        if first_contact:  # resolved during the call
            ops.append(_Op("start", {"by": handler}, self._gap(40, 0.5)))
            ops.append(
                _Op(
                    "resolve",
                    {"by": handler, "resolution": self._resolution(text)},
                    self._gap(6 * MINUTE, 0.5),
                )
            )
        else:
            ops.append(_Op("start", {"by": handler}, self._gap(25 * MINUTE * speed, 1.0)))
            if rng.random() < 0.35:
                ops.append(
                    _Op(
                        "note",
                        {"by": handler, "text": texts.fill(rng, texts.NOTES, text.slots)},
                        self._gap(2 * HOUR, 1.0),
                    )
                )
            self._pends(ops, handler, force=force_pend)
            transfer = rng.random() < TRANSFER_ODDS[category]
            if transfer:
                to = texts.SECOND_LINE[text.product.kind]
                if category == "solution-compensation" and rng.random() < 0.7:
                    to = texts.FINANCE
                ops.append(
                    _Op(
                        "transfer",
                        {
                            "to_group": self.groups[to],
                            "by": handler,
                            "reason": rng.choice(texts.TRANSFER_REASONS[to]),
                        },
                        self._gap(5 * HOUR * speed, 1.0),
                    )
                )
                handler = rng.choice(self.members[to])
                ops.append(_Op("assign", {"assignee": handler, "by": None}, self._gap(2 * HOUR * speed, 1.0)))
                ops.append(_Op("start", {"by": handler}, self._gap(3 * HOUR * speed, 1.0)))
                self._pends(ops, handler, force=False)
            median = (
                {
                    "product-consultation": 4 * HOUR,
                    "service-attitude": 10 * HOUR,
                    "handling-efficiency": 22 * HOUR,
                    "solution-compensation": 40 * HOUR,
                }[category]
                * (1.6 if transfer else 1.0)
                * speed
            )
            ops.append(
                _Op("resolve", {"by": handler, "resolution": self._resolution(text),
                                "root_cause": self._root_cause(category)}, self._gap(median, 1.0))
            )
        self._close(ops, handler)
        reopens = 1 if rng.random() < REOPEN_SHARE else 0
        reopens += 1 if reopens and rng.random() < 0.1 else 0
        for _ in range(reopens):
            by = None if rng.random() < 0.5 else rng.choice(self.members[group])
            ops.append(
                _Op(
                    "reopen",
                    {"by": by, "reason": rng.choice(texts.REOPEN_REASONS)},
                    self._gap(3 * DAY, 0.8),
                    by is not None,
                )
            )
            ops.append(_Op("start", {"by": handler}, self._gap(2 * HOUR, 1.0)))
            ops.append(
                _Op(
                    "resolve",
                    {"by": handler, "resolution": self._resolution(text), "root_cause": self._root_cause(category)},
                    self._gap(20 * HOUR, 1.0),
                )
            )
            self._close(ops, handler)
        return ops

    def _pends(self, ops: list[_Op], handler: User, *, force: bool) -> None:
        rng = self.rng
        cycles = 1 if force or rng.random() < 0.24 else 0
        cycles += 1 if cycles and rng.random() < 0.2 else 0
        for _ in range(cycles):
            ops.append(
                _Op(
                    "pend",
                    {"by": handler, "reason": rng.choice(texts.PEND_REASONS)},
                    self._gap(3 * HOUR, 1.0),
                )
            )
            ops.append(
                _Op(
                    "resume",
                    {"by": handler, "note": rng.choice(texts.RESUME_NOTES)},
                    self._gap(30 * HOUR, 0.9),
                    False,
                )
            )

    def _close(self, ops: list[_Op], handler: User) -> None:
        rng = self.rng
        if rng.random() < 0.45:  # no answer to the follow-up: closed automatically after three days
            ops.append(
                _Op(
                    "close",
                    {"by": None, "note": rng.choice(texts.AUTO_CLOSE_NOTES)},
                    3 * DAY + rng.randrange(3600),
                    False,
                )
            )
        else:  # the follow-up call (回访)
            ops.append(
                _Op(
                    "close", {"by": handler, "note": rng.choice(texts.CLOSE_NOTES)}, self._gap(30 * HOUR, 0.7)
                )
            )

    def _resolution(self, text: texts.ComplaintText) -> str:
        return texts.fill(self.rng, text.resolutions, text.slots)

    def _root_cause(self, category: str) -> str:
        return self.rng.choice(ROOT_CAUSES.get(category, ("other",)))

    def _cut(self, ops: list[_Op], target: str) -> list[_Op]:
        """The first steps of ``ops`` after which the complaint stands in ``target``."""
        status, stands = Status.NEW, [0] if target == Status.NEW else []
        for done, op in enumerate(ops, start=1):
            status = _STATUS_AFTER[op.name] or status
            if status == target:
                stands.append(done)
        if not stands:
            return ops
        if target in (Status.RESOLVED, Status.CLOSED):
            return ops[: stands[-1]]
        return ops[: self.rng.choice(stands)]

    # -- one complaint -----------------------------------------------------------------------

    def _after_improvement(self, category: str, region: str, created: datetime, number: str) -> str:
        effect = IMPROVEMENT_EFFECT
        if (category != effect["category"] or not region.startswith(effect["region"])
                or created < self.now - timedelta(days=effect["days_before_now"])):
            return category
        draw = int(hashlib.sha256(number.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
        return effect["instead"] if draw < effect["share"] else category

    def _plan(
        self,
        *,
        created: datetime,
        number: str,
        rank_from_newest: int,
        recent: list[_Planned],
        new_customers: list[Customer],
        identities: list[CustomerIdentity],
    ) -> _Planned:
        rng = self.rng
        local = created.astimezone(self.zone)
        while self.issues and self.issues[0].at < created - timedelta(days=30):
            self.issues.popleft()
        channel = rng.choices(_CHANNELS, weights=_CHANNEL_WEIGHTS)[0]

        primary = None
        if recent and rng.random() < DUPLICATE_SHARE:
            since = created - timedelta(hours=72)
            candidates = [p for p in recent if p.primary is None and p.complaint.created_at >= since]
            primary = rng.choice(candidates) if candidates else None
        if primary is not None:
            return self._duplicate(
                primary, created=created, number=number, channel=channel, identities=identities
            )

        draw, repeat_of, returning = rng.random(), None, False
        if draw < SAME_ISSUE_SHARE and self.issues:
            repeat_of = rng.choice(self.issues)
            person, returning = repeat_of.person, True
            category = repeat_of.category
        else:
            if draw < SAME_ISSUE_SHARE + RETURNING_SHARE and self.people:
                person, returning = rng.choice(self.people), True
            else:
                person = self._person_new(created, new_customers)
            category = rng.choices(_CATEGORY_CODES, weights=_CATEGORY_WEIGHTS)[0]
            category = self._after_improvement(category, person.region, created, number)
        self._handles(person, channel, identities)

        urgent, major = SEVERITY_ODDS[category]
        roll = rng.random()
        severity = (
            Severity.MAJOR if roll < major else Severity.URGENT if roll < major + urgent else Severity.GENERAL
        )
        vip = person.tier == Tier.VIP
        if severity == Severity.MAJOR or (severity == Severity.URGENT and vip):
            priority = Priority.P1
        elif severity == Severity.URGENT or vip:
            priority = Priority.P2
        elif category == "product-consultation":
            priority = Priority.P4
        else:
            priority = Priority.P3

        text = texts.complaint_text(
            rng,
            category=category,
            channel=channel,
            severity=severity,
            local=local,
            polite=person.name.polite,
            full_name=person.name.full,
            repeat_of=(repeat_of.product, repeat_of.order_number) if repeat_of else None,
        )
        product = text.product
        amount = text.amount
        if amount is not None and category != "solution-compensation":
            keep = 0.8 if category == "handling-efficiency" else 0.25
            amount = amount if rng.random() < keep else None
        batch = ""
        if product.kind == texts.DEVICE and rng.random() < 0.6:
            made = local - timedelta(days=rng.randrange(30, 240))
            batch = f"B{made:%y%m}-{rng.randrange(1, 13):02d}"

        group = "vip-desk" if vip else "front-desk"
        taken_by = rng.choice(self.members[group]) if channel in (Channel.PHONE, Channel.CHAT) else None
        complaint = Complaint(
            number=number,
            channel=channel,
            subject=text.subject[:200],
            content=text.content,
            category=self.categories[category],
            severity=severity,
            priority=priority,
            region=person.region,
            product=product.name,
            batch=batch,
            order_number=text.order_number,
            amount_claimed=amount,
            group=self.groups[group],
            created_by=taken_by,
            created_at=created,
            updated_at=created,
        )
        self._customer_set(complaint, person)
        target = self._target(rank_from_newest, created)
        ops = self._path(
            category=category,
            channel=channel,
            severity=severity,
            group=group,
            text=text,
            taken_by=taken_by,
            force_pend=target == Status.PENDING_CUSTOMER,
        )
        ops = self._cut(ops, target)
        planned = _Planned(
            complaint=complaint, person=person, ops=ops, times=self._place(created, ops), returning=returning
        )
        self.issues.append(_Issue(created, person, category, product, text.order_number))
        return planned

    def _duplicate(
        self,
        primary: _Planned,
        *,
        created: datetime,
        number: str,
        channel: str,
        identities: list[CustomerIdentity],
    ) -> _Planned:
        """The customer files again while ``primary`` is being handled; a supervisor merges it."""
        rng = self.rng
        first = primary.complaint
        person = primary.person
        self._handles(person, channel, identities)
        product = next((p for p in texts.PRODUCTS if p.name == first.product), texts.PRODUCTS[0])
        subject, content = texts.duplicate_text(
            rng,
            product=product,
            order_number=first.order_number,
            subject=first.subject,
            first_channel=first.channel,
            channel=channel,
            polite=person.name.polite,
            full_name=person.name.full,
            local=created.astimezone(self.zone),
        )
        group = first.group.code if first.group.code in FIRST_LINE_GROUPS else "front-desk"
        taken_by = rng.choice(self.members[group]) if channel in (Channel.PHONE, Channel.CHAT) else None
        complaint = Complaint(
            number=number,
            channel=channel,
            subject=subject[:200],
            content=content,
            category=first.category,
            severity=first.severity,
            priority=first.priority,
            region=first.region,
            product=first.product,
            batch=first.batch,
            order_number=first.order_number,
            group=self.groups[group],
            created_by=taken_by,
            created_at=created,
            updated_at=created,
        )
        self._customer_set(complaint, person)
        ops: list[_Op] = []
        if taken_by is not None or rng.random() < 0.3:
            handler = taken_by or rng.choice(self.members[group])
            ops.append(_Op("assign", {"assignee": handler, "by": taken_by}, self._gap(20 * MINUTE, 1.0)))
        merger = rng.choice(self.supervisors) if self.supervisors else None
        reason = rng.choice(texts.MERGE_REASONS).format(number=first.number)
        ops.append(_Op("merge", {"by": merger, "reason": reason}, self._gap(90 * MINUTE, 1.0)))
        return _Planned(
            complaint=complaint,
            person=person,
            ops=ops,
            times=self._place(created, ops),
            primary=primary,
            returning=True,
        )

    @staticmethod
    def _customer_set(complaint: Complaint, person: _Person) -> None:
        if person.customer is not None:  # new in this chunk: its id comes with the bulk insert
            complaint.customer = person.customer
        else:
            complaint.customer_id = person.customer_id

    # -- a chunk -----------------------------------------------------------------------------

    def _walk(self, chunk: list[_Planned]) -> list[ComplaintEvent]:
        """Apply every planned step, in time order across the chunk; return the events."""
        steps: list[tuple[datetime, int, _Planned, _Op | None]] = []
        order = 0
        for planned in chunk:
            steps.append((planned.complaint.created_at, order, planned, None))
            order += 1
            for moment, op in zip(planned.times, planned.ops, strict=True):
                steps.append((moment, order, planned, op))
                order += 1
            for moment, text in self._chases(planned):
                steps.append((moment, order, planned, _Op("customer_message", {"text": text}, 0)))
                order += 1
        steps.sort(key=lambda step: (step[0], step[1]))
        events: list[ComplaintEvent] = []
        for moment, _, planned, op in steps:
            complaint = planned.complaint
            if op is None:
                events.append(lifecycle.created(complaint, by=complaint.created_by, now=moment))
                events.append(self._triaged(planned, moment))
            elif op.name == "customer_message":
                events.append(ComplaintEvent(complaint=complaint, kind=EventKind.CUSTOMER_MESSAGE, actor=None,
                                             at=moment, from_status=complaint.status, to_status=complaint.status,
                                             data={"channel": complaint.channel, "text": op.params["text"]}))
                complaint.updated_at = max(complaint.updated_at, moment)
            elif op.name == "merge":
                assert planned.primary is not None
                events.extend(lifecycle.merge(complaint, planned.primary.complaint, now=moment, **op.params))
            else:
                step: Callable[..., ComplaintEvent] = getattr(lifecycle, op.name)
                events.append(step(complaint, now=moment, **op.params))
        return events

    def _chases(self, planned: _Planned) -> list[tuple[datetime, str]]:
        """The customer's chasing messages while the complaint is unresolved: a complaint that is going
        badly (its resolution is far off) shows it early, the customer writes sooner, more often and
        angrier, up to threats of going to the regulator (the precursors the escalation early warning
        learns from). Drawn from their own random stream."""
        if planned.primary is not None:
            return []
        rng = self.chase_rng
        created = planned.complaint.created_at
        resolved = [t for t, op in zip(planned.times, planned.ops, strict=True) if op.name == "resolve"]
        end = min(resolved[0] if resolved else self.now, self.now)
        hours = (end - created).total_seconds() / HOUR
        if hours < 2:
            return []
        slow = min(1.0, hours / 72)  # 0: settled within hours … 1: three days or more
        patience = rng.lognormvariate(math.log(14 * HOUR), 0.6) * (1.0 - 0.7 * slow)
        hot = rng.random() < 0.15 + 0.35 * slow  # who threatens the regulator once angry enough
        top = len(texts.CHASES) - (1 if hot else 2)
        out: list[tuple[datetime, str]] = []
        moment = created + timedelta(seconds=patience)
        while moment < end and len(out) < 6:
            level = min(len(out) + (1 if slow > 0.6 else 0) + (1 if hot else 0), top)  # the hot ones show it
            out.append((moment, rng.choice(texts.CHASES[level])))
            moment += timedelta(seconds=rng.lognormvariate(math.log(16 * HOUR), 0.5) * (1.0 - 0.5 * slow))
        return out

    def _sla(self, chunk: list[_Planned], events: list[ComplaintEvent]) -> list[ComplaintEvent]:
        """The SLA history of each complaint (warnings, breaches, escalations at the time they fell
        due) and its stored deadlines, as the sweep would have left them."""
        timelines: dict[int, list[ComplaintEvent]] = {}
        for event in events:
            timelines.setdefault(id(event.complaint), []).append(event)
        added: list[ComplaintEvent] = []
        for planned in chunk:
            complaint = planned.complaint
            added.extend(sla_backfill(complaint, timelines[id(complaint)], tier=planned.person.tier, now=self.now))
        return added

    def _triaged(self, planned: _Planned, moment: datetime) -> ComplaintEvent:
        """Triage the complaint as intake would: the category was set by the person who recorded it
        (so it is confirmed); severity and priority are left to triage, as an intake that leaves them
        open does, so the stored values and the triage result agree; emotion, red channel, tags and
        repeats are found."""
        complaint, person = planned.complaint, planned.person
        complaint.category_confirmed = True
        history = self.history.setdefault(id(person), [])
        since = complaint.created_at - self.repeat_window
        earlier = tuple(e for e in reversed(history[-50:]) if e.created_at >= since)
        text = f"{complaint.subject}\n{complaint.content}" if complaint.subject else complaint.content
        result = triage_run(
            TriageInput(
                subject=complaint.subject, content=complaint.content, tier=person.tier,
                category_given=complaint.category.code if complaint.category else "",
                amount_claimed=complaint.amount_claimed,
                fields={"content": complaint.content, "product": complaint.product, "batch": complaint.batch,
                        "order_number": complaint.order_number, "amount_claimed": complaint.amount_claimed},
                has_contact=True, created_at=complaint.created_at, earlier=earlier,
            ),
            self.triage,
        )
        self.links.extend(
            RepeatLink(complaint=complaint, earlier_id=r["id"], similarity=r["similarity"])
            for r in result["repeat"]["earlier"]
        )
        history.append(EarlierComplaint(id=complaint.pk, number=complaint.number, text=text,
                                        created_at=complaint.created_at))
        return triage_steps.triaged(
            complaint, result, categories=self.categories, by=None, now=moment,
            open_fields=frozenset({"severity", "priority"}),
        )

    def _write(
        self, chunk: list[_Planned], customers: list[Customer], identities: list[CustomerIdentity]
    ) -> None:
        with transaction.atomic():
            for customer, pk in zip(customers, ids_reserve(Customer, len(customers)), strict=True):
                customer.pk = pk
            rows_insert(Customer, customers)
            rows_insert(CustomerIdentity, identities)
            for planned, pk in zip(chunk, ids_reserve(Complaint, len(chunk)), strict=True):
                planned.complaint.pk = pk
            events = self._walk(chunk)
            events.extend(self._sla(chunk, events))
            rows_insert(Complaint, [planned.complaint for planned in chunk])
            rows_insert(ComplaintEvent, events)
            if self.links:
                RepeatLink.objects.bulk_create(self.links, ignore_conflicts=True)
                self.links = []
        for person in self.people[len(self.people) - len(customers) :]:
            person.customer_id = person.customer.pk  # type: ignore[union-attr]
            person.customer = None
        summary = self.summary
        summary.customers += len(customers)
        summary.identities += len(identities)
        summary.events += len(events)
        for planned in chunk:
            complaint = planned.complaint
            self.statuses[complaint.status] += 1
            summary.returning += planned.returning
            summary.transferred += any(op.name == "transfer" for op in planned.ops)
            summary.reopened += complaint.reopen_count > 0
            summary.merged += complaint.merged_into_id is not None

    # -- all of it ---------------------------------------------------------------------------

    def run(self, progress: Callable[[int], None] | None) -> DemoSummary:
        started = timer.perf_counter()
        self.prepare()
        arrivals = arrivals_sample(self.rng, count=self.count, now=self.now, zone=settings.TIME_ZONE)
        years = [number_year(moment) for moment in arrivals]
        ranges: dict[int, range] = {}
        with transaction.atomic():
            for year, count in sorted(Counter(years).items()):
                ranges[year] = numbers_reserve(year=year, count=count)
        used: Counter[int] = Counter()
        for start in range(0, self.count, CHUNK):
            chunk: list[_Planned] = []
            customers: list[Customer] = []
            identities: list[CustomerIdentity] = []
            for index in range(start, min(start + CHUNK, self.count)):
                year = years[index]
                number = number_format(year, ranges[year][used[year]])
                used[year] += 1
                chunk.append(
                    self._plan(
                        created=arrivals[index],
                        number=number,
                        rank_from_newest=self.count - 1 - index,
                        recent=chunk[-60:],
                        new_customers=customers,
                        identities=identities,
                    )
                )
            self._write(chunk, customers, identities)
            self.summary.complaints += len(chunk)
            if progress is not None:
                progress(self.summary.complaints)
        self.summary.statuses = {status: self.statuses.get(status, 0) for status in Status.values}
        self.summary.seconds = timer.perf_counter() - started
        return self.summary


def demo_generate(
    *,
    complaints: int = 20000,
    seed: int = 42,
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> DemoSummary:
    """Generate ``complaints`` demo complaints over the 365 days before ``now``.

    Also makes sure the demo organisation (``organisation_ensure``) and one user per role exist
    (users it has to create get no usable password until ``demo_users_ensure`` sets one), so
    that the ``handler``, ``specialist`` and ``manager`` logins have complaints of their own.
    ``progress`` is called with the number of complaints written after each chunk; without one, a
    progress bar is drawn on the standard error when there are at least ``PROGRESS_FROM`` complaints.
    """
    if complaints < 0:
        raise ValueError("complaints must be 0 or more")
    bar = None
    if progress is None and complaints >= PROGRESS_FROM:
        bar = ProgressBar(total=complaints, stream=sys.stderr)
        progress = bar.update
    summary = _Generator(complaints=complaints, seed=seed, now=now).run(progress)
    if bar is not None:
        bar.close()
    return summary


PROGRESS_FROM = 50_000


class ProgressBar:
    """A one-line progress bar: share done, count, rate and time left (redrawn at most twice a second)."""

    def __init__(self, *, total: int, stream: TextIO, width: int = 30) -> None:
        self.total, self.stream, self.width = max(total, 1), stream, width
        self.started = timer.perf_counter()
        self.drawn_at = 0.0

    def line(self, done: int, elapsed: float) -> str:
        share = min(done / self.total, 1.0)
        filled = int(share * self.width)
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (self.total - done) / rate if rate > 0 else 0.0
        return (f"[{'#' * filled}{'.' * (self.width - filled)}] {share:6.1%} {done:,}/{self.total:,} "
                f"{rate:,.0f}/s, {_clock(elapsed)} elapsed, {_clock(left)} left")

    def update(self, done: int) -> None:
        now = timer.perf_counter()
        if done < self.total and now - self.drawn_at < 0.5:
            return
        self.drawn_at = now
        self.stream.write("\r" + self.line(done, now - self.started))
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}"
