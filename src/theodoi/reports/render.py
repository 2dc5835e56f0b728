"""Rendering a report snapshot to DOCX (docxtpl template), XLSX (openpyxl) and PDF
(LibreOffice headless)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from theodoi.domain.text import clean_typed_text

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "docx" / "bao-cao-dinh-ky.docx"


class ReportTemplateError(ValueError):
    """The DOCX template cannot be filled; the message says what and where, in Vietnamese."""


class PdfUnavailableError(RuntimeError):
    """LibreOffice is not installed; the message says how to get it."""


def default_template() -> bytes:
    return DEFAULT_TEMPLATE.read_bytes()


def _snippet(template: DocxTemplate, lineno: int | None) -> str:
    """The visible text around the template line that failed."""
    if not lineno:
        return ""
    try:
        source = template.patch_xml(template.get_xml()).splitlines()
    except Exception:  # pragma: no cover - only to enrich the message
        return ""
    if not 0 < lineno <= len(source):
        return ""
    text = re.sub(r"<[^>]+>", "", source[lineno - 1])
    return re.sub(r"\s+", " ", text).strip()[:120]


def printable(value: Any) -> Any:
    """The snapshot with every text as a document and a spreadsheet can hold it: a control
    character stored before they were refused (pasted from Word) never stops a report."""
    if isinstance(value, str):
        return clean_typed_text(value)
    if isinstance(value, dict):
        return {key: printable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [printable(item) for item in value]
    return value


def render_docx(
    snapshot: dict[str, Any], template: bytes | None = None, template_name: str = "mẫu mặc định"
) -> bytes:
    """Fill the template with the snapshot. Unknown tags and broken tags are errors."""
    snapshot = printable(upgraded(snapshot))
    try:
        document = DocxTemplate(BytesIO(template or default_template()))
        document.init_docx()
    except Exception as exc:
        raise ReportTemplateError(
            f"Tệp mẫu “{template_name}” không phải tệp Word (DOCX) hợp lệ: {exc}"
        ) from None
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)
    try:
        document.render(snapshot, jinja_env=environment)
    except jinja2.TemplateSyntaxError as exc:
        near = _snippet(document, exc.lineno)
        raise ReportTemplateError(
            f"Mẫu “{template_name}” sai cú pháp thẻ: {exc.message}"
            + (f" (gần đoạn “{near}”)" if near else "")
            + ". Thẻ phải có dạng {{ tên }} hoặc {%p for … %} … {%p endfor %}."
        ) from None
    except jinja2.UndefinedError as exc:
        raise ReportTemplateError(
            f"Mẫu “{template_name}” dùng thẻ không có trong dữ liệu báo cáo: {exc.message}. "
            "Xem danh sách thẻ trong mẫu mặc định (theodoi report-template)."
        ) from None
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upgraded(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A snapshot frozen by an earlier version, with what later templates expect filled in as
    it was then (the national motto): an issued report renders as it was issued."""
    if "motto_lines" in snapshot.get("profile", {}):
        return snapshot
    profile = {
        **snapshot.get("profile", {}),
        "motto_lines": ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
    }
    return {**snapshot, "profile": profile}


THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _sheet(
    workbook: Workbook,
    title: str,
    heading: str,
    subtitle: str,
    columns: list[tuple[str, float]],
    rows: list[list[Any]],
    formats: dict[int, str],
):
    sheet = workbook.create_sheet(title)
    sheet.append([heading])
    sheet.append([subtitle])
    sheet.append([])
    sheet.append([name for name, _ in columns])
    last_col = get_column_letter(len(columns))
    sheet.merge_cells(f"A1:{last_col}1")
    sheet.merge_cells(f"A2:{last_col}2")
    sheet["A1"].font = Font(name="Times New Roman", bold=True, size=14)
    sheet["A2"].font = Font(name="Times New Roman", italic=True, size=12)
    for cell in (sheet["A1"], sheet["A2"]):
        cell.alignment = Alignment(horizontal="center")
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        cell = sheet.cell(row=4, column=index)
        cell.font = Font(name="Times New Roman", bold=True, size=12)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
    for values in rows:
        sheet.append(values)
        row = sheet.max_row
        for index in range(1, len(columns) + 1):
            cell = sheet.cell(row=row, column=index)
            cell.font = Font(name="Times New Roman", size=12)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = BORDER
            if index in formats:
                cell.number_format = formats[index]
    sheet.freeze_panes = "A5"
    sheet.print_title_rows = "4:4"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    return sheet


def _number(value: str | None, unit: str) -> Decimal | float | str:
    if value is None:
        return "Chưa có số liệu"
    number = Decimal(value)
    if unit.startswith("%"):
        return float(number / 100)
    return float(number)


