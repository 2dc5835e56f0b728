"""No workbook takes the process down: what a workbook declares is bounded before calamine
reads it, and every refusal says what and where, in Vietnamese.

The hostile workbooks are made here, a few kilobytes each. The one calamine cannot survive
(a value in XFD1048576) is imported by a real `theodoi import` process under a memory limit,
so that if the check ever goes, the test fails instead of the test run."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.exchange.workbooks import deflated_zeros, sheet_xml, write_workbook
from theodoi.exchange.excel.limits import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_MEMBERS,
    MAX_ROWS,
    MAX_SHEETS,
    MAX_UNCOMPRESSED_BYTES,
    workbook_check,
)
from theodoi.exchange.excel.reader import WorkbookError, open_workbook

SANITY_SECONDS = 10  # far above what a refusal takes: only catches a check gone missing
MEMORY_LIMIT = 2 * 1024**3  # address space of the `theodoi import` process


def _letters(column: int) -> str:
    return openpyxl.utils.get_column_letter(column)


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _refused(path: Path) -> str:
    started = time.monotonic()
    with pytest.raises(WorkbookError) as error:
        open_workbook(path)
    assert time.monotonic() - started < SANITY_SECONDS
    return str(error.value)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def test_a_value_in_the_last_cell_is_refused_by_theodoi_import_in_vietnamese(tmp_path):
    path = tmp_path / "tien-do.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Số liệu"
    sheet["A1"] = "Đơn vị"
    sheet["XFD1048576"] = 1  # one value in the sheet's last cell: a file of a few kilobytes
    book.save(path)
    env = {**os.environ, "THEODOI_DATA_DIR": str(tmp_path)}
    env.pop("THEODOI_DATABASE_URL", None)  # the check comes before any query

    done = subprocess.run(
        [sys.executable, "-m", "theodoi.cli", "import", str(path), "--dry-run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,
    )

    assert done.returncode == 2, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert "Trang “Số liệu” khai báo tới ô XFD1048576" in done.stderr
    assert f"({_thousands(16384)} cột × {_thousands(1048576)} dòng)" in done.stderr
    assert "Hãy xóa các ô thừa" in done.stderr


def test_a_dimension_declaring_the_whole_sheet_is_refused(tmp_path):
    path = write_workbook(
        tmp_path / "so-lieu.xlsx", {"Số liệu": sheet_xml(["A1"], dimension="A1:XFD1048576")}
    )
    assert "Trang “Số liệu” khai báo tới ô XFD1048576" in _refused(path)


def test_one_column_past_the_limit_is_refused_naming_the_cell(tmp_path):
    far = f"{_letters(MAX_COLUMNS + 1)}2"
    path = write_workbook(tmp_path / "rong.xlsx", {"Tiến độ": sheet_xml(["A1", far])})
    message = _refused(path)
    assert f"Trang “Tiến độ” khai báo tới ô {far}" in message
    assert f"{MAX_COLUMNS + 1} cột × 2 dòng" in message


def test_one_row_past_the_limit_is_refused_naming_the_row(tmp_path):
    path = write_workbook(tmp_path / "dai.xlsx", {"Số liệu": sheet_xml(["A1", f"B{MAX_ROWS + 1}"])})
    assert f"Trang “Số liệu” khai báo tới dòng {_thousands(MAX_ROWS + 1)}" in _refused(path)


def test_cells_written_without_a_reference_are_counted_by_position(tmp_path):
    # <c> without r follows the cell before it, as calamine places it.
    row = "<row>" + "<c><v>1</v></c>" * (MAX_COLUMNS + 5) + "</row>"
    path = write_workbook(tmp_path / "khong-dia-chi.xlsx", {"Số liệu": sheet_xml(rows=row)})
    assert f"khai báo tới ô {_letters(MAX_COLUMNS + 1)}1" in _refused(path)


def test_a_hundred_thousand_rows_of_twenty_columns_are_read(tmp_path):
    rows, columns = 100_000, 20
    corner = f"{_letters(columns)}{rows}"
    path = write_workbook(
        tmp_path / "lon.xlsx", {"Số liệu": sheet_xml(["A1", corner], dimension=f"A1:{corner}")}
    )
    workbook = open_workbook(path)
    grid = workbook.grids["so lieu"]
    assert len(grid) == rows and len(grid[-1]) == columns
    assert grid[-1][-1] == 1


def test_the_cells_of_every_sheet_count_together(tmp_path):
    rows, columns = MAX_ROWS, MAX_CELLS // MAX_ROWS  # one sheet is exactly the limit
    corner = f"{_letters(columns)}{rows}"
    path = write_workbook(
        tmp_path / "hai-trang.xlsx",
        {"Trang một": sheet_xml(["A1", corner]), "Trang hai": sheet_xml(["B2"])},
    )
    message = _refused(path)
    assert "Trang “Trang hai” khai báo tới ô B2" in message
    assert f"cùng các trang trước, tệp có {_thousands(MAX_CELLS + 4)} ô" in message


def test_a_sheet_listed_twice_counts_twice(tmp_path):
    columns = MAX_CELLS // MAX_ROWS
    corner = f"{_letters(columns)}{MAX_ROWS // 2 + 1}"  # a little over half the cells
    sheets = {"Số liệu": sheet_xml(["A1", corner])}
    once = write_workbook(tmp_path / "mot-lan.xlsx", sheets)
    workbook_check(once, name=once.name)  # within the limits
    twice = write_workbook(
        tmp_path / "hai-lan.xlsx", sheets, listed=[("Số liệu", 1), ("Bản sao", 1)]
    )
    assert f"khai báo tới ô {corner}" in _refused(twice)


def test_too_many_sheets_are_refused(tmp_path):
    sheets = {f"Trang {i}": sheet_xml(["A1"]) for i in range(1, MAX_SHEETS + 2)}
    path = write_workbook(tmp_path / "nhieu-trang.xlsx", sheets)
    assert f"có {MAX_SHEETS + 1} trang, vượt giới hạn {MAX_SHEETS} trang" in _refused(path)


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    base = write_workbook(tmp_path / "goc.xlsx", {"Số liệu": sheet_xml(["A1"])})
    bomb = deflated_zeros(
        tmp_path / "bom.xlsx", "xl/media/image1.png", MAX_UNCOMPRESSED_BYTES + 1, base=base
    )
    assert bomb.stat().st_size < 1024 * 1024
    started = time.monotonic()
    message = _refused(bomb)
    assert "khi giải nén, tệp lớn hơn 128 MB" in message
    assert time.monotonic() - started < 1  # refused on the declared sizes, nothing inflated


def test_sizes_the_zip_understates_are_caught_while_reading(tmp_path):
    base = write_workbook(tmp_path / "goc.xlsx", {"Số liệu": sheet_xml(["A1"])})
    bomb = deflated_zeros(tmp_path / "bom.xlsx", "xl/media/image1.png", 4096, base=base)
    data = bytearray(bomb.read_bytes())
    # Declare 16 bytes in the member's central directory entry; it inflates to 4,096.
    name = b"xl/media/image1.png"
    entry = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    data[entry + 24 : entry + 28] = (16).to_bytes(4, "little")
    bomb.write_bytes(bytes(data))
    assert "tệp nén bị hỏng" in _refused(bomb)


def test_too_many_zip_members_are_refused(tmp_path):
    extra = {f"xl/media/image{i}.png": b"" for i in range(MAX_MEMBERS + 1)}
    path = write_workbook(tmp_path / "nhieu-phan.xlsx", {"Số liệu": sheet_xml(["A1"])}, extra=extra)
    assert f"vượt giới hạn {_thousands(MAX_MEMBERS)} phần" in _refused(path)


def test_entity_declarations_are_refused(tmp_path):
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "haha">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    path = write_workbook(tmp_path / "thuc-the.xlsx", {"Số liệu": laughs})
    assert "DOCTYPE" in _refused(path)


def test_a_truncated_sheet_is_a_vietnamese_error(tmp_path):
    path = write_workbook(tmp_path / "cut.xlsx", {"Số liệu": sheet_xml(["A1", "B2"])[:-40]})
    message = _refused(path)
    assert message.startswith("Không đọc được tệp “cut.xlsx”")
    assert "không phải XML hợp lệ" in message


def test_a_broken_cell_reference_is_a_vietnamese_error(tmp_path):
    row = '<row r="1"><c r="1A"><v>1</v></c></row>'
    path = write_workbook(tmp_path / "sai.xlsx", {"Số liệu": sheet_xml(rows=row)})
    assert "Trang “Số liệu” có địa chỉ ô “1A” không hợp lệ" in _refused(path)


def test_files_that_are_not_xlsx_are_refused_in_vietnamese(tmp_path):
    legacy = tmp_path / "cu.xlsx"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    assert "tệp Office đời cũ" in _refused(legacy)
    ods = write_workbook(tmp_path / "bang.ods", {"Số liệu": sheet_xml(["A1"])})
    assert "chỉ nhập được bảng tính Excel .xlsx" in _refused(ods)
    no_workbook = tmp_path / "khong-co.xlsx"
    with zipfile.ZipFile(no_workbook, "w") as package:
        package.writestr("word/document.xml", "<w/>")
    assert "không có phần “xl/workbook.xml”" in _refused(no_workbook)


def test_messages_name_the_file_as_the_user_knows_it(tmp_path):
    stored = write_workbook(tmp_path / "3f2a9c.xlsx", {"Số liệu": sheet_xml(["A1"])[:-40]})
    with pytest.raises(WorkbookError) as error:
        open_workbook(stored, name="Tiến độ quý I.xlsx")
    assert "“Tiến độ quý I.xlsx”" in str(error.value)
    assert "3f2a9c" not in str(error.value)
