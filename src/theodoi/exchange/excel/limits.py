"""What a workbook may declare and hold, checked before python-calamine reads it.

calamine builds each sheet as a dense grid from A1 to the last cell it meets, and
``to_python(skip_empty_area=False)`` turns that grid into Python lists: one value in cell
XFD1048576 of a 19 KB file asks for 16,384 × 1,048,576 cells (hundreds of gigabytes), and
the process dies. So before calamine opens a file, the zip is opened within the bounds of
:mod:`theodoi.ooxml` (no DOCTYPE, every byte inflated through a running cap) and each sheet's
XML is scanned streaming for the references calamine will use: ``<dimension ref>``,
``<row r>`` and ``<c r>`` (and the positions of rows and cells written without ``r``,
counted the way calamine counts them). The largest row and column a sheet declares give the
grid calamine would build; the workbook is refused as soon as one exceeds a limit, naming the
sheet and the cell.

The limits, for the office workbooks this software imports (its templates have at most about
20 columns; ``theodoi bench import`` measures a 10,000-row figures import):

- ``MAX_ROWS`` 200,000 rows per sheet: twice the 100,000 rows a province's figures for a
  few years could reach, and about ten times the benchmark; beyond that the import itself
  (about 70 rows a second through the services) would run for the best part of an hour.
- ``MAX_COLUMNS`` 256 columns (A to IV, the old Excel limit office users know): ten times
  what a template holds, room for notes and helper columns.
- ``MAX_CELLS`` 3,000,000 cells for the whole file, counted as calamine's dense grids
  (rows × columns of each sheet, summed over the sheets): 100,000 rows of 30 columns or
  200,000 of 15. Measured: such a grid costs calamine and Python about 140 MB and half a
  second; the 100,000-row figures workbook the benchmark writes (9 columns) is 900,000.
- ``MAX_SHEETS`` 32 sheets: templates have four (instructions, data, lists, the hidden
  ``_theodoi`` sheet).
- ``MAX_UNCOMPRESSED_BYTES`` 128 MB inflated for the whole file: the 100,000-row workbook
  written by openpyxl (inline strings, the largest form) is 58 MB inflated, 5.3 MB on disk.
- ``MAX_FILE_BYTES`` 32 MB on disk, ``MAX_MEMBERS`` 1,000 parts (a workbook with pictures,
  comments and charts on every sheet has a few hundred), ``MAX_PART_BYTES`` 16 MB for the
  workbook's own small parts (sheet list, relationships).

A hostile file (XFD1048576, a zip bomb, a DOCTYPE) is refused within milliseconds, reading
only as far as the first reference beyond a limit (what Excel, LibreOffice and openpyxl write
first is ``<dimension>``). A file within the limits is scanned whole by expat before calamine
reads it again: measured, 0.3 s of CPU for the 10,000-row benchmark workbook, 2.7 s for the
100,000-row one (58 MB of sheet XML, 900,000 cells; calamine itself takes 2.3 s), 7 s for
2.5 million numbers, all in a constant 30 MB. Next to an import of 70 rows a second, noise.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import get_column_letter

from theodoi.domain.formatting import format_number
from theodoi.ooxml import Package, PackageError, local_name, megabytes, parse_xml

MAX_ROWS = 200_000
MAX_COLUMNS = 256
MAX_CELLS = 3_000_000
MAX_SHEETS = 32
MAX_UNCOMPRESSED_BYTES = 128 * 1024 * 1024
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_MEMBERS = 1_000
MAX_PART_BYTES = 16 * 1024 * 1024
SUFFIXES = (".xlsx", ".xlsm")

WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
SHARED_STRINGS = "xl/sharedStrings.xml"
_DIGITS = "0123456789"
_ABSURD = 10**12
_SHEET_TAGS = frozenset({"c", "row", "dimension"})
RESAVE = "Hãy mở tệp bằng Excel (hoặc LibreOffice) rồi lưu lại dưới dạng .xlsx."


class WorkbookError(ValueError):
    """A file that cannot be read as a workbook of this software; Vietnamese message."""


def n(value: int) -> str:
    return format_number(value)


@dataclass(frozen=True)
class SheetEntry:
    """A sheet the workbook lists: its name and the zip member holding it."""

    name: str
    member: str


def workbook_check(path: Path, *, name: str) -> None:
    """Refuse, with a :class:`WorkbookError` naming the file as the user knows it (``name``),
    a workbook that is not an .xlsx package or declares more than the limits above."""
    if path.suffix.lower() not in SUFFIXES:
        raise WorkbookError(
            f"Không đọc được tệp “{name}”: chỉ nhập được bảng tính Excel .xlsx "
            f"(tệp này là “{path.suffix or 'không có đuôi'}”). {RESAVE}"
        )
    try:
        with Package(
            path,
            max_file_bytes=MAX_FILE_BYTES,
            max_members=MAX_MEMBERS,
            max_total_bytes=MAX_UNCOMPRESSED_BYTES,
        ) as package:
            _check_package(package, name)
    except PackageError as exc:
        raise WorkbookError(
            f"Không đọc được tệp “{name}” như một bảng tính Excel (.xlsx): {exc} {RESAVE}"
        ) from None


def _check_package(package: Package, name: str) -> None:
    package.check_declared_total()
    workbook = package.find(WORKBOOK)
    if workbook is None:
        raise PackageError(f"tệp nén không có phần “{WORKBOOK}” của một bảng tính.")
    sheets = _sheets(package, workbook)
    if len(sheets) > MAX_SHEETS:
        raise WorkbookError(
            f"Tệp “{name}” có {n(len(sheets))} trang, vượt giới hạn {MAX_SHEETS} trang của một "
            "tệp nhập. Hãy xóa các trang không dùng rồi lưu lại tệp."
        )
    # A member listed twice is read twice by calamine: its grid counts twice.
    listed: dict[str, list[str]] = {}
    for sheet in sheets:
        info = package.find(sheet.member)
        if info is not None:
            listed.setdefault(info.filename, []).append(sheet.name)
    done = {workbook.filename}
    relations = package.find(WORKBOOK_RELS)
    if relations is not None:
        done.add(relations.filename)
    cells_before = 0
    for info in package.members():
        if info.filename in done:
            continue
        if info.filename in listed:
            names = listed[info.filename]
            scan = SheetScan(names[0], weight=len(names), cells_before=cells_before)
            parse_xml(package.chunks(info), part=info.filename, start=scan.start, end=scan.end)
            cells_before += scan.grid_cells()
        elif info.filename.lower() == SHARED_STRINGS.lower():
            _check_shared_strings(package, info, name)
        else:
            package.drain(info)


def _sheets(package: Package, workbook) -> list[SheetEntry]:
    """The sheets ``xl/workbook.xml`` lists, with their members resolved as calamine does."""
    targets: dict[str, str] = {}
    relations = package.find(WORKBOOK_RELS)
    if relations is not None:

        def relation(tag: str, attrs: dict[str, str]) -> None:
            if local_name(tag) == "Relationship" and "Id" in attrs and "Target" in attrs:
                targets[attrs["Id"]] = attrs["Target"]

        parse_xml(
            iter([package.read(relations, limit=MAX_PART_BYTES)]),
            part=relations.filename,
            start=relation,
        )
    sheets: list[SheetEntry] = []

    def sheet(tag: str, attrs: dict[str, str]) -> None:
        if local_name(tag) != "sheet":
            return
        if len(sheets) >= MAX_SHEETS:
            sheets.append(SheetEntry("", ""))  # counted only, to refuse the workbook
            return
        relation_id = attrs.get("r:id", attrs.get("relationships:id", ""))
        target = targets.get(relation_id, "")
        if target.startswith("/xl/"):
            member = target[1:]
        elif target.startswith("xl/"):
            member = target
        else:
            member = f"xl/{target}"
        sheets.append(SheetEntry(attrs.get("name", ""), member))

    parse_xml(
        iter([package.read(workbook, limit=MAX_PART_BYTES)]), part=workbook.filename, start=sheet
    )
    return sheets


def _check_shared_strings(package: Package, info, name: str) -> None:
    count = 0

    def item(tag: str, _attrs: dict[str, str]) -> None:
        nonlocal count
        if local_name(tag) == "si":
            count += 1
            if count > MAX_CELLS:
                raise WorkbookError(
                    f"Tệp “{name}” có hơn {n(MAX_CELLS)} chuỗi chữ dùng chung (phần "
                    f"“{info.filename}”): vượt giới hạn của một tệp nhập. {RESAVE}"
                )

    parse_xml(package.chunks(info), part=info.filename, start=item)


class SheetScan:
    """The largest row and column one sheet's XML declares, as calamine will count them:
    a cell or row without ``r`` follows the one before it."""

    def __init__(self, sheet: str, *, weight: int, cells_before: int) -> None:
        self.sheet = sheet[:100]  # Excel allows 31 characters; a forged name stays readable
        self.weight = weight  # how many times the workbook lists this sheet
        self.cells_before = cells_before
        self.rows = 0
        self.columns = 0
        self.cells = 0
        self.row_index = 0  # calamine's position for the next row or cell without "r"
        self.column_index = 0
        self.cell_budget = (MAX_CELLS - cells_before) // weight
        self.column_numbers: dict[str, int] = {}

    def grid_cells(self) -> int:
        return self.rows * self.columns * self.weight

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        # Called for every element of the sheet: the common case (<v>, <t>, <is>) leaves at
        # the first test.
        if tag not in _SHEET_TAGS:
            if ":" not in tag or local_name(tag) not in _SHEET_TAGS:
                return
            tag = local_name(tag)
        if tag == "c":
            self.cells += 1
            reference = attrs.get("r")
            if reference is None:
                row, column = self.row_index + 1, self.column_index + 1
            else:
                row, column = self._position(reference, cell=True)
                self.column_index = column - 1
            if row > self.rows or column > self.columns:
                self._extend(row, column, cell=True)
            if self.cells > self.cell_budget:
                raise WorkbookError(
                    f"Trang “{self.sheet}” có hơn {n(MAX_CELLS)} ô: vượt giới hạn "
                    f"{n(MAX_CELLS)} ô của một tệp nhập. Hãy xóa các ô thừa rồi lưu lại tệp; "
                    "nhiều số liệu hơn thì chia thành nhiều tệp."
                )
        elif tag == "row":
            reference = attrs.get("r")
            if reference is not None:
                row, _ = self._position(reference, cell=False)
                self.row_index = row - 1
                self._extend(row, 0, cell=False)
        elif "ref" in attrs:  # <dimension ref="A1:I100001">
            parts = attrs["ref"].split(":")
            if len(parts) > 2:
                self._bad_reference(attrs["ref"])
            for part in parts:
                self._extend(*self._position(part, cell=True), cell=True)

    def end(self, tag: str) -> None:
        if tag not in _SHEET_TAGS:
            if ":" not in tag:
                return
            tag = local_name(tag)
        if tag == "c":
            self.column_index += 1
        elif tag == "row":
            self.row_index += 1
            self.column_index = 0

    def _position(self, reference: str, *, cell: bool) -> tuple[int, int]:
        """``XFD1048576`` → (1048576, 16384); a row's ``r`` may carry no column."""
        letters = reference.rstrip(_DIGITS)
        digits = reference[len(letters) :]
        column = self.column_numbers.get(letters)
        if column is None:  # a column not met yet in this sheet (a few dozen at most)
            if not (letters.isascii() and (letters.isalpha() or not letters)):
                self._bad_reference(reference)
            column = 0
            for letter in letters[:8].upper():
                column = column * 26 + ord(letter) - ord("A") + 1
            # An absurd reference (dozens of letters) is simply beyond every limit.
            column = column if len(letters) <= 8 else _ABSURD
            self.column_numbers[letters] = column
        if not (digits.isascii() and digits.isdigit()) or (cell and not letters):
            self._bad_reference(reference)
        digits = digits.lstrip("0")
        if not digits:
            self._bad_reference(reference)
        return (int(digits) if len(digits) <= 12 else _ABSURD), column

    def _bad_reference(self, reference: str) -> None:
        raise WorkbookError(
            f"Trang “{self.sheet}” có địa chỉ ô “{reference[:40]}” không hợp lệ: tệp bị hỏng. "
            f"{RESAVE}"
        )

    def _extend(self, row: int, column: int, *, cell: bool) -> None:
        if row <= self.rows and column <= self.columns:
            return
        self.rows = max(self.rows, row)
        self.columns = max(self.columns, column)
        total = self.cells_before + self.grid_cells()
        if self.rows <= MAX_ROWS and self.columns <= MAX_COLUMNS and total <= MAX_CELLS:
            return
        if cell:
            extent = (
                f"{_cell_name(self.columns, self.rows)} ({n(self.columns)} cột × "
                f"{n(self.rows)} dòng"
            )
            if self.rows <= MAX_ROWS and self.columns <= MAX_COLUMNS:
                if total > self.grid_cells():
                    extent += f"; cùng các trang trước, tệp có {n(total)} ô"
                else:
                    extent += f" = {n(total)} ô"
            extent += ")"
        else:  # a row is refused before its cells are seen: say the row, not a made-up cell
            extent = f"dòng {n(self.rows)}"
        raise WorkbookError(
            f"Trang “{self.sheet}” khai báo tới {extent}: vượt giới hạn của một tệp "
            f"nhập ({n(MAX_COLUMNS)} cột, {n(MAX_ROWS)} dòng mỗi trang, {n(MAX_CELLS)} ô cả "
            "tệp). Hãy xóa các ô thừa (các cột bên phải, các dòng bên dưới phần số liệu, kể "
            "cả ô chỉ có định dạng) rồi lưu lại tệp; nhiều số liệu hơn thì chia thành nhiều "
            "tệp."
        )


def _cell_name(column: int, row: int) -> str:
    """XFD1048576, or the row and column numbers past what a column letter can say."""
    if 0 < column <= 18278:  # ZZZ, the last name openpyxl spells
        return f"ô {get_column_letter(column)}{row}"
    return f"ô ở dòng {n(row)}, cột thứ {n(column)}"


__all__ = ["MAX_CELLS", "MAX_COLUMNS", "MAX_ROWS", "WorkbookError", "megabytes", "workbook_check"]