def render_xlsx(snapshot: dict[str, Any]) -> bytes:
    """The appendices as a workbook: numbers as numbers, headers frozen, printable."""
    snapshot = printable(snapshot)
    workbook = Workbook()
    workbook.remove(workbook.active)
    attached = f"Kèm theo Báo cáo số {snapshot['symbol'].strip()} — {snapshot['period']['label']}"
    _sheet(
        workbook,
        "Phụ lục I - Nhiệm vụ",
        "PHỤ LỤC I. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ",
        attached,
        [
            ("STT", 6),
            ("Mã", 9),
            ("Nhiệm vụ", 60),
            ("Cơ quan chủ trì", 24),
            ("Cơ quan phối hợp", 24),
            ("Sản phẩm đầu ra", 18),
            ("Thời hạn", 14),
            ("Tình trạng", 18),
            ("Kết quả/ghi chú", 40),
        ],
        [
            [
                int(r["stt"]),
                r["code"],
                r["title"],
                r["lead"],
                r["coordinating"],
                r["output"],
                r["deadline"],
                r["status_label"],
                r["note"],
            ]
            for r in snapshot["task_rows"]
        ],
        {1: "0"},
    )
    _sheet(
        workbook,
        "Phụ lục II - Chỉ tiêu",
        "PHỤ LỤC II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        attached,
        [
            ("STT", 6),
            ("Mã", 10),
            ("Chỉ tiêu", 70),
            ("Đơn vị tính", 12),
            ("Mục tiêu của mốc", 20),
            ("Kết quả kỳ này", 16),
            ("Đánh giá", 22),
        ],
        [
            [
                int(r["stt"]),
                r["code"],
                r["name"],
                r["unit"],
                r["target"],
                _number(r["actual_value"], r["unit"]),
                r["status_label"],
            ]
            for r in snapshot["indicator_rows"]
        ],
        {1: "0", 6: "#,##0.##"},
    )
    sheet = workbook["Phụ lục II - Chỉ tiêu"]
    for row in sheet.iter_rows(min_row=5, min_col=4, max_col=6):
        unit_cell, _, value_cell = row
        if str(unit_cell.value or "").startswith("%") and isinstance(value_cell.value, float):
            value_cell.number_format = "0.00%"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def render_pdf(docx: bytes, *, timeout: int = 180) -> bytes:
    """Convert DOCX to PDF with LibreOffice headless."""
    binary = libreoffice()
    if binary is None:
        raise PdfUnavailableError(
            "Không tìm thấy LibreOffice để xuất PDF. Trên Debian/Ubuntu cài bằng: "
            "sudo apt-get install libreoffice-writer-nogui fonts-liberation2 — hoặc mở tệp "
            "DOCX bằng Word và chọn Lưu thành PDF."
        )
    with tempfile.TemporaryDirectory(prefix="theodoi-pdf-") as folder:
        source = Path(folder) / "bao-cao.docx"
        source.write_bytes(docx)
        profile = Path(folder) / "profile"
        command = [
            binary,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            folder,
            str(source),
        ]
        env = {**os.environ, "HOME": folder}
        result = subprocess.run(command, capture_output=True, timeout=timeout, env=env, check=False)
        target = Path(folder) / "bao-cao.pdf"
        if result.returncode != 0 or not target.exists():
            raise PdfUnavailableError(
                "LibreOffice không chuyển được báo cáo sang PDF: "
                + (result.stderr.decode(errors="replace").strip() or "không rõ lý do")
            )
        return target.read_bytes()


def sample_snapshot() -> dict[str, Any]:
    """A small report with every key a template may use, to check a template before use."""
    row = {
        "stt": "1",
        "code": "1.1",
        "title": "Nhiệm vụ mẫu",
        "lead": "Phòng Văn hóa - Xã hội",
        "coordinating": "",
        "output": "Báo cáo",
        "deadline": "Thường xuyên",
        "status": "in_progress",
        "status_label": "Đang thực hiện, trong hạn",
        "note": "",
    }
    indicator = {
        "stt": "1",
        "code": "PL2.1",
        "name": "Chỉ tiêu mẫu",
        "unit": "%",
        "target": "2030: 100%",
        "actual": "95",
        "actual_value": "95",
        "status": "on_track",
        "status_label": "Đúng lộ trình",
    }
    profile = {
        "parent_body": "",
        "issuer_lines": ["Ủy ban nhân dân", "Xã mẫu"],
        "issuer_name": "Ủy ban nhân dân xã mẫu",
        "place": "Xã mẫu",
        "symbol_suffix": "BC-UBND",
        "signing_lines": ["TM. Ủy ban nhân dân", "Chủ tịch"],
        "signer_name": "Nguyễn Văn A",
        "recipients": ["Như trên"],
        "archive_line": "Lưu: VT.",
        "motto_lines": ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
    }
    return {
        "version": 2,
        "unit": {"code": "X", "name": "Xã mẫu"},
        "profile": profile,
        "number": 1,
        "symbol": "1/BC-UBND",
        "date_line": "Xã mẫu, ngày 01 tháng 01 năm 2026",
        "report_date": "2026-01-01",
        "title": "BÁO CÁO",
        "subject": "Báo cáo mẫu",
        "period": {
            "code": "2026-Q1",
            "label": "Quý I năm 2026",
            "start": "2026-01-01",
            "end": "2026-03-31",
        },
        "as_of": "2026-03-31",
        "illustrative": False,
        "intro": "Mở đầu.",
        "sections": [
            {"title": "I. MỤC", "blocks": [{"heading": "1. Tiểu mục", "paragraphs": ["Nội dung."]}]}
        ],
        "plans": [],
        "task_rows": [row],
        "indicator_rows": [indicator],
    }


def check_template(template: bytes, name: str) -> None:
    """Raise ReportTemplateError, saying what and where, if ``template`` cannot be filled."""
    render_docx(sample_snapshot(), template, name)
