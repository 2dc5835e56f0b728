"""Fuzz: whatever the bytes of an .xlsx, reading it raises nothing but WorkbookError, within
bounded time (hypothesis' deadline) and memory (the address space capped)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.exchange.workbooks import sheet_xml, write_workbook
from tests.fuzz.conftest import FUZZ, bounded_memory
from tests.fuzz.samples import mutated_bytes, mutated_package, workbook_sample
from theodoi.exchange.excel.reader import Workbook, WorkbookError, open_workbook


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("workbook-fuzz")


def read(path) -> None:
    with bounded_memory():
        try:
            workbook = open_workbook(path)
        except WorkbookError as error:
            assert str(error)  # a message to show
            return
    assert isinstance(workbook, Workbook)


references = st.builds(
    lambda letters, digits: letters + digits,
    st.text(st.sampled_from("ABCXYZabz$"), max_size=4),
    st.text(st.sampled_from("0123456789"), max_size=9),
)
cells = st.lists(
    st.tuples(
        st.one_of(st.none(), references),
        st.sampled_from(["<v>1</v>", "<is><t>chữ</t></is>", "", "<v>x</v>", "<f>A1</f>"]),
        st.sampled_from(["", ' t="inlineStr"', ' t="s"', ' t="b"', ' t="e"', ' t="str"']),
    ),
    max_size=12,
)
rows = st.lists(st.tuples(st.one_of(st.none(), references), cells), max_size=8)


def sheet_from(drawn_rows) -> str:
    body = ""
    for row_reference, row_cells in drawn_rows:
        attribute = "" if row_reference is None else f' r="{row_reference}"'
        body += f"<row{attribute}>"
        for cell_reference, value, kind in row_cells:
            reference = "" if cell_reference is None else f' r="{cell_reference}"'
            body += f"<c{reference}{kind}>{value}</c>"
        body += "</row>"
    return body


@FUZZ
@given(data=st.binary(max_size=2048), zip_like=st.booleans())
def test_random_bytes(folder, data, zip_like):
    path = folder / "random.xlsx"
    path.write_bytes((b"PK\x03\x04" if zip_like else b"") + data)
    read(path)


@FUZZ
@given(data=mutated_bytes(workbook_sample))
def test_mutated_workbook_bytes(folder, data):
    path = folder / "mutated.xlsx"
    path.write_bytes(data)
    read(path)


@FUZZ
@given(data=mutated_package(workbook_sample))
def test_mutated_workbook_members(folder, data):
    path = folder / "members.xlsx"
    path.write_bytes(data)
    read(path)


@FUZZ
@given(
    drawn=rows,
    dimension=st.one_of(st.none(), references, st.builds("{}:{}".format, references, references)),
)
def test_random_sheet_xml(folder, drawn, dimension):
    path = write_workbook(
        folder / "sheet.xlsx",
        {"Số liệu": sheet_xml(rows=sheet_from(drawn), dimension=dimension)},
    )
    read(path)
