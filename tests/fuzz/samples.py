"""Well-formed files the fuzz tests start from and mutate: made when the tests run, small."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from functools import cache

from hypothesis import strategies as st


@cache
def workbook_sample() -> bytes:
    """A figures workbook as openpyxl writes it (shared strings, styles, a hidden sheet)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Số liệu"
    sheet.append(["Đơn vị", "Số liệu", "Kỳ", "Giá trị", "Ghi chú"])
    sheet.append(["CATHAI", "procedures.total", "2026-Q1", 1495, "Báo cáo 276/BC-UBND"])
    sheet.append(["CATHAI-VHXH", "dossiers.received", "2026-03", 98.39, None])
    meta = book.create_sheet("_theodoi")
    meta.append(["kind", "values"])
    meta.sheet_state = "hidden"
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


@cache
def word_sample() -> bytes:
    """A report as python-docx writes it: header table, paragraphs, a figures table."""
    from docx import Document as WordDocument

    word = WordDocument()
    header = word.add_table(rows=2, cols=2)
    header.rows[0].cells[0].text = "ỦY BAN NHÂN DÂN\nĐẶC KHU CÁT HẢI"
    header.rows[0].cells[1].text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    header.rows[1].cells[0].text = "Số: 276/BC-UBND"
    header.rows[1].cells[1].text = "Cát Hải, ngày 25 tháng 11 năm 2025"
    for line in ["BÁO CÁO", "Kết quả chuyển đổi số", "Tổng số hồ sơ:\t1.234 hồ sơ."]:
        word.add_paragraph(line)
    table = word.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Tỷ lệ trực tuyến"
    table.rows[0].cells[1].text = "98,39%"
    data = io.BytesIO()
    word.save(data)
    return data.getvalue()


@cache
def pdf_sample() -> bytes:
    """A one-page PDF with a text layer, written object by object."""
    stream = b"BT /F1 12 Tf 72 720 Td (Bao cao so 276/BC-UBND: 1.234 ho so) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def zipped(parts: dict[str, bytes]) -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return data.getvalue()


@st.composite
def mutated_bytes(draw, sample: Callable[[], bytes]) -> bytes:
    """``sample()`` with a few bytes changed, cut short, or with bytes inserted or removed."""
    data = bytearray(sample())
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        position = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        if action == "flip":
            data[position] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[position:]
        elif action == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=16))
        else:
            del data[position : position + draw(st.integers(1, 64))]
    return bytes(data)


@st.composite
def mutated_text(draw, text: bytes) -> bytes:
    """XML text with a slice replaced by random text or markup, or cut short."""
    if not text:
        return draw(st.binary(max_size=64))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start, min(len(text), start + 64)))
    piece = draw(
        st.one_of(
            st.text(max_size=32).map(lambda s: s.encode("utf-8", "surrogatepass")),
            st.sampled_from(
                [
                    b"<",
                    b">",
                    b"&",
                    b"&amp;",
                    b'"',
                    b"</w:body>",
                    b"<!DOCTYPE x>",
                    b'<c r="XFD1048576"><v>1</v></c>',
                    b'<row r="0">',
                    b'<dimension ref="A1:ZZZZ99999999"/>',
                    b"\x00",
                    b"]]>",
                    b"<?xml",
                ]
            ),
            st.just(b""),
        )
    )
    return text[:start] + piece + text[end:]


@st.composite
def mutated_package(draw, sample: Callable[[], bytes]) -> bytes:
    """``sample()``'s zip rebuilt with one or two members changed, added or dropped."""
    parts = members(sample())
    for _ in range(draw(st.integers(1, 2))):
        names = sorted(parts)
        if not names:
            break
        name = draw(st.sampled_from(names))
        action = draw(st.sampled_from(["text", "bytes", "drop", "add", "empty"]))
        if action == "text":
            parts[name] = draw(mutated_text(parts[name]))
        elif action == "bytes":
            parts[name] = draw(st.binary(max_size=256))
        elif action == "drop":
            parts.pop(name, None)
        elif action == "add":
            added = draw(st.sampled_from([*names, "XL/WORKBOOK.XML", "../evil.xml", "x/y"]))
            parts[added + draw(st.sampled_from(["", "2"]))] = draw(st.binary(max_size=64))
        else:
            parts[name] = b""
    return zipped(parts)
