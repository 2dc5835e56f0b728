"""Issuing freezes a report; templates, XLSX and PDF."""

from __future__ import annotations

import datetime as dt
import shutil
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from docx import Document as Docx
from openpyxl import load_workbook

from theodoi.domain.periods import parse_period
from theodoi.orgs.models import OrgUnit
from theodoi.plans.models import Task
from theodoi.progress.models import DataValue, TaskUpdate
from theodoi.reports.models import Report, ReportTemplate
from theodoi.reports.render import ReportTemplateError, render_docx, render_pdf
from theodoi.reports.services import (
    report_build,
    report_current,
    report_issue,
    report_render,
    report_rerender,
)
from theodoi.reports.template_builder import build_template

Q1 = parse_period("2026-Q1")
Q2 = parse_period("2026-Q2")
# A report is issued after its period ends, not in the future, not long ago: today does.
ISSUED_ON = timezone.localdate()


def _place_and_date(day: dt.date) -> str:
    """The office's way (Decree 30): a day under 10 and the months 1–2 with a leading zero."""
    d = f"{day.day:02d}" if day.day < 10 else str(day.day)
    m = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"Cát Hải, ngày {d} tháng {m} năm {day.year}"


@pytest.fixture
def zone(dataset):
    return OrgUnit.objects.get(code="CATHAI")


