"""The generated report: layout of Decree 30/2020 and numbers that agree with each other."""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document as Docx
from docx.shared import Mm, Pt

from theodoi.domain.formatting import parse_number, share_percent
from theodoi.domain.periods import parse_period
from theodoi.orgs.models import OrgUnit
from theodoi.progress.selectors.tasks import plan_summary
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


def test_every_share_stated_is_its_part_over_its_whole(q1):
    _, doc, _ = q1
    text = _text(doc)
    shares = re.findall(rf"({NUM})/({NUM})[^()\n]{{0,20}}\((\d+(?:,\d+)?)%\)", text)
    assert len(shares) >= 10
    for part, whole, percent in shares:
        expected = share_percent(parse_number(part), parse_number(whole))
        assert parse_number(percent) == expected, (part, whole, percent)


def test_task_counts_stated_add_up_and_match_the_summary(q1, dataset):
    _, doc, _ = q1
    text = _text(doc)
    m = re.search(
        rf"Được giao ({NUM}) nhiệm vụ và ({NUM}) chỉ tiêu; hoàn thành ({NUM}) nhiệm vụ/({NUM}) "
        rf"chỉ tiêu.*?, trong hạn ({NUM}) nhiệm vụ/({NUM}) chỉ tiêu, quá hạn ({NUM}) nhiệm vụ/"
        rf"({NUM}) chỉ tiêu, chưa triển khai ({NUM}) nhiệm vụ(?:; ({NUM}) chỉ tiêu chưa có)?",
        text,
    )
    assert m is not None
    n = [int(parse_number(g)) if g else 0 for g in m.groups()]
    tasks, indicators = n[0], n[1]
    assert n[2] + n[4] + n[6] + n[8] == tasks
    assert n[3] + n[5] + n[7] + n[9] == indicators
    summary = plan_summary(plan=dataset, as_of=parse_period("2026-Q1").end, user=None)
    assert tasks == summary["tasks"]["total"] and n[6] == summary["tasks"]["overdue"]


def test_dossier_figures_add_up(q1):
    snapshot, doc, _ = q1
    figures = {k: Decimal(v) for k, v in snapshot["tthc"]["figures"].items()}
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
        "Kết quả kỳ này",
        "Đánh giá",
    ]
    assert len(indicators_table.rows) - 1 == dataset.indicators.count()


def test_empty_sections_say_so(dataset):
    unit = OrgUnit.objects.get(code="CATHAI")
    snapshot = report_build(unit=unit, period=parse_period("2024-Q1"), plans=[dataset], user=None)
    text = "\n".join(p for s in snapshot["sections"] for b in s["blocks"] for p in b["paragraphs"])
    assert "chưa ghi nhận văn bản" in text
    assert "Chưa có số liệu về thủ tục hành chính" in text
    assert "Không có kiến nghị, đề xuất" in text


def test_dossiers_per_information_system_are_reported_when_present(dataset, django_user_model):
    from theodoi.progress.models import DataElement, DataValue, Period

    user = django_user_model.objects.create(username="nhap-so-lieu")
    unit = OrgUnit.objects.get(code="CATHAI")
    period = Period.objects.get(code="2026-Q1")
    received = DataElement.objects.get(code="dossiers.received")
    online = DataElement.objects.get(code="dossiers.online")
    for breakdown, total, web in (("city_system", 900, 880), ("ministry_systems", 300, 290)):
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
    text = "\n".join(snapshot["tthc"]["paragraphs"])
    assert (
        "Trên hệ thống thông tin giải quyết thủ tục hành chính của thành phố: tổng số hồ "
        "sơ tiếp nhận: 900 hồ sơ, trong đó tiếp nhận trực tuyến 880/900 hồ sơ (97,78%)" in text
    )
    assert "Trên các hệ thống của bộ, ngành: tổng số hồ sơ tiếp nhận: 300 hồ sơ" in text
    assert snapshot["tthc"]["by_system"]["ministry_systems"]["dossiers.online"] == "290.0000"
