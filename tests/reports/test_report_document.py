"""The generated report: layout of Decree 30/2020 and numbers that agree with each other."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document as Docx
from docx.shared import Mm, Pt

from theodoi.domain.formatting import share_percent
from theodoi.domain.periods import parse_period
from theodoi.orgs.models import OrgUnit
from theodoi.reports.services import report_build, report_render


@pytest.fixture
def q1(dataset):
    unit = OrgUnit.objects.get(code="CATHAI")
    snapshot = report_build(unit=unit, period=parse_period("2026-Q1"), plans=[dataset], user=None)
    files = report_render(snapshot, unit=unit)
    return snapshot, Docx(BytesIO(files.docx)), files


def _text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def _runs_with(doc, text):
    for container in [doc, *[c for t in doc.tables for r in t.rows for c in r.cells]]:
        for paragraph in container.paragraphs:
            if text in paragraph.text:
                return paragraph, [r for r in paragraph.runs if r.text.strip()]
    raise AssertionError(f"không thấy “{text}”")


def _size(run, paragraph):
    return run.font.size or paragraph.style.font.size


def test_page_is_a4_portrait_with_decree_30_margins(q1):
    _, doc, _ = q1
    body = doc.sections[0]
    assert abs(body.page_width - Mm(210)) < Mm(0.5) and abs(body.page_height - Mm(297)) < Mm(0.5)
    assert Mm(20) <= body.top_margin <= Mm(25) and Mm(20) <= body.bottom_margin <= Mm(25)
    # stored in twentieths of a point, so a millimetre value is off by a few EMU
    assert Mm(29.9) <= body.left_margin <= Mm(35) and Mm(14.9) <= body.right_margin <= Mm(20)


def test_appendices_are_landscape(q1):
    _, doc, _ = q1
    appendix = doc.sections[-1]
    assert len(doc.sections) == 2
    assert appendix.page_width > appendix.page_height


def test_page_numbers_at_the_top_but_not_on_page_one(q1):
    _, doc, _ = q1
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    header_xml = section.header._element.xml
    assert "PAGE" in header_xml
    assert section.header.paragraphs[0].alignment == 1  # centred
    assert "PAGE" not in section.first_page_header._element.xml


def test_body_font_is_times_new_roman_13_to_14_pt(q1):
    _, doc, _ = q1
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and Pt(13) <= normal.size <= Pt(14)
    body = doc.styles["Nội dung báo cáo"]
    assert body.paragraph_format.alignment == 3  # justified
    assert Mm(10) <= body.paragraph_format.first_line_indent <= Mm(12.7)


def test_header_elements_have_their_styles(q1):
    snapshot, doc, _ = q1
    paragraph, runs = _runs_with(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert all(r.bold and Pt(12) <= _size(r, paragraph) <= Pt(13) for r in runs)
    paragraph, runs = _runs_with(doc, "Độc lập - Tự do - Hạnh phúc")
    assert all(r.bold and Pt(13) <= _size(r, paragraph) <= Pt(14) for r in runs)
    paragraph, runs = _runs_with(doc, "ĐẶC KHU CÁT HẢI")
    assert all(r.bold and Pt(12) <= _size(r, paragraph) <= Pt(13) for r in runs)
    assert paragraph.text == paragraph.text.upper()
    paragraph, runs = _runs_with(doc, "Cát Hải, ngày")
    assert all(r.italic and Pt(13) <= _size(r, paragraph) <= Pt(14) for r in runs)
    paragraph, runs = _runs_with(doc, "Số:")
    assert "/BC-UBND" in paragraph.text
    paragraph, runs = _runs_with(doc, "BÁO CÁO")
    assert all(r.bold for r in runs) and paragraph.alignment == 1
    paragraph, runs = _runs_with(doc, snapshot["subject"][:30])
    assert all(r.bold for r in runs)


def test_closing_has_recipients_and_signing_block(q1):
    _, doc, _ = q1
    paragraph, runs = _runs_with(doc, "Nơi nhận:")
    assert all(r.bold and r.italic and _size(r, paragraph) == Pt(12) for r in runs)
    paragraph, runs = _runs_with(doc, "Sở Khoa học và Công nghệ (để b/c)")
    assert all(_size(r, paragraph) == Pt(11) for r in runs)
    _runs_with(doc, "Lưu: VT, VHXH.")
    for line in ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Vũ Hữu Vững"):
        _, runs = _runs_with(doc, line)
        assert all(r.bold for r in runs)


def test_the_signer_never_stands_alone_and_table_rows_never_split(q1):
    """The signing block is one table row that cannot break across pages, so the signer's
    name never lands alone on a blank last page; appendix rows cannot split either, and the
    appendix header repeats on every page."""
    from docx.oxml.ns import qn

    _, doc, _ = q1
    closing = next(t for t in doc.tables if "Nơi nhận:" in t.rows[0].cells[0].text)
    assert closing.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
    appendix = next(t for t in doc.tables if t.rows[0].cells[0].text == "STT")
    assert appendix.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    for row in appendix.rows[1:]:
        assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None


def test_sections_i_to_v_are_all_present(q1):
    _, doc, _ = q1
    text = _text(doc)
    for title in (
        "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO",
        "II. KẾT QUẢ THỰC HIỆN",
        "III. ĐÁNH GIÁ CHUNG",
        "IV. NHIỆM VỤ, GIẢI PHÁP",
        "V. KIẾN NGHỊ, ĐỀ XUẤT",
        "Phụ lục I",
        "Phụ lục II",
    ):
        assert title in text


NUM = r"\d{1,3}(?:\.\d{3})*"


def _stated(snapshot) -> dict[str, Decimal]:
    """The figures (without breakdown) the report stated, by element code."""
    return {f["code"]: Decimal(f["value"]) for f in snapshot["figures"] if not f["scope"]}


def test_every_share_stated_is_computed_from_its_parts(q1):
    snapshot, doc, _ = q1
    figures = _stated(snapshot)
    received, online = figures["dossiers.received"], figures["dossiers.online"]
    share = share_percent(online, received, places=1)  # the office's house style: 1 place
    text = _text(doc)
    assert f"tỷ lệ đạt {str(share).replace('.', ',')}%" in text
    resolved, on_time = figures["dossiers.resolved"], figures["dossiers.resolved_on_time"]
    assert f"({str(share_percent(on_time, resolved, places=1)).replace('.', ',')}%)" in text


def test_dossier_figures_add_up(q1):
    snapshot, doc, _ = q1
    figures = _stated(snapshot)
    assert figures["dossiers.online"] + figures["dossiers.direct"] == figures["dossiers.received"]
    assert (
        figures["procedures.full_online"]
        + figures["procedures.partial_online"]
        + figures["procedures.direct"]
    ) == figures["procedures.total"]
    text = _text(doc)
    assert (
        f"Tổng số hồ sơ tiếp nhận: {int(figures['dossiers.received']):,}".replace(",", ".") in text
    )


def test_appendix_tables_hold_every_task_and_indicator(q1, dataset):
    _, doc, _ = q1
    tasks_table, indicators_table = doc.tables[-2], doc.tables[-1]
    assert [c.text for c in tasks_table.rows[0].cells] == [
        "STT",
        "Nhiệm vụ",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Sản phẩm đầu ra",
        "Thời hạn",
        "Tình trạng",
        "Kết quả/ghi chú",
    ]
    assert len(tasks_table.rows) - 1 == dataset.tasks.count()
    assert [c.text for c in indicators_table.rows[0].cells] == [
        "STT",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Mục tiêu của mốc",
        "Kết quả thực hiện",
        "Đánh giá",
    ]
    assert len(indicators_table.rows) - 1 == dataset.indicators.count()


def test_empty_sections_say_so(dataset):
    unit = OrgUnit.objects.get(code="CATHAI")
    snapshot = report_build(unit=unit, period=parse_period("2024-Q1"), plans=[dataset], user=None)
    text = "\n".join(p for s in snapshot["sections"] for b in s["blocks"] for p in b["paragraphs"])
    assert "chưa ghi nhận văn bản" in text
    # Nothing entered is said as missing, never stated as a fact ("Không có kiến nghị …").
    assert "[chưa có nội dung: kiến nghị, đề xuất" in text
    assert "Không có kiến nghị" not in text
    # A period without procedure and dossier figures leaves their sentences out, and lists them.
    assert "Tổng số hồ sơ tiếp nhận" not in text
    assert any("Hồ sơ tiếp nhận" in m["name"] for m in snapshot["missing"])


def test_dossiers_per_information_system_are_reported_when_present(dataset, django_user_model):
    from theodoi.progress.models import DataElement, DataValue, Period

    user = django_user_model.objects.create(username="nhap-so-lieu")
    unit = OrgUnit.objects.get(code="CATHAI")
    period = Period.objects.get(code="2026-Q1")
    received = DataElement.objects.get(code="dossiers.received")
    online = DataElement.objects.get(code="dossiers.online")
    for breakdown, total, web in (("city", 900, 880), ("ministries", 300, 290)):
        DataValue.objects.create(
            element=received,
            org_unit=unit,
            period=period,
            breakdown=breakdown,
            value=total,
            entered_by=user,
        )
        DataValue.objects.create(
            element=online,
            org_unit=unit,
            period=period,
            breakdown=breakdown,
            value=web,
            entered_by=user,
        )
    snapshot = report_build(unit=unit, period=parse_period("2026-Q1"), plans=[dataset], user=None)
    text = "\n".join(p for s in snapshot["sections"] for b in s["blocks"] for p in b["paragraphs"])
    # 880/900 = 97,78 % → 97,8 % in the office's style; 290/300 = 96,67 % → 96,7 %
    assert (
        "Hệ thống thông tin giải quyết thủ tục hành chính của thành phố: tiếp nhận 900 hồ sơ, "
        "trực tuyến 880 hồ sơ (97,8%)" in text
    )
    assert "Các hệ thống của bộ, ngành: tiếp nhận 300 hồ sơ, trực tuyến 290 hồ sơ (96,7%)" in text
    stated = {(f["code"], f["scope"]): f["value"] for f in snapshot["figures"]}
    assert Decimal(stated[("dossiers.online", "ministries")]) == 290
