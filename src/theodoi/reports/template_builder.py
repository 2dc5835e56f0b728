"""Builds the default DOCX report template (Decree 30/2020/NĐ-CP layout) with python-docx.

The template holds Jinja tags that docxtpl fills from a report snapshot. An office exports it
(`theodoi report-template --out mau.docx`), edits fonts, wording or recipients in Word, and
uploads it as its own template; the tags are the contract (see docs in the template itself).
"""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
BODY_PT = 14


def _set_font(style, size: float, *, bold: bool = False, italic: bool = False) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _paragraph(
    container,
    text: str = "",
    *,
    style=None,
    align=None,
    bold=None,
    italic=None,
    size: float | None = None,
    space_after: float = 0,
    indent: bool = False,
):
    paragraph = container.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(text)
        if bold is not None:
            run.bold = bold
        if italic is not None:
            run.italic = italic
        if size is not None:
            run.font.size = Pt(size)
    fmt = paragraph.paragraph_format
    if align is not None:
        paragraph.alignment = align
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(0)
    if indent:
        fmt.first_line_indent = Cm(1.27)
    return paragraph


def _short_rule(container, width_cm: float, cell_width_cm: float):
    """A short horizontal rule under a centred line: a bottom border on an indented,
    empty paragraph, so Word keeps it centred whatever the text above."""
    paragraph = container.add_paragraph()
    side = max(0.0, (cell_width_cm - width_cm) / 2)
    paragraph.paragraph_format.left_indent = Cm(side)
    paragraph.paragraph_format.right_indent = Cm(side)
    paragraph.paragraph_format.space_after = Pt(2)
    paragraph.paragraph_format.line_spacing = Pt(2)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)
    return paragraph


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths: the grid (read by LibreOffice) and every cell (read by Word)."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _page_number_header(section) -> None:
    """Page number centred at the top, none on the first page (Decree 30)."""
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
    run.font.size = Pt(13)


def _portrait(section) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.PORTRAIT
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)


def _landscape(section) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(30), Mm(15)
    section.left_margin, section.right_margin = Mm(20), Mm(20)
    section.header_distance = Mm(10)


