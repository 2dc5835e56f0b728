"""A control character pasted into a task's text never stops a report: refused at the door
(the service stores what was meant), and a stored one from before is dropped when printed."""

from __future__ import annotations

from io import BytesIO

from docx import Document as Docx
from openpyxl import load_workbook

from theodoi.domain.periods import parse_period
from theodoi.orgs.models import OrgUnit
from theodoi.progress.models import TaskUpdate
from theodoi.reports.services import report_build, report_render

PASTED = "Đã triển khai\x0bbước hai \x01xong\x7f"


def test_a_control_character_stored_before_does_not_stop_the_report(dataset):
    update = TaskUpdate.objects.filter(
        task__plan=dataset, period__code="2026-Q1", state="approved"
    ).first()
    TaskUpdate.objects.filter(pk=update.pk).update(results=PASTED, is_illustrative=False)
    zone = OrgUnit.objects.get(code="CATHAI")
    snapshot = report_build(unit=zone, period=parse_period("2026-Q1"), plans=[dataset], user=None)
    files = report_render(snapshot, unit=zone)  # neither DOCX nor XLSX raises
    text = "\n".join(
        c.text for t in Docx(BytesIO(files.docx)).tables for r in t.rows for c in r.cells
    )
    assert "Đã triển khai\nbước hai xong" in text
    sheet = load_workbook(BytesIO(files.xlsx)).worksheets[0]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert any("bước hai xong" in c for c in cells)


def test_the_service_stores_what_was_meant(dataset, django_user_model):
    from theodoi.progress.services.periods import period_ensure
    from theodoi.progress.services.updates import task_update_save

    reporter = django_user_model.objects.get(username="vhxh.baocao")
    period = period_ensure(period=parse_period("2026-Q2"), user=None)
    task = dataset.tasks.filter(lead_unit__code="CATHAI-VHXH").first()
    update = task_update_save(
        task=task,
        period=period,
        user=reporter,
        values={"reported_state": "in_progress", "progress_percent": 30, "results": PASTED},
    )
    assert update.results == "Đã triển khai\nbước hai xong"