def _docx_text(data: bytes) -> str:
    doc = Docx(BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def _issue(zone, plan, number=66, period=Q1, **kwargs):
    return report_issue(
        unit=zone,
        period=period,
        plans=[plan],
        user=None,
        number=number,
        issued_on=kwargs.pop("issued_on", ISSUED_ON),
        **kwargs,
    )


def test_issued_report_carries_number_date_and_enters_the_register(zone, dataset):
    report = _issue(zone, dataset)
    assert report.symbol == "66/BC-UBND" and report.is_issued
    text = _docx_text(report.docx)
    assert "Số: 66/BC-UBND" in text
    assert _place_and_date(ISSUED_ON) in text
    assert Report.objects.filter(state="issued").count() == 1


def test_issued_report_rerenders_identically_after_the_data_changes(zone, dataset):
    report = _issue(zone, dataset)
    before = _docx_text(report.docx)
    # change the data the report used: a task's progress and a dossier figure
    update = TaskUpdate.objects.filter(
        task__plan=dataset, period__code="2026-Q1", reported_state="in_progress"
    ).first()
    update.reported_state, update.progress_percent = "completed", 100
    update.completion_date = dt.date(2026, 3, 1)
    update.save()
    value = DataValue.objects.get(
        element__code="dossiers.received", period__code="2026-Q1", org_unit=zone
    )
    value.value += 1000
    value.save()
    again = report_rerender(Report.objects.get(pk=report.pk))
    assert _docx_text(again.docx) == before
    fresh = report_build(
        unit=zone,
        period=Q1,
        plans=[dataset],
        user=None,
        number=66,
        report_date=ISSUED_ON,
    )
    assert fresh["sections"] != report.snapshot["sections"]  # the live data did change


def test_a_number_and_symbol_are_used_once_a_year(zone, dataset):
    _issue(zone, dataset)
    with pytest.raises(ValidationError, match="Số, ký hiệu 66/BC-UBND đã dùng"):
        _issue(zone, dataset, period=Q2)


def test_a_correction_is_a_new_report_referring_to_the_old(zone, dataset):
    first = _issue(zone, dataset)
    second = _issue(zone, dataset, number=70, corrects=first)
    assert second.corrects == first
    said = f"thay thế Báo cáo số 66/BC-UBND ngày {ISSUED_ON:%d/%m/%Y}"
    assert said in _docx_text(second.docx)
    first.refresh_from_db()
    assert first.snapshot["symbol"] == "66/BC-UBND"  # the old one is untouched
    assert report_current(unit=zone, period=second.period) == second


def test_a_second_report_for_the_period_must_name_the_one_it_replaces(zone, dataset):
    """66/BC-UBND and then 67/BC-UBND for the same quarter with other numbers: refused; the
    message names the report in force, which a replacement must name."""
    first = _issue(zone, dataset)
    with pytest.raises(ValidationError, match="đã có Báo cáo số 66/BC-UBND") as error:
        _issue(zone, dataset, number=67)
    assert "báo cáo thay thế" in " ".join(error.value.messages)
    second = _issue(zone, dataset, number=67, corrects=first)
    # Only the report in force can be replaced: replacing the first again is refused.
    with pytest.raises(ValidationError, match="báo cáo hiện hành"):
        _issue(zone, dataset, number=68, corrects=first)
    assert list(Report.objects.filter(state="issued").order_by("id")) == [first, second]


@pytest.mark.parametrize(
    "issued_on",
    [dt.date(1900, 1, 1), dt.date(9999, 1, 1), dt.date(2026, 3, 30)],
    ids=["1900", "9999", "before-the-period-ends"],
)
def test_an_impossible_issue_date_is_refused(zone, dataset, issued_on):
    with pytest.raises(ValidationError, match="Ngày ban hành"):
        _issue(zone, dataset, issued_on=issued_on)
    assert not Report.objects.exists()


def test_an_issued_report_cannot_be_changed_or_deleted_even_by_a_bulk_statement(zone, dataset):
    """Triggers in the database refuse UPDATE and DELETE of an issued row, whatever runs
    them: the model's own guard is not the only one."""
    report = _issue(zone, dataset)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(signer_name="Người khác")
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(docx=b"other bytes")
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=report.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM reports_report")
    stored = Report.objects.get(pk=report.pk)
    assert stored.signer_name == report.signer_name and bytes(stored.docx) == bytes(report.docx)


def test_unit_template_is_used_and_errors_say_what_and_where(zone, dataset):
    marked = _replace_text(build_template(), "{{ intro }}", "MẪU RIÊNG {{ intro }}")
    ReportTemplate.objects.create(org_unit=zone, name="Mẫu Cát Hải", content=marked)
    snapshot = report_build(unit=zone, period=Q1, plans=[dataset], user=None)
    assert "MẪU RIÊNG" in _docx_text(report_render(snapshot, unit=zone).docx)
    broken = _replace_text(build_template(), "{{ intro }}", "{{ gioi_thieu }}")
    with pytest.raises(ReportTemplateError, match="gioi_thieu"):
        render_docx(snapshot, broken, "mẫu thử")
    syntax = _replace_text(build_template(), "{{ intro }}", "{{ intro }} {% endfor %}")
    with pytest.raises(ReportTemplateError, match="sai cú pháp thẻ"):
        render_docx(snapshot, syntax, "mẫu thử")
    with pytest.raises(ReportTemplateError, match="không phải tệp Word"):
        render_docx(snapshot, b"not a docx", "mẫu hỏng")


def _replace_text(docx: bytes, old: str, new: str) -> bytes:
    doc = Docx(BytesIO(docx))
    for paragraph in doc.paragraphs:
        if old in paragraph.text:
            for run in paragraph.runs:
                run.text = run.text.replace(old, new)
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_xlsx_appendices_are_numbers_frozen_and_printable(zone, dataset):
    snapshot = report_build(unit=zone, period=Q1, plans=[dataset], user=None)
    workbook = load_workbook(BytesIO(report_render(snapshot, unit=zone).xlsx))
    tasks, indicators = workbook["Phụ lục I - Nhiệm vụ"], workbook["Phụ lục II - Chỉ tiêu"]
    assert tasks.freeze_panes == "A5" and indicators.freeze_panes == "A5"
    assert tasks.max_row - 4 == Task.objects.filter(plan=dataset).count()
    assert tasks.column_dimensions["C"].width >= 40
    assert tasks.page_setup.orientation == "landscape"
    numbers = [row[5].value for row in indicators.iter_rows(min_row=5)]
    assert any(isinstance(v, float) for v in numbers)
    percent_cells = [
        row[5]
        for row in indicators.iter_rows(min_row=5)
        if row[3].value == "%" and isinstance(row[5].value, float)
    ]
    assert percent_cells and all(
        c.number_format == "0.00%" and 0 <= c.value <= 1 for c in percent_cells
    )
    assert all(isinstance(row[0].value, int) for row in tasks.iter_rows(min_row=5))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice chưa được cài")
def test_pdf_through_libreoffice(zone, dataset):
    snapshot = report_build(unit=zone, period=Q1, plans=[dataset], user=None)
    pdf = render_pdf(report_render(snapshot, unit=zone).docx)
    assert pdf.startswith(b"%PDF") and b"/MediaBox" in pdf


def test_an_issued_report_cannot_be_changed_or_deleted(zone, dataset):
    report = _issue(zone, dataset)
    report.signer_name = "Người khác"
    with pytest.raises(ValidationError, match="không được sửa"):
        report.save()
    with pytest.raises(ValidationError, match="không được xóa"):
        report.delete()
    assert Report.objects.get(pk=report.pk).signer_name == "Vũ Hữu Vững"


def test_the_register_in_the_admin_is_read_only(zone, dataset, admin_client):
    report = _issue(zone, dataset)
    page = admin_client.get(f"/admin/reports/report/{report.pk}/change/")
    assert page.status_code == 200 and b'type="submit"' not in page.content.split(b"<form")[-1]
    assert admin_client.post(f"/admin/reports/report/{report.pk}/change/", {}).status_code == 403


def test_office_uploads_its_own_template_in_the_admin(zone, dataset, admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = _replace_text(build_template(), "{{ intro }}", "MẪU CỦA XÃ {{ intro }}")
    response = admin_client.post(
        "/admin/reports/reporttemplate/add/",
        {
            "org_unit": zone.pk,
            "name": "Mẫu 2026",
            "is_active": "on",
            "ly_do_thay_doi": "Mẫu của đặc khu năm 2026",
            "upload": SimpleUploadedFile("mau.docx", good),
        },
    )
    assert response.status_code == 302
    assert bytes(ReportTemplate.objects.get(name="Mẫu 2026").content) == good
    bad = _replace_text(build_template(), "{{ intro }}", "{{ loi_chinh_ta }}")
    response = admin_client.post(
        "/admin/reports/reporttemplate/add/",
        {
            "org_unit": zone.pk,
            "name": "Mẫu lỗi",
            "upload": SimpleUploadedFile("loi.docx", bad),
        },
    )
    assert response.status_code == 200
    assert "loi_chinh_ta" in response.content.decode()
    assert not ReportTemplate.objects.filter(name="Mẫu lỗi").exists()


def test_the_shipped_default_template_is_the_one_the_builder_makes():
    """``reports/docx/bao-cao-dinh-ky.docx`` is built by ``template_builder``; a change to the
    builder that is not written to the file would never reach a report."""
    import zipfile

    from theodoi.reports.render import DEFAULT_TEMPLATE

    def body(data: bytes) -> bytes:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            return archive.read("word/document.xml")

    assert body(DEFAULT_TEMPLATE.read_bytes()) == body(build_template())
