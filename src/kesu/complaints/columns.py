"""The columns of a complaint file: one table shared by ``exporting.py`` and ``importing.py``.

Each column has an English name (the export header and the field an import maps it to), the
Chinese headers accepted on import, and, for coded fields, the spellings of values accepted on
import besides the stored code. Pure: no database access.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from kesu.complaints.models import Channel, Priority, Severity
from kesu.customers.models import Tier


def _values(values: list[str], aliases: dict[str, str]) -> Mapping[str, str]:
    """Accepted spellings (compared after ``value_key``) → stored value: the codes and the aliases."""
    table: dict[str, str] = {value_key(value): value for value in values}
    for alias, value in aliases.items():
        table[value_key(alias)] = value
    return MappingProxyType(table)


def value_key(text: str) -> str:
    """How a cell value is compared with the spellings above: trimmed, case-folded, single spaces."""
    return " ".join(str(text).replace("\u3000", " ").split()).casefold()


CHANNEL_VALUES = _values(
    Channel.values,
    {
        "online chat": Channel.CHAT,
        "e-mail": Channel.EMAIL,
        "web form": Channel.WEB,
        "social media": Channel.SOCIAL,
        "电话": Channel.PHONE,
        "热线": Channel.PHONE,
        "电话投诉": Channel.PHONE,
        "在线客服": Channel.CHAT,
        "在线": Channel.CHAT,
        "在线聊天": Channel.CHAT,
        "邮件": Channel.EMAIL,
        "电子邮件": Channel.EMAIL,
        "邮箱": Channel.EMAIL,
        "mail": Channel.EMAIL,
        "网页": Channel.WEB,
        "网页表单": Channel.WEB,
        "网站": Channel.WEB,
        "社交媒体": Channel.SOCIAL,
        "微博": Channel.SOCIAL,
        "微信": Channel.SOCIAL,
        "短信": Channel.SMS,
        "接口": Channel.API,
    },
)
SEVERITY_VALUES = _values(
    Severity.values, {"一般": Severity.GENERAL, "紧急": Severity.URGENT, "重大": Severity.MAJOR}
)
PRIORITY_VALUES = _values(Priority.values, {})
TIER_VALUES = _values(
    Tier.values, {"普通": Tier.REGULAR, "普通客户": Tier.REGULAR, "贵宾": Tier.VIP, "vip客户": Tier.VIP}
)


@dataclass(frozen=True)
class Column:
    name: str
    """English header written on export; the field an import maps the column to."""
    aliases: tuple[str, ...] = ()
    """Other headers accepted on import (Chinese first)."""
    exported: bool = True
    imported: bool = True
    values: Mapping[str, str] = field(default_factory=dict)
    """For coded fields: accepted spellings (see ``value_key``) → stored value."""


# In export order. Import-only and export-only columns are marked.
COLUMNS: tuple[Column, ...] = (
    Column("number", ("投诉编号", "编号", "工单号")),
    Column("created_at", ("创建时间", "投诉时间", "受理时间")),
    Column("channel", ("渠道", "投诉渠道", "来源"), values=CHANNEL_VALUES),
    Column("status", ("状态",), imported=False),
    Column("customer_name", ("客户姓名", "姓名", "客户", "客户名称")),
    Column("phone", ("电话", "手机", "手机号", "联系电话")),
    Column("email", ("邮箱", "电子邮件", "电子邮箱")),
    Column("external_id", ("外部编号", "客户编号")),
    Column("tier", ("客户等级", "等级"), values=TIER_VALUES),
    Column("subject", ("标题", "主题")),
    Column("content", ("投诉内容", "内容")),
    Column("category", ("类别", "投诉类型", "分类", "投诉分类")),
    Column("severity", ("严重程度",), values=SEVERITY_VALUES),
    Column("priority", ("优先级",), values=PRIORITY_VALUES),
    Column("region", ("地区", "区域")),
    Column("product", ("产品",)),
    Column("batch", ("批次",)),
    Column("order_number", ("订单号", "订单编号")),
    Column("amount_claimed", ("索赔金额", "金额")),
    Column("group", ("处理组", "组")),
    Column("assignee", ("处理人",), imported=False),
    Column("resolution", ("处理结果", "解决方案"), imported=False),
    Column("closed_at", ("结案时间", "关闭时间"), imported=False),
)

EXPORT_COLUMNS: tuple[Column, ...] = tuple(column for column in COLUMNS if column.exported)
BY_NAME: Mapping[str, Column] = MappingProxyType({column.name: column for column in COLUMNS})

REQUIRED = ("content", "channel")
"""Columns a file must have: without them no row could be imported."""
CUSTOMER_COLUMNS = ("customer_name", "phone", "email", "external_id")
"""A file must have at least one of these: a complaint needs a customer."""


def header_key(header: str) -> str:
    """``" Order Number "``, ``order-number`` and ``ORDER_NUMBER`` all become ``order_number``."""
    text = str(header).replace("\ufeff", "").replace("\u3000", " ").strip().casefold()
    return re.sub(r"[\s\-]+", "_", text)


_BY_HEADER: Mapping[str, Column] = MappingProxyType(
    {header_key(spelling): column for column in COLUMNS for spelling in (column.name, *column.aliases)}
)


def column_for_header(header: str) -> Column | None:
    """The column a file header names, or None when it names none."""
    return _BY_HEADER.get(header_key(header))


def column_label(name: str) -> str:
    """``"amount_claimed (索赔金额)"``: how messages name a column to a user of either language."""
    column = BY_NAME.get(name)
    return f"{name} ({column.aliases[0]})" if column and column.aliases else name


# A spreadsheet opening a CSV runs a cell that starts with one of these as a formula ("CSV
# injection"); complaint text comes from the public, so the export writes such a cell with a
# leading apostrophe and the import removes it. ``'*`` makes the pair exact for every string.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def csv_cell_escape(text: str) -> str:
    return "'" + text if _FORMULA_START.match(text) else text


def csv_cell(value: object) -> object:
    """A value as a CSV cell: a time in ISO 8601, a text escaped (``csv_cell_escape``), else as is."""
    if isinstance(value, datetime):
        return value.isoformat()
    return csv_cell_escape(value) if isinstance(value, str) else value


def csv_cell_unescape(text: str) -> str:
    return text[1:] if text.startswith("'") and _FORMULA_START.match(text) else text
