"""`kesu export complaints FILE`: the file a user opens, and what importing it back gives."""

from __future__ import annotations

import codecs
import csv
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from kesu.complaints import exporting
from kesu.complaints.exporting import complaints_export
from kesu.complaints.models import Complaint, ComplaintSequence
from kesu.complaints.selectors import ComplaintFilters
from kesu.core.errors import FieldError
from kesu.customers.actions import CustomerHandles
from kesu.customers.models import Customer
from kesu.pipeline.importing import complaints_import
from kesu.pipeline.transitions import complaint_assign, complaint_resolve, complaint_start
from tests.factories import T0, make_complaint

HEADER = [
    "number",
    "created_at",
    "channel",
    "status",
    "customer_name",
    "phone",
    "email",
    "external_id",
    "tier",
    "subject",
    "content",
    "category",
    "severity",
    "priority",
    "region",
    "product",
    "batch",
    "order_number",
    "amount_claimed",
    "group",
    "assignee",
    "resolution",
    "closed_at",
]


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def read_xlsx(path: Path) -> list[list[object]]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    sheet = workbook.worksheets[0]
    rows = [list(row) + [None] * (len(HEADER) - len(row)) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def snapshot() -> list[tuple]:
    """What a user compares after a round trip: text, channel, category, customer, amount …"""
    return sorted(
        (
            c.number,
            c.created_at,
            c.channel,
            c.content,
            c.subject,
            c.category.code if c.category else "",
            c.customer.name,
            c.customer.tier,
            tuple(sorted(c.customer.identities.values_list("kind", "value"))),
            c.amount_claimed,
            c.severity,
            c.priority,
            c.region,
            c.product,
            c.batch,
            c.order_number,
            c.group.code if c.group else "",
        )
        for c in Complaint.objects.select_related("customer", "category", "group")
    )


def database_empty() -> None:
    """As after a fresh install: no complaints, no customers, numbering from 1."""
    Complaint.objects.all().delete()
    Customer.objects.all().delete()
    ComplaintSequence.objects.all().delete()


@pytest.fixture
def complaints(group, handler):
    """A week of complaints, oldest first, in the shapes an intake produces."""
    made = [
        make_complaint(now=T0),
        make_complaint(
            now=T0 + timedelta(hours=1),
            channel="email",
            content='发票抬头错了，"请重开"，谢谢！\n第二行\r\n第三行',
            subject="发票问题",
            category="billing-charge",
            amount_claimed="1999.90",
            customer=CustomerHandles(name="李娜", email="Li.Na@Example.com", tier="vip"),
            severity="urgent",
            priority="P1",
            region="上海",
            product="会员年卡",
            batch="B-2026-03",
            order_number="000123",
            group="front-desk",
        ),
        make_complaint(
            now=T0 + timedelta(days=1),
            channel="social",
            content='=HYPERLINK("http://evil.example","点我")',
            customer=CustomerHandles(name="王芳", phone="13900139000", external_id="wx-openid-1"),
            amount_claimed="0.05",
        ),
    ]
    done = made[0]
    complaint_assign(complaint=done, assignee=handler, by=handler, now=T0 + timedelta(minutes=5))
    complaint_start(complaint=done, by=handler, now=T0 + timedelta(minutes=6))
    complaint_resolve(complaint=done, by=handler, now=T0 + timedelta(minutes=30), resolution="已补发，致歉")
    return made


def test_csv_export_is_excel_friendly_utf8_with_bom_and_the_agreed_columns(complaints, tmp_path):
    path = tmp_path / "complaints.csv"

    written = complaints_export(path=path)

    assert written == 3
    assert path.read_bytes().startswith(codecs.BOM_UTF8)
    header, *rows = read_csv(path)
    assert header == HEADER
    first = dict(zip(header, rows[0], strict=True))  # oldest first
    assert first["number"] == "KS-2026-000001"
    assert first["created_at"] == "2026-03-02T09:00:00+08:00"
    assert (first["status"], first["assignee"], first["resolution"]) == (
        "resolved",
        "handler1",
        "已补发，致歉",
    )
    assert (first["phone"], first["customer_name"], first["tier"]) == ("13800138000", "张伟", "regular")
    second = dict(zip(header, rows[1], strict=True))
    assert (second["amount_claimed"], second["category"], second["group"]) == (
        "1999.90",
        "billing-charge",
        "front-desk",
    )
    assert (second["email"], second["order_number"]) == ("li.na@example.com", "000123")
    assert second["content"] == '发票抬头错了，"请重开"，谢谢！\n第二行\r\n第三行'


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_protected(complaints, tmp_path):
    path = tmp_path / "complaints.csv"

    complaints_export(path=path)

    third = dict(zip(HEADER, read_csv(path)[3], strict=True))
    assert third["content"] == '\'=HYPERLINK("http://evil.example","点我")'


def test_csv_export_imported_into_an_empty_database_gives_the_same_complaints(complaints, manager, tmp_path):
    # given
    before = snapshot()
    path = tmp_path / "complaints.csv"
    complaints_export(path=path)
    database_empty()

    # when
    report = complaints_import(path=path, by=manager, now=T0 + timedelta(days=7))

    # then: same numbers too, because the export is oldest first
    assert (report.imported, report.rejected) == (3, [])
    assert sorted(report.ignored_columns) == ["assignee", "closed_at", "resolution", "status"]
    assert snapshot() == before


def test_xlsx_export_imported_into_an_empty_database_gives_the_same_complaints(complaints, manager, tmp_path):
    before = [
        row if row[3] != complaints[1].content else (*row[:3], row[3].replace("\r\n", "\n"), *row[4:])
        for row in snapshot()
    ]  # a worksheet keeps line ends as LF
    path = tmp_path / "complaints.xlsx"
    complaints_export(path=path)
    database_empty()

    report = complaints_import(path=path, by=manager, now=T0 + timedelta(days=7))

    assert (report.imported, report.rejected) == (3, [])
    assert snapshot() == before


def test_importing_an_export_into_the_same_database_duplicates_nothing(complaints, manager, tmp_path):
    path = tmp_path / "complaints.csv"
    complaints_export(path=path)

    report = complaints_import(path=path, by=manager, now=T0 + timedelta(days=7))

    assert report.imported == 0
    assert [(r.row, r.fields) for r in report.rejected] == [
        (2, ("number",)),
        (3, ("number",)),
        (4, ("number",)),
    ]
    assert Complaint.objects.count() == 3


def test_xlsx_export_opens_in_openpyxl_with_the_header_and_text_cells(complaints, tmp_path):
    path = tmp_path / "complaints.xlsx"

    written = complaints_export(path=path)

    assert written == 3
    header, *rows = read_xlsx(path)
    assert header == HEADER
    assert len(rows) == 3
    second = dict(zip(header, rows[1], strict=True))
    assert (second["amount_claimed"], second["created_at"]) == ("1999.90", "2026-03-02T10:00:00+08:00")
    assert second["order_number"] == "000123"  # text: the leading zeros stay
    assert second["assignee"] is None
    workbook = openpyxl.load_workbook(path)
    formula_like = workbook.active.cell(row=4, column=HEADER.index("content") + 1)
    assert (formula_like.value, formula_like.data_type) == ('=HYPERLINK("http://evil.example","点我")', "s")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_long_content_with_emoji_round_trips_exactly(db, manager, tmp_path, suffix):
    # given: 20,000 characters, with emoji outside the BMP, CJK, quotes, commas and line breaks
    content = ('客户投诉😡🙏，"退款"\n' * 2000)[:20_000]
    assert len(content) == 20_000
    make_complaint(content=content)
    path = tmp_path / f"long{suffix}"
    complaints_export(path=path)
    database_empty()

    # when
    report = complaints_import(path=path, by=manager, now=T0 + timedelta(days=1))

    # then
    assert report.imported == 1
    assert Complaint.objects.get().content == content


def test_xlsx_drops_characters_a_worksheet_cannot_hold_instead_of_failing(db, tmp_path):
    make_complaint(content="短信内容\x07带响铃\x1b字符")
    path = tmp_path / "control.xlsx"

    assert complaints_export(path=path) == 1

    assert read_xlsx(path)[1][HEADER.index("content")] == "短信内容带响铃字符"


def test_xlsx_cuts_a_cell_longer_than_excel_holds_and_says_so(db, tmp_path):
    make_complaint(content="长" * 40_000)
    path = tmp_path / "huge.xlsx"

    complaints_export(path=path)

    cell = read_xlsx(path)[1][HEADER.index("content")]
    assert len(cell) == 32_767
    assert cell.endswith("export to .csv for the whole text]")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_of_no_complaints_writes_only_the_header(db, tmp_path, suffix):
    path = tmp_path / f"none{suffix}"

    assert complaints_export(path=path) == 0

    rows = read_csv(path) if suffix == ".csv" else read_xlsx(path)
    assert rows == [HEADER]


def test_export_writes_only_what_the_filters_select(complaints, tmp_path):
    path = tmp_path / "email.csv"

    written = complaints_export(path=path, filters=ComplaintFilters(channel="email,social"))

    assert written == 2
    assert [row[2] for row in read_csv(path)[1:]] == ["email", "social"]


def test_export_reads_in_a_fixed_number_of_queries(complaints, tmp_path, django_assert_num_queries):
    # one for the complaints with their joins, one for the customers' handles (per 2,000 rows)
    with django_assert_num_queries(2):
        complaints_export(path=tmp_path / "q.csv")


@pytest.mark.parametrize("name", ["complaints.xls", "complaints.json", "complaints"])
def test_unsupported_file_type_is_a_clear_error(db, tmp_path, name):
    with pytest.raises(FieldError) as raised:
        complaints_export(path=tmp_path / name)

    assert raised.value.field == "file"
    assert raised.value.code == "file.type"
    assert not (tmp_path / name).exists()


def test_export_into_a_missing_folder_is_a_clear_error(complaints, tmp_path):
    with pytest.raises(FieldError) as raised:
        complaints_export(path=tmp_path / "no-such-folder" / "c.csv")

    assert raised.value.field == "file"
    assert "no-such-folder" in raised.value.message


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_failed_export_keeps_the_previous_file_and_leaves_no_partial_one(
    complaints, tmp_path, monkeypatch, suffix
):
    # given: last week's export, and a database that fails half-way through this one
    path = tmp_path / f"complaints{suffix}"
    path.write_bytes(b"last week")
    real_row = exporting._row
    seen = []

    def failing_row(complaint):
        seen.append(complaint)
        if len(seen) == 2:
            raise RuntimeError("connection lost")
        return real_row(complaint)

    monkeypatch.setattr(exporting, "_row", failing_row)

    # when
    with pytest.raises(RuntimeError):
        complaints_export(path=path)

    # then
    assert path.read_bytes() == b"last week"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [path.name]


def test_amounts_are_exact_decimal_strings(db, tmp_path):
    make_complaint(amount_claimed=Decimal("99999999.99"))
    path = tmp_path / "amount.csv"

    complaints_export(path=path)

    assert read_csv(path)[1][HEADER.index("amount_claimed")] == "99999999.99"