def _header_table(doc) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    _widths(table, [6.5, 10.0])
    left, right = table.rows[0].cells
    left.paragraphs[0].text = "{%p if profile.parent_body %}"
    _paragraph(left, "{{ profile.parent_body|upper }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=13)
    _paragraph(left, "{%p endif %}")
    _paragraph(left, "{%p for line in profile.issuer_lines %}")
    _paragraph(left, "{{ line|upper }}", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=13)
    _paragraph(left, "{%p endfor %}")
    _short_rule(left, 2.2, 6.5)
    _paragraph(left, "Số: {{ symbol }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=13)
    # The national motto ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc"),
    # or the Party's ("ĐẢNG CỘNG SẢN VIỆT NAM") for a report the Party committee issues.
    right.paragraphs[0].text = "{%p for line in profile.motto_lines %}"
    _paragraph(right, "{{ line }}", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=13)
    _paragraph(right, "{%p endfor %}")
    _short_rule(right, 5.6, 10.0)
    _paragraph(right, "{{ date_line }}", align=WD_ALIGN_PARAGRAPH.CENTER, italic=True, size=14)


def _cant_split(row) -> None:
    """A table row that never breaks across pages (a signing block, an appendix row)."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _closing_table(doc) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    _no_borders(table)
    _cant_split(table.rows[0])  # the signer's name never alone on the last page
    _widths(table, [8.0, 8.5])
    left, right = table.rows[0].cells
    first = left.paragraphs[0]
    run = first.add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    _paragraph(left, "{%p for line in profile.recipients %}")
    _paragraph(left, "- {{ line }};", size=11)
    _paragraph(left, "{%p endfor %}")
    _paragraph(left, "- {{ profile.archive_line }}", size=11)
    right.paragraphs[0].text = "{%p for line in profile.signing_lines %}"
    _paragraph(right, "{{ line|upper }}", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=14)
    _paragraph(right, "{%p endfor %}")
    for _ in range(4):
        _paragraph(right, "")
    _paragraph(
        right, "{{ profile.signer_name }}", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=14
    )


def _appendix_table(doc, title: str, loop: str, columns: list[tuple[str, str, float]]) -> None:
    _paragraph(doc, title, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=14)
    table = doc.add_table(rows=4, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header, opener, data, closer = table.rows
    _repeat_header(header)
    _cant_split(data)
    opener.cells[0].text = "{%tr for row in " + loop + " %}"
    closer.cells[0].text = "{%tr endfor %}"
    _widths(table, [width for _, _, width in columns])
    for index, (heading, expr, _width) in enumerate(columns):
        cell = header.cells[index]
        cell.text = ""
        run = cell.paragraphs[0].add_run(heading)
        run.bold, run.font.size = True, Pt(12)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        data_cell = data.cells[index]
        data_cell.text = ""
        data_run = data_cell.paragraphs[0].add_run("{{ row." + expr + " }}")
        data_run.font.size = Pt(12)
        if expr in ("stt", "unit", "status_label", "deadline", "actual"):
            data_cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _attached_to(doc) -> None:
    _paragraph(
        doc,
        "(Kèm theo Báo cáo số {{ symbol }} của {{ profile.issuer_name }})",
        align=WD_ALIGN_PARAGRAPH.CENTER,
        italic=True,
        size=13,
        space_after=6,
    )


def build_template() -> bytes:
    """The default report template as DOCX bytes."""
    doc = Document()
    _set_font(doc.styles["Normal"], BODY_PT)
    doc.styles["Normal"].paragraph_format.space_after = Pt(6)
    body = doc.styles.add_style("Nội dung báo cáo", 1)
    body.base_style = doc.styles["Normal"]
    _set_font(body, BODY_PT)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.first_line_indent = Cm(1.27)
    body.paragraph_format.space_after = Pt(6)
    body.paragraph_format.line_spacing = 1.15
    heading = doc.styles.add_style("Mục báo cáo", 1)
    heading.base_style = body
    _set_font(heading, BODY_PT, bold=True)
    _set_font(doc.styles["Table Grid"], 12)

    section = doc.sections[0]
    _portrait(section)
    _page_number_header(section)
    _header_table(doc)
    _paragraph(doc, "")
    _paragraph(doc, "{{ title }}", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=14)
    _paragraph(doc, "{{ subject }}", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=14)
    _short_rule(doc, 3.0, 16.5)
    _paragraph(doc, "")
    _paragraph(doc, "{{ intro }}", style=body)
    _paragraph(doc, "{%p for section in sections %}")
    _paragraph(doc, "{{ section.title }}", style=heading)
    _paragraph(doc, "{%p for block in section.blocks %}")
    _paragraph(doc, "{%p if block.heading %}")
    _paragraph(doc, "{{ block.heading }}", style=heading)
    _paragraph(doc, "{%p endif %}")
    _paragraph(doc, "{%p for text in block.paragraphs %}")
    _paragraph(doc, "{{ text }}", style=body)
    _paragraph(doc, "{%p endfor %}")
    _paragraph(doc, "{%p endfor %}")
    _paragraph(doc, "{%p endfor %}")
    _paragraph(doc, "")
    _closing_table(doc)

    appendix = doc.add_section(WD_SECTION.NEW_PAGE)
    _landscape(appendix)
    appendix.header.is_linked_to_previous = True
    _paragraph(doc, "Phụ lục I", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=14)
    _attached_to(doc)
    _appendix_table(
        doc,
        "TÌNH HÌNH THỰC HIỆN NHIỆM VỤ",
        "task_rows",
        [
            ("STT", "stt", 1.2),
            ("Nhiệm vụ", "title", 9.0),
            ("Cơ quan chủ trì", "lead", 2.6),
            ("Cơ quan phối hợp", "coordinating", 2.6),
            ("Sản phẩm đầu ra", "output", 2.2),
            ("Thời hạn", "deadline", 2.0),
            ("Tình trạng", "status_label", 2.2),
            ("Kết quả/ghi chú", "note", 4.2),
        ],
    )
    page_break = _paragraph(doc, "")
    page_break.add_run().add_break(WD_BREAK.PAGE)
    _paragraph(doc, "Phụ lục II", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=14)
    _attached_to(doc)
    _appendix_table(
        doc,
        "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        "indicator_rows",
        [
            ("STT", "stt", 1.2),
            ("Chỉ tiêu", "name", 11.0),
            ("Đơn vị tính", "unit", 2.4),
            ("Mục tiêu của mốc", "target", 3.6),
            ("Kết quả thực hiện", "actual", 3.0),
            ("Đánh giá", "status_label", 4.0),
        ],
    )
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
