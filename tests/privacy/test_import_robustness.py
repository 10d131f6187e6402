"""Defect 6: an import is idempotent per row (the same file twice never duplicates; a corrected file
after a break adds only the rest), long cells are handled, Shift-JIS and UTF-16 without BOM are
told apart, NUL bytes are refused."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import pytest

from kesu.complaints.models import Complaint
from kesu.core.errors import FieldError
from kesu.pipeline.importing import complaints_import
from tests.factories import T0

NOW = T0 + timedelta(days=1)
HEADER = ["channel", "content", "customer_name", "phone"]


def rows(n: int, start: int = 0) -> list[list[str]]:
    return [["phone", f"第{i}号投诉：宽带断网", f"客户{i}", f"1380013{i:04d}"] for i in range(start, start + n)]


def write(path: Path, data: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as file:
        csv.writer(file).writerows(data)
    return path


@pytest.fixture
def importer(manager):
    return lambda path, **kw: complaints_import(path=path, by=manager, now=NOW, **kw)


def test_the_same_file_imported_twice_never_duplicates(importer, tmp_path):
    path = write(tmp_path / "c.csv", [HEADER, *rows(5)])
    first = importer(path)
    second = importer(path)
    assert (first.imported, second.imported, second.skipped) == (5, 0, 5)
    assert Complaint.objects.count() == 5


def test_a_cell_over_128_kib_rejects_its_row_not_the_file_and_the_corrected_file_adds_the_rest(importer, tmp_path):
    # given a file whose third row holds a 200 KiB text
    data = [HEADER, *rows(2), ["phone", "长" * 200_000, "客户X", "13900000000"], *rows(2, start=10)]
    report = importer(write(tmp_path / "long.csv", data))
    # then every other row is imported and the long one is refused, naming the column
    assert report.imported == 4
    assert [r.row for r in report.rejected] == [4]
    assert "content" in report.rejected[0].fields
    # when the corrected file is imported again
    data[3][1] = "内容改短了"
    again = importer(write(tmp_path / "long.csv", data))
    # then only the corrected row is added
    assert (again.imported, again.skipped) == (1, 4)
    assert Complaint.objects.count() == 5


def test_shift_jis_is_refused_naming_the_encoding(importer, tmp_path):
    path = write(tmp_path / "sjis.csv", [HEADER, ["phone", "お客様の荷物が届きません", "田中さん", "13800138000"]],
                 encoding="shift_jis")
    with pytest.raises(FieldError) as refused:
        importer(path)
    assert refused.value.code == "import.shift_jis"
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(importer, tmp_path, encoding):
    path = write(tmp_path / "u16.csv", [HEADER, *rows(2)], encoding=encoding)
    assert importer(path).imported == 2
    assert Complaint.objects.filter(content="第1号投诉：宽带断网").exists()


def test_nul_bytes_are_refused(importer, tmp_path):
    path = tmp_path / "nul.csv"
    path.write_bytes(b"channel,content,customer_name\nphone,ab\x00cd,Wang\n")
    with pytest.raises(FieldError) as refused:
        importer(path)
    assert refused.value.code == "import.nul"
    assert Complaint.objects.count() == 0


@pytest.mark.django_db
def test_the_cli_prints_how_many_rows_were_skipped_and_why(tmp_path, capsys):
    from kesu.cli import main

    # given a file with a repeated row and a blank row, imported once
    data = [HEADER, *rows(2), rows(1)[0], ["", "", "", ""]]
    path = write(tmp_path / "c.csv", data)
    assert main(["import", "complaints", str(path)]) == 0
    first = capsys.readouterr().out
    assert "imported 2 rows" in first
    assert "skipped 2 rows: 1 repeat an earlier row of this file; 1 blank" in first
    # when the same file is imported again
    main(["import", "complaints", str(path)])
    # then the operator reads that the rows were imported before
    assert "skipped 4 rows: 3 already imported by an earlier import; 1 blank" \
        in capsys.readouterr().out
