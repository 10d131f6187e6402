"""`kesu calendar …`, run in-process against the test database."""

from __future__ import annotations

import pytest

from kesu.cli import main
from kesu.sla.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(["calendar", *argv])
    except SystemExit as exit_info:  # argparse refuses the arguments
        code = exit_info.code
    out, err = capsys.readouterr()
    return code, out, err


def test_add_prints_the_instant_in_the_calendars_zone(capsys):
    # the National Day week 2026: see tests/sla/test_calendar.py for the day-by-day count
    code, out, err = run(capsys, "add", "--start", "2026-09-30T16:00:00+08:00", "--working-minutes", "2400")
    assert (code, out, err) == (0, "2026-10-14T09:30:00+08:00\n", "")
    # the start may be given in any offset; the answer is in the calendar's
    code, out, _ = run(capsys, "add", "--start", "2026-03-02T03:50:00Z", "--working-minutes", "20",
                       "--calendar", "default")
    assert (code, out) == (0, "2026-03-02T13:40:00+08:00\n")


def test_between_prints_whole_minutes_or_decimals(capsys):
    assert run(capsys, "between", "--start", "2026-09-30T16:00:00+08:00", "--end", "2026-10-14T09:30:00+08:00") == (
        0, "2400\n", ""
    )
    code, out, _ = run(capsys, "between", "--start", "2026-03-02T11:59:30+08:00", "--end", "2026-03-02T13:31:00+08:00")
    assert (code, out) == (0, "1.5\n")
    code, out, _ = run(capsys, "between", "--start", "2026-03-02T09:00:00+08:00", "--end", "2026-03-02T09:01:10+08:00")
    assert (code, out) == (0, "1.17\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["add", "--start", "2026-13-01", "--working-minutes", "5"],
         "--start: '2026-13-01' is not an ISO 8601 date-time with offset"),
        (["add", "--start", "2026-09-30T16:00", "--working-minutes", "5"],
         "--start: '2026-09-30T16:00' has no UTC offset; add one, e.g. 2026-09-30T16:00:00+08:00"),
        (["add", "--start", "2026-09-30T16:00+08:00", "--working-minutes", "-5"],
         "--working-minutes: must be 0 or more, got -5"),
        (["add", "--start", "2026-09-30T16:00+08:00", "--working-minutes", "1.5"],
         "--working-minutes: '1.5' is not a whole number of minutes"),
        (["between", "--start", "2026-09-30T16:00+08:00", "--end", "yesterday"],
         "--end: 'yesterday' is not an ISO 8601 date-time with offset"),
        (["between", "--start", "2026-09-30T16:00+08:00", "--end", "2026-09-30T15:00+08:00"],
         "--end: must not be before --start"),
        (["import", "--country", "CN"], "the following arguments are required: --year"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_usage_errors_print_one_line_and_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == "" and err.count("\n") == 1 and message in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["add", "--start", "2026-09-30T16:00+08:00", "--working-minutes", "5", "--calendar", "night"],
         "kesu: error: 不存在名为 night 的日历。\n"),
        (["add", "--start", "2028-09-30T16:00+08:00", "--working-minutes", "5"],
         "kesu: error: 日历 default 尚未录入 2028 年的节假日；"
         "请用 `kesu calendar import --country CN --year 2028 --calendar default` 导入。\n"),
        (["between", "--start", "2027-12-31T16:00+08:00", "--end", "2028-01-03T10:00+08:00"],
         "kesu: error: 日历 default 尚未录入 2028 年的节假日；"
         "请用 `kesu calendar import --country CN --year 2028 --calendar default` 导入。\n"),
        (["import", "--country", "XX", "--year", "2028"],
         "kesu: error: 未知国家 XX；请使用 ISO 代码，例如 CN。\n"),
        (["import", "--country", "CN", "--year", "2028", "--calendar", "night"],
         "kesu: error: 不存在名为 night 的日历。\n"),
    ],
)
def test_refusals_print_one_line_and_exit_1(capsys, argv, message):
    assert run(capsys, *argv) == (1, "", message)


def test_import_then_the_year_is_covered(capsys):
    code, out, err = run(capsys, "import", "--country", "CN", "--year", "2028")
    assert code == 0 and err == ""
    assert out.startswith("calendar 'default': 2028 imported from the holidays package (CN): ")
    assert "estimated" in out and out.count("\n") == 1
    assert CalendarYear.objects.filter(year=2028, calendar__name="default").exists()
    assert CalendarDay.objects.filter(date__year=2028, kind="holiday").count() > 10
    code, out, _ = run(capsys, "add", "--start", "2028-09-29T16:00:00+08:00", "--working-minutes", "60")
    assert (code, out) == (0, "2028-09-29T17:00:00+08:00\n")


def test_reimporting_a_published_year_reports_the_same_counts(capsys):
    code, out, _ = run(capsys, "import", "--country", "CN", "--year", "2026")
    assert code == 0
    assert out == (
        "calendar 'default': 2026 imported from the holidays package (CN): 22 days off, 6 make-up working days\n"
    )
    assert run(capsys, "import", "--country", "CN", "--year", "2026")[1] == out
