"""`kesu import complaints FILE`: what a user importing a spreadsheet sees."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from kesu.complaints.models import Complaint, EventKind
from kesu.core.errors import FieldError, NotPermitted
from kesu.customers.models import CustomerIdentity
from kesu.pipeline.importing import complaints_import
from tests.factories import T0, domain_events, make_complaint

NOW = T0 + timedelta(days=1)


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as file:
        csv.writer(file, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def importer(manager):
    def run(path: Path, **kwargs):
        return complaints_import(path=path, by=manager, now=NOW, **kwargs)

    return run


def test_csv_with_english_headers_imports(importer, manager, tmp_path):
    # given
    path = write_csv(
        tmp_path / "complaints.csv",
        [
            ["Channel", " content ", "customer_name", "phone", "category", "Amount Claimed", "created_at"],
            [
                "phone",
                "快递三天没到",
                "张伟",
                "138 0013 8000",
                "logistics-delay",
                "199.90",
                "2026-03-02 09:30",
            ],
            ["email", "发票开错了", "李娜", "", "Disputed charge", "", ""],
        ],
    )

    # when
    report = importer(path)

    # then
    assert (report.imported, report.rejected) == (2, [])
    assert report.columns["Amount Claimed"] == "amount_claimed"
    first, second = Complaint.objects.order_by("id")
    assert (first.channel, first.content, first.category.code) == ("phone", "快递三天没到", "logistics-delay")
    assert first.amount_claimed == Decimal("199.90")
    assert first.created_at == datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai
    assert first.customer.identities.get().value == "13800138000"
    assert first.created_by == manager
    assert [(e.kind, e.at) for e in domain_events(first)] == [
        (EventKind.CREATED, first.created_at),
        (EventKind.TRIAGED, first.created_at),
    ]
    assert (second.channel, second.category.code, second.customer.name) == ("email", "billing-charge", "李娜")
    assert second.created_at == NOW


def test_chinese_headers_and_values_import(importer, tmp_path):
    path = write_csv(
        tmp_path / "投诉.csv",
        [
            [
                "投诉编号",
                "渠道",
                "投诉内容",
                "客户姓名",
                "手机号",
                "投诉类型",
                "严重程度",
                "客户等级",
                "索赔金额",
                "优先级",
            ],
            [
                "",
                "在线客服",
                "商品破损，要求赔偿",
                "王芳",
                "13900139000",
                "运输破损",
                "紧急",
                "VIP",
                "¥1,299.50",
                "p2",
            ],
            ["", "微博", "客服不回复", "赵强", "13700137000", "服务态度", "重大", "普通", "", ""],
        ],
    )

    report = importer(path)

    assert (report.imported, report.rejected) == (2, [])
    assert report.columns == {
        "投诉编号": "number",
        "渠道": "channel",
        "投诉内容": "content",
        "客户姓名": "customer_name",
        "手机号": "phone",
        "投诉类型": "category",
        "严重程度": "severity",
        "客户等级": "tier",
        "索赔金额": "amount_claimed",
        "优先级": "priority",
    }
    first, second = Complaint.objects.select_related("customer", "category").order_by("id")
    assert (first.channel, first.category.code, first.severity, first.priority) == (
        "chat",
        "logistics-damage",
        "urgent",
        "P2",
    )
    assert (first.customer.tier, first.amount_claimed) == ("vip", Decimal("1299.50"))
    assert (second.channel, second.severity, second.customer.tier) == ("social", "major", "regular")


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_gb18030_csv_from_chinese_excel_keeps_the_chinese_text(importer, tmp_path, delimiter):
    path = write_csv(
        tmp_path / "excel.csv",
        [
            ["渠道", "内容", "姓名", "电话", "地区"],
            ["电话", "空调安装师傅迟到两小时，态度恶劣；要求道歉", "欧阳娜娜", "13600136000", "广东省深圳市"],
        ],
        encoding="gb18030",
        delimiter=delimiter,
    )
    assert "空调".encode("gb18030") in path.read_bytes()

    report = importer(path)

    assert (report.imported, report.rejected) == (1, [])
    complaint = Complaint.objects.select_related("customer").get()
    assert complaint.content == "空调安装师傅迟到两小时，态度恶劣；要求道歉"
    assert (complaint.customer.name, complaint.region) == ("欧阳娜娜", "广东省深圳市")


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8-sig", ","), ("utf-16", "\t")],  # Excel's "CSV UTF-8" and "Unicode text"
)
def test_csv_with_a_byte_order_mark_imports(importer, tmp_path, encoding, delimiter):
    rows = [["channel", "content", "phone"], ["短信", "短信扣费", "13500135000"]]
    path = write_csv(tmp_path / "bom.csv", rows, encoding=encoding, delimiter=delimiter)

    report = importer(path)

    assert (report.imported, report.rejected) == (1, [])
    assert report.columns == {"channel": "channel", "content": "content", "phone": "phone"}
    assert Complaint.objects.get().content == "短信扣费"


def test_xlsx_imports_with_spreadsheet_types(importer, group, tmp_path):
    # given: phone numbers stored as numbers, an amount as a float, a date cell without zone
    path = write_xlsx(
        tmp_path / "complaints.xlsx",
        [
            ["渠道", "投诉内容", "客户", "手机", "金额", "创建时间", "处理组"],
            ["网页", "退款一直没到账", "孙丽", 13800138000, 99.5, datetime(2026, 3, 1, 20, 0), "front-desk"],  # noqa: DTZ001
            [None, None, None, None, None, None, None],
            ["短信", "验证码收不到", "周杰", 13900139000, 12, "2026/3/1 8:05", ""],
        ],
    )

    report = importer(path)

    assert (report.imported, report.rejected) == (2, [])
    first, second = Complaint.objects.select_related("group").order_by("id")
    assert (first.channel, first.amount_claimed, first.group.code) == ("web", Decimal("99.50"), "front-desk")
    assert first.customer.identities.get().value == "13800138000"
    assert first.created_at == datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    assert (second.channel, second.amount_claimed) == ("sms", Decimal("12.00"))
    assert second.created_at == datetime(2026, 3, 1, 0, 5, tzinfo=UTC)


def test_bad_rows_are_rejected_with_row_and_column_and_good_rows_kept(importer, tmp_path):
    # given
    path = write_csv(
        tmp_path / "mixed.csv",
        [
            ["渠道", "投诉内容", "客户姓名", "索赔金额"],
            ["电话", "第一条正常", "甲", ""],
            ["电话", "   ", "乙", ""],
            ["传真", "渠道不对", "丙", ""],
            ["", "", "", ""],
            ["电话", "金额为负", "丁", "-5"],
            ["电话", "最后一条正常", "戊", "10"],
        ],
    )

    # when
    report = importer(path)

    # then: the blank row 5 is skipped, not reported
    assert report.imported == 2
    assert [(r.row, r.fields) for r in report.rejected] == [
        (3, ("content",)),
        (4, ("channel",)),
        (6, ("amount_claimed",)),
    ]
    assert report.rejected[0].reason == "投诉内容 (content): 此项不能为空。"
    assert "传真" in report.rejected[1].reason and report.rejected[1].reason.startswith("渠道 (channel)")
    assert report.rejected[2].reason == "索赔金额 (amount_claimed): 金额不能为负数。"
    assert str(report.rejected[2]) == "row 6: 索赔金额 (amount_claimed): 金额不能为负数。"
    assert sorted(Complaint.objects.values_list("content", flat=True)) == ["最后一条正常", "第一条正常"]


def test_every_wrong_column_of_a_row_is_named(importer, tmp_path):
    header = [
        "channel",
        "content",
        "customer_name",
        "email",
        "phone",
        "category",
        "amount_claimed",
        "created_at",
    ]
    bad = ["fax", "", "甲", "not-an-email", "12", "no-such-category", "abc", "yesterday"]
    path = write_csv(tmp_path / "bad.csv", [[*header, "tier"], [*bad, "gold"]])

    report = importer(path)

    assert report.imported == 0
    (rejected,) = report.rejected
    assert rejected.row == 2
    assert rejected.fields == (
        "channel",
        "content",
        "email",
        "phone",
        "category",
        "amount_claimed",
        "created_at",
        "tier",
    )
    assert rejected.reason.startswith("channel: 无效的值“fax”，请从以下选项中选择：phone、chat、email")
    assert not Complaint.objects.exists()


def test_row_without_any_customer_is_rejected(importer, tmp_path):
    path = write_csv(tmp_path / "c.csv", [["channel", "content", "phone"], ["phone", "没有联系方式", ""]])

    (rejected,) = importer(path).rejected

    assert rejected.fields == ("customer",)


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        (["渠道", "客户姓名", "标题"], "content"),
        (["content", "customer_name"], "channel"),
        (["channel", "content"], "customer_name"),
    ],
)
def test_file_missing_a_required_column_is_refused_and_nothing_imported(importer, tmp_path, header, missing):
    path = write_csv(tmp_path / "no-content.csv", [header, ["电话"] * len(header)])

    with pytest.raises(FieldError) as raised:
        importer(path)

    assert raised.value.field == "file"
    assert missing in raised.value.message
    assert not Complaint.objects.exists()


def test_dry_run_reports_but_imports_nothing(importer, tmp_path):
    rows = [
        ["channel", "content", "customer_name"],
        ["phone", "正常", "甲"],
        ["phone", "", "乙"],
        ["chat", "也正常", "丙"],
    ]
    path = write_csv(tmp_path / "dry.csv", rows)

    report = importer(path, dry_run=True)

    assert report.dry_run
    assert report.imported == 2
    assert [r.row for r in report.rejected] == [3]
    assert not Complaint.objects.exists()
    assert not CustomerIdentity.objects.exists()
    # the numbers were not used up either
    assert importer(path).imported == 2
    assert sorted(Complaint.objects.values_list("number", flat=True)) == ["KS-2026-000001", "KS-2026-000002"]


def test_number_already_in_the_database_is_rejected_as_duplicate(importer, tmp_path):
    existing = make_complaint()
    path = write_csv(
        tmp_path / "dup.csv",
        [
            ["number", "channel", "content", "customer_name"],
            [existing.number, "phone", "已经导入过", "甲"],
            ["KS-2025-000777", "phone", "新的", "乙"],
            ["KS-2025-000777", "phone", "文件里重复", "丙"],
        ],
    )

    report = importer(path)

    assert report.imported == 1
    assert [(r.row, r.fields) for r in report.rejected] == [(2, ("number",)), (4, ("number",))]
    assert "（重复）" in report.rejected[0].reason
    assert "第 3 行" in report.rejected[1].reason
    assert Complaint.objects.count() == 2


def test_created_at_sets_the_number_year_and_future_times_are_refused(importer, tmp_path):
    path = write_csv(
        tmp_path / "t.csv",
        [
            ["channel", "content", "customer_name", "created_at"],
            ["phone", "去年的投诉", "甲", "2025年12月31日 23:30"],
            ["phone", "明天的投诉", "乙", (NOW + timedelta(days=1)).isoformat()],
        ],
    )

    report = importer(path)

    assert report.imported == 1
    complaint = Complaint.objects.get()
    assert complaint.number == "KS-2025-000001"
    assert complaint.created_at == datetime(2025, 12, 31, 15, 30, tzinfo=UTC)
    assert [(r.row, r.fields) for r in report.rejected] == [(3, ("created_at",))]


def test_unknown_and_export_only_columns_are_reported_as_ignored(importer, tmp_path):
    path = write_csv(
        tmp_path / "x.csv",
        [
            ["channel", "content", "customer_name", "状态", "备注", "", "content"],
            ["phone", "正文", "甲", "closed", "x", "", "另一个"],
        ],
    )

    report = importer(path)

    assert report.imported == 1
    assert report.ignored_columns == ["状态", "备注", "content"]
    assert Complaint.objects.get().content == "正文"


@pytest.mark.parametrize("name", ["empty.csv", "empty.xlsx"])
def test_empty_file_imports_nothing_without_error(importer, tmp_path, name):
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_bytes(b"")
    else:
        write_xlsx(path, [])

    report = importer(path)

    assert (report.imported, report.rejected) == (0, [])


@pytest.mark.parametrize("name", ["header.csv", "header.xlsx"])
def test_header_only_file_imports_nothing(importer, tmp_path, name):
    rows = [["channel", "content", "customer_name"]]
    path = write_csv(tmp_path / name, rows) if name.endswith(".csv") else write_xlsx(tmp_path / name, rows)

    report = importer(path)

    assert (report.imported, report.rejected) == (0, [])
    assert report.columns == {"channel": "channel", "content": "content", "customer_name": "customer_name"}


@pytest.mark.parametrize("name", ["complaints.xls", "complaints.json", "complaints"])
def test_unsupported_file_type_is_a_clear_error(importer, tmp_path, name):
    path = tmp_path / name
    path.write_text("channel,content\n")

    with pytest.raises(FieldError) as raised:
        importer(path)

    assert raised.value.field == "file"
    assert raised.value.code == "file.type"


def test_corrupt_xlsx_is_a_clear_error(importer, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip file")

    with pytest.raises(FieldError) as raised:
        importer(path)

    assert raised.value.field == "file"


def test_a_role_without_import_permission_is_refused(handler, tmp_path):
    path = write_csv(tmp_path / "c.csv", [["channel", "content", "customer_name"], ["phone", "x", "甲"]])

    with pytest.raises(NotPermitted):
        complaints_import(path=path, by=handler, now=NOW)

    assert not Complaint.objects.exists()


def test_import_without_a_user_records_the_system(db, tmp_path):
    path = write_csv(tmp_path / "c.csv", [["channel", "content", "customer_name"], ["phone", "x", "甲"]])

    report = complaints_import(path=path, by=None, now=NOW)

    assert report.imported == 1
    assert Complaint.objects.get().created_by is None
