"""Excel templates, exports and import, as a user runs them: `theodoi template|export|import`.

Workbooks are written by the commands, edited with openpyxl as a spreadsheet would, and
imported back; expectations come from the cells edited and from the database before import.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from theodoi.bench.excel_import import bench_rows, entry_pairs
from theodoi.cli import main
from theodoi.documents.models import Document
from theodoi.domain.rules import check
from theodoi.exchange.excel import reader
from theodoi.orgs.models import OrgUnit
from theodoi.plans.models import Indicator, IndicatorTarget, Plan, Task, TaskGroup
from theodoi.progress.models import DataElement, DataValue, Period, Submission, TaskUpdate
from theodoi.progress.selectors.figures import active_rules

PLAN = "96/KH-UBND"
REASON = "Nhập từ Excel"
TRACKED = [
    Document,
    Plan,
    TaskGroup,
    Task,
    Indicator,
    IndicatorTarget,
    DataElement,
    DataValue,
    TaskUpdate,
    Submission,
    Period,
]


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def history_rows() -> int:
    return sum(model.history.count() for model in TRACKED)


def column(sheet, header: str) -> int:
    """The 1-based column whose header starts with ``header``."""
    for cell in sheet[1]:
        if str(cell.value or "").startswith(header):
            return cell.column
    raise AssertionError(f"no column {header!r}")


def row_of(sheet, code: str, key_header: str) -> int:
    key = column(sheet, key_header)
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=key).value == code:
            return row
    raise AssertionError(f"no row {code!r}")


def set_cell(book, sheet_name: str, code: str, key_header: str, header: str, value) -> str:
    """Write ``value`` in the row of ``code``; returns the cell reference (e.g. "I7")."""
    sheet = book[sheet_name]
    cell = sheet.cell(row=row_of(sheet, code, key_header), column=column(sheet, header))
    cell.value = value
    return cell.coordinate


def append_row(book, sheet_name: str, values: dict[str, object]) -> int:
    sheet = book[sheet_name]
    row = sheet.max_row + 1
    for header, value in values.items():
        sheet.cell(row=row, column=column(sheet, header), value=value)
    return row


@pytest.fixture
def admin(dataset):
    return get_user_model().objects.get(username="quantri")


@pytest.fixture
def plan_xlsx(dataset, capsys, tmp_path):
    path = tmp_path / "ke-hoach.xlsx"
    code, _, _ = run(capsys, "export", "plan", "--plan", PLAN, "--out", path)
    assert code == 0
    return path


# --- Plans: export → edit → import ------------------------------------------------------------


def test_plan_exported_edited_and_imported_changes_exactly_the_edited_cells(
    plan_xlsx, admin, capsys, tmp_path
):
    task = Task.objects.get(plan__document__symbol=PLAN, code="1.1")
    indicator = Indicator.objects.get(plan__document__symbol=PLAN, code="PL1.I.1")
    new_output = "Báo cáo kết quả tuyên truyền"
    new_name = indicator.name + " (đã rà soát)"
    assert task.output != new_output
    book = openpyxl.load_workbook(plan_xlsx)
    set_cell(book, "Nhiệm vụ", "1.1", "Mã nhiệm vụ", "Sản phẩm đầu ra", new_output)
    set_cell(book, "Chỉ tiêu", "PL1.I.1", "Mã chỉ tiêu", "Tên chỉ tiêu", new_name)
    edited = tmp_path / "ke-hoach-da-sua.xlsx"
    book.save(edited)
    before = history_rows()
    task_history, indicator_history = task.history.count(), indicator.history.count()

    code, out, err = run(capsys, "import", edited, "--as", "quantri")

    assert code == 0, err
    assert "Nhiệm vụ: 0 tạo mới, 1 thay đổi" in out
    assert "Chỉ tiêu: 0 tạo mới, 1 thay đổi" in out
    old_output = f"“{task.output}”" if task.output else "(trống)"
    assert f"Sản phẩm đầu ra: {old_output} → “{new_output}”" in out
    assert f"Tên chỉ tiêu: “{indicator.name}” → “{new_name}”" in out
    assert history_rows() == before + 2  # one history row per edited cell, nothing else
    task.refresh_from_db()
    indicator.refresh_from_db()
    assert task.output == new_output and indicator.name == new_name
    for obj, count, field in (
        (task, task_history, "output"),
        (indicator, indicator_history, "name"),
    ):
        assert obj.history.count() == count + 1
        latest = obj.history.latest()
        assert latest.history_user == admin
        assert latest.history_change_reason == f"{REASON} {edited.name}"
        assert [c.field for c in latest.diff_against(latest.prev_record).changes] == [field]

    code, out, _ = run(capsys, "import", edited, "--as", "quantri")
    assert code == 0
    assert "Không có gì thay đổi" in out
    assert history_rows() == before + 2


def test_exported_plan_imports_back_without_any_change(plan_xlsx, capsys):
    before = history_rows()
    code, out, _ = run(capsys, "import", plan_xlsx)
    plan = Plan.objects.get(document__symbol=PLAN)
    assert code == 0
    assert f"Nhiệm vụ: 0 tạo mới, 0 thay đổi, {plan.tasks.count()} không đổi" in out
    targets = IndicatorTarget.objects.filter(indicator__plan=plan, adjusted_by=None).count()
    assert f"Mục tiêu: 0 tạo mới, 0 thay đổi, {targets} không đổi" in out
    assert history_rows() == before


def test_workbook_with_errors_is_rejected_whole_with_messages_naming_the_cells(
    plan_xlsx, capsys, tmp_path
):
    book = openpyxl.load_workbook(plan_xlsx)
    valid = set_cell(book, "Nhiệm vụ", "1.1", "Mã nhiệm vụ", "Sản phẩm đầu ra", "Quy chế")
    bad_date = set_cell(book, "Nhiệm vụ", "1.2", "Mã nhiệm vụ", "Thời hạn", "31/02/2026")
    unknown = set_cell(book, "Nhiệm vụ", "1.3", "Mã nhiệm vụ", "Cơ quan chủ trì", "Sở Du lịch")
    year_row = append_row(
        book, "Mục tiêu", {"Mã chỉ tiêu": "PL1.I.1", "Mốc năm": "năm sau", "Mục tiêu": "≥ 90%"}
    )
    path = tmp_path / "loi.xlsx"
    book.save(path)
    before = history_rows()

    code, _, err = run(capsys, "import", path, "--as", "quantri")

    assert code == 2
    assert history_rows() == before
    assert Task.objects.get(plan__document__symbol=PLAN, code="1.1").output != "Quy chế"
    assert valid not in err
    row = bad_date[1:]
    assert (
        f"Trang “Nhiệm vụ”, dòng {row}, cột “Thời hạn” ({bad_date}): “31/02/2026” không phải "
        "ngày hợp lệ (dd/mm/yyyy)." in err
    )
    assert (
        f"Trang “Nhiệm vụ”, dòng {unknown[1:]}, cột “Cơ quan chủ trì” ({unknown}): “Sở Du lịch”"
        in err
    )
    assert f"Trang “Mục tiêu”, dòng {year_row}, cột “Mốc năm” (B{year_row}): “năm sau”" in err
    assert "không có gì được ghi" in err


def test_close_unit_name_is_suggested_and_applied_only_when_accepted(plan_xlsx, capsys, tmp_path):
    book = openpyxl.load_workbook(plan_xlsx)
    typo = "Phòng Kinh tê đặc khuu"  # alias “Phòng Kinh tế đặc khu”, mistyped
    ref = set_cell(book, "Nhiệm vụ", "1.2", "Mã nhiệm vụ", "Cơ quan chủ trì", typo)
    path = tmp_path / "goi-y.xlsx"
    book.save(path)
    economy = OrgUnit.objects.get(code="CATHAI-KT")

    code, _, err = run(capsys, "import", path, "--as", "quantri")

    assert code == 2
    assert f"({ref}): “{typo}” không khớp đúng tên đơn vị nào; gợi ý: “Phòng Kinh tế" in err
    assert "(điểm " in err and "--accept-suggestions" in err
    assert Task.objects.get(plan__document__symbol=PLAN, code="1.2").lead_unit != economy

    code, out, err = run(capsys, "import", path, "--as", "quantri", "--accept-suggestions")

    assert code == 0, err
    assert f"“{typo}” → “Phòng Kinh tế (CATHAI-KT)” (điểm" in out
    assert Task.objects.get(plan__document__symbol=PLAN, code="1.2").lead_unit == economy


def test_dry_run_previews_old_and_new_values_and_writes_nothing(plan_xlsx, capsys, tmp_path):
    target = IndicatorTarget.objects.get(
        indicator__plan__document__symbol=PLAN, indicator__code="PL1.I.1", year=2030
    )
    book = openpyxl.load_workbook(plan_xlsx)
    sheet = book["Mục tiêu"]
    row = next(
        r
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(r, 1).value == "PL1.I.1" and sheet.cell(r, 2).value == 2030
    )
    sheet.cell(row, 3).value = "≥ 80%"
    path = tmp_path / "thu.xlsx"
    book.save(path)
    before = history_rows()

    code, out, _ = run(capsys, "import", path, "--dry-run", "--as", "quantri")

    assert code == 0
    assert "Mục tiêu: 0 tạo mới, 1 thay đổi" in out
    assert f"Mục tiêu (như kế hoạch ghi): “{target.text}” → “≥ 80%”" in out
    assert "Nhập thử: không có gì được ghi" in out
    assert history_rows() == before
    target.refresh_from_db()
    assert target.text != "≥ 80%"


def test_new_plan_is_created_from_the_blank_template(dataset, capsys, tmp_path):
    path = tmp_path / "moi.xlsx"
    assert run(capsys, "template", "plan", "--out", path)[0] == 0
    book = openpyxl.load_workbook(path)
    append_row(
        book,
        "Kế hoạch",
        {
            "Số, ký hiệu": "15/KH-UBND",
            "Ngày ban hành": dt.date(2026, 2, 3),
            "Tên kế hoạch": "Kế hoạch chuyển đổi số năm 2026",
            "Đơn vị ban hành": "UBND đặc khu Cát Hải",
        },
    )
    append_row(book, "Nhóm", {"Mã nhóm": "I", "Tên nhóm": "Hạ tầng số"})
    append_row(
        book,
        "Nhiệm vụ",
        {
            "Mã nhiệm vụ": "1",
            "Nhóm": "I",
            "Nội dung nhiệm vụ": "Phủ sóng 4G toàn bộ các thôn",
            "Cơ quan chủ trì": "Phòng VHXH",
            "Cơ quan phối hợp": "Phòng Kinh tế; Công an đặc khu",
            "Thời hạn": "Quý II/2026",
        },
    )
    append_row(
        book,
        "Chỉ tiêu",
        {"Mã chỉ tiêu": "CT1", "Nhóm": "I", "Tên chỉ tiêu": "Tỷ lệ thôn có 4G", "Đơn vị tính": "%"},
    )
    append_row(book, "Mục tiêu", {"Mã chỉ tiêu": "CT1", "Mốc năm": 2026, "Mục tiêu": "100%"})
    book.save(path)
    from theodoi.notify.models import Kind, Notification

    # a dry run writes nothing and tells no one
    assert run(capsys, "import", path, "--dry-run", "--as", "quantri")[0] == 0
    assert not Notification.objects.filter(kind=Kind.ASSIGNED).exists()

    code, out, err = run(capsys, "import", path, "--as", "quantri")

    assert code == 0, err
    plan = Plan.objects.get(document__symbol="15/KH-UBND")
    assert plan.document.issued_on == dt.date(2026, 2, 3) and plan.owner_unit.code == "CATHAI"
    task = plan.tasks.get(code="1")
    assert task.lead_unit.code == "CATHAI-VHXH" and task.deadline_date == dt.date(2026, 6, 30)
    assert {u.code for u in task.coordinating_units.all()} == {"CATHAI-KT", "CATHAI-CA"}
    indicator = plan.indicators.get(code="CT1")
    assert indicator.data_element is not None
    assert indicator.targets.get(year=2026).value == 100
    assert "Nhiệm vụ: 1 tạo mới" in out
    # the lead unit is told what the new plan gives it, and nobody else
    told = Notification.objects.filter(kind=Kind.ASSIGNED)
    assert told.exists()
    units = {m.org_unit.code for n in told for m in n.recipient.memberships.all()}
    assert units == {"CATHAI-VHXH"}
    assert all("15/KH-UBND" in n.title and "1 nhiệm vụ" in n.title for n in told)


# --- Progress ---------------------------------------------------------------------------------


def _progress_template(capsys, tmp_path, unit="CATHAI-VHXH", period="2026-Q1"):
    path = tmp_path / f"tien-do-{unit}.xlsx"
    code, _, err = run(
        capsys, "template", "progress", "--unit", unit, "--period", period, "--out", path
    )
    assert code == 0, err
    return path


def _fill(book, code, state, percent=None, done=None, results=None):
    fill = {"Tình hình thực hiện": state, "Tiến độ (%)": percent, "Ngày hoàn thành": done}
    fill["Kết quả thực hiện"] = results
    for header, value in fill.items():
        set_cell(book, "Tiến độ", code, "Mã nhiệm vụ", header, value)


def _vhxh_codes(book) -> list[str]:
    sheet = book["Tiến độ"]
    return [sheet.cell(r, 2).value for r in range(2, sheet.max_row + 1) if sheet.cell(r, 2).value]


def test_unit_reporter_imports_progress_for_an_open_period(dataset, capsys, tmp_path):
    reporter = get_user_model().objects.get(username="vhxh.baocao")
    book = openpyxl.load_workbook(_progress_template(capsys, tmp_path))
    first, second = _vhxh_codes(book)[:2]
    _fill(book, first, "Đang thực hiện", 60, results="Đã tổ chức 3 lớp tập huấn.")
    _fill(book, second, "Đã hoàn thành", None, dt.date(2026, 3, 10), "Đã ban hành kế hoạch.")
    path = tmp_path / "tien-do.xlsx"
    book.save(path)

    code, out, err = run(capsys, "import", path, "--as", "vhxh.baocao")

    assert code == 0, err
    assert "Tiến độ: 2 tạo mới" in out
    updates = TaskUpdate.objects.filter(period__code="2026-Q1", task__code__in=[first, second])
    by_code = {u.task.code: u for u in updates}
    assert by_code[first].progress_percent == 60 and by_code[first].state == "draft"
    assert by_code[second].completion_date == dt.date(2026, 3, 10)
    assert by_code[second].progress_percent == 100
    assert by_code[second].history.latest().history_user == reporter
    before = history_rows()
    code, out, _ = run(capsys, "import", path, "--as", "vhxh.baocao")
    assert code == 0 and "Tiến độ: 0 tạo mới, 0 thay đổi, 2 không đổi" in out
    assert history_rows() == before


def test_progress_errors_name_the_cells_and_nothing_is_written(dataset, capsys, tmp_path):
    book = openpyxl.load_workbook(_progress_template(capsys, tmp_path))
    ok, over, undated, bad_date, text = _vhxh_codes(book)[:5]
    _fill(book, ok, "Đang thực hiện", 50, results="Đang làm.")
    over_ref = set_cell(book, "Tiến độ", over, "Mã nhiệm vụ", "Tiến độ (%)", 150)
    set_cell(book, "Tiến độ", over, "Mã nhiệm vụ", "Tình hình thực hiện", "Đang thực hiện")
    _fill(book, undated, "Đã hoàn thành", None, None, "Xong.")
    _fill(book, bad_date, "Đã hoàn thành", None, "31/02/2026", "Xong.")
    _fill(book, text, "Đang thực hiện", "một nửa", results="Đang làm.")
    path = tmp_path / "tien-do-loi.xlsx"
    book.save(path)
    sheet = book["Tiến độ"]
    date_column = openpyxl.utils.get_column_letter(column(sheet, "Ngày hoàn thành"))
    percent_column = openpyxl.utils.get_column_letter(column(sheet, "Tiến độ (%)"))
    before = history_rows()

    code, _, err = run(capsys, "import", path, "--as", "vhxh.baocao")

    assert code == 2
    assert history_rows() == before
    assert not TaskUpdate.objects.filter(period__code="2026-Q1", task__code=ok).exists()
    over_row, undated_row = over_ref[1:], row_of(sheet, undated, "Mã nhiệm vụ")
    assert f"dòng {over_row}, cột “Tiến độ (%)” ({over_ref}): “150” vượt quá giới hạn" in err
    assert (
        f"dòng {undated_row}, cột “Ngày hoàn thành” ({date_column}{undated_row}): ô trống: "
        "nhiệm vụ đã hoàn thành phải có ngày hoàn thành." in err
    )
    bad_row = row_of(sheet, bad_date, "Mã nhiệm vụ")
    assert f"({date_column}{bad_row}): “31/02/2026” không phải ngày hợp lệ (dd/mm/yyyy)." in err
    text_row = row_of(sheet, text, "Mã nhiệm vụ")
    assert f"({percent_column}{text_row}): “một nửa” không phải số" in err
    assert err.count("Trang “Tiến độ”") == 4


def test_progress_import_touching_a_locked_period_is_refused_whole(dataset, capsys, tmp_path):
    zone = OrgUnit.objects.get(code="CATHAI")
    assert Submission.objects.get(org_unit=zone, period__code="2026-Q1").state == "approved"
    book = openpyxl.load_workbook(_progress_template(capsys, tmp_path))
    open_code = _vhxh_codes(book)[0]
    _fill(book, open_code, "Đang thực hiện", 40, results="Đang làm.")
    locked_task = Task.objects.get(plan__document__symbol=PLAN, code="1.2")
    assert locked_task.reporting_unit == zone
    row = append_row(
        book,
        "Tiến độ",
        {
            "Kế hoạch": PLAN,
            "Mã nhiệm vụ": "1.2",
            "Tình hình thực hiện": "Đang thực hiện",
            "Tiến độ (%)": 80,
            "Kết quả thực hiện": "Sửa sau khi đã duyệt.",
        },
    )
    path = tmp_path / "khoa.xlsx"
    book.save(path)
    before = history_rows()

    code, _, err = run(capsys, "import", path, "--as", "quantri")

    assert code == 2
    assert f"Trang “Tiến độ”, dòng {row}, cột “Mã nhiệm vụ” (B{row}): “1.2” không lưu được" in err
    assert "Đã phê duyệt" in err and "mở khóa" in err
    assert history_rows() == before
    assert not TaskUpdate.objects.filter(period__code="2026-Q1", task__code=open_code).exists()


def test_reporter_cannot_import_another_units_progress(dataset, capsys, tmp_path):
    book = openpyxl.load_workbook(_progress_template(capsys, tmp_path))
    code_ = _vhxh_codes(book)[0]
    _fill(book, code_, "Đang thực hiện", 40, results="Đang làm.")
    path = tmp_path / "khac-don-vi.xlsx"
    book.save(path)
    before = history_rows()

    code, _, err = run(capsys, "import", path, "--as", "tthcc.baocao")

    assert code == 2
    assert "Bạn không có quyền nhập tiến độ của Phòng Văn hóa - Xã hội" in err
    assert history_rows() == before


# --- Figures ----------------------------------------------------------------------------------


def test_figures_are_saved_through_the_service_and_checked_against_the_rules(
    dataset, capsys, tmp_path
):
    reporter = get_user_model().objects.get(username="tthcc.baocao")
    path = tmp_path / "so-lieu.xlsx"
    code, _, _ = run(
        capsys, "template", "values", "--unit", "CATHAI-TTHCC", "--period", "2026-Q1", "--out", path
    )
    assert code == 0
    book = openpyxl.load_workbook(path)
    figures = {"dossiers.received": 1000, "dossiers.online": "950", "dossiers.direct": 40}
    for element, value in figures.items():
        set_cell(book, "Số liệu", element, "Số liệu", "Giá trị", value)
    set_cell(book, "Số liệu", "dossiers.received", "Số liệu", "Ghi chú", "Theo Cổng DVC")
    book.save(path)

    code, out, err = run(capsys, "import", path, "--as", "tthcc.baocao")

    assert code == 0, err
    zone = OrgUnit.objects.get(code="CATHAI")
    stored = {
        v.element.code: v
        for v in DataValue.objects.filter(
            org_unit=zone, period__code="2026-Q1", element__code__in=figures
        )
    }
    assert {c: v.value for c, v in stored.items()} == {c: Decimal(v) for c, v in figures.items()}
    assert all(v.entered_by == reporter and not v.is_illustrative for v in stored.values())
    assert stored["dossiers.received"].comment == "Theo Cổng DVC"
    # 950 + 40 ≠ 1000: saved, and the rule is reported
    assert (
        "Hồ sơ tiếp nhận trực tuyến cộng trực tiếp (990) phải bằng tổng hồ sơ tiếp nhận (1.000)"
        in out
    )
    before = history_rows()
    code, out, _ = run(capsys, "import", path, "--as", "tthcc.baocao")
    assert code == 0 and "Số liệu: 0 tạo mới, 0 thay đổi, 3 không đổi" in out
    assert history_rows() == before


def test_a_percentage_with_decimals_imports(dataset, capsys, tmp_path):
    """The 5G coverage indicator is a share of the population (“% dân số”): 73,4 imports."""
    path = tmp_path / "so-lieu.xlsx"
    run(capsys, "template", "values", "--unit", "CATHAI-VHXH", "--period", "2026-Q1", "--out", path)
    book = openpyxl.load_workbook(path)
    code = "indicator.96/kh-ubnd.PL1.II.3"
    set_cell(book, "Số liệu", code, "Số liệu", "Giá trị", "73,4")
    book.save(path)

    status, _, err = run(capsys, "import", path, "--as", "vhxh.baocao")

    assert status == 0, err
    value = DataValue.objects.get(element__code=code, period__code="2026-Q1")
    assert value.value == Decimal("73.4")


def test_figure_errors_name_the_cells(dataset, capsys, tmp_path):
    path = tmp_path / "so-lieu.xlsx"
    run(
        capsys, "template", "values", "--unit", "CATHAI-TTHCC", "--period", "2026-Q1", "--out", path
    )
    book = openpyxl.load_workbook(path)
    negative = set_cell(book, "Số liệu", "dossiers.received", "Số liệu", "Giá trị", -5)
    fraction = set_cell(book, "Số liệu", "dossiers.online", "Số liệu", "Giá trị", "12,5")
    rate = set_cell(book, "Số liệu", "indicator.96/kh-ubnd.PL1.I.1", "Số liệu", "Giá trị", 120)
    unknown_row = append_row(
        book,
        "Số liệu",
        {"Đơn vị": "Xã Không Có", "Số liệu": "dossiers.direct", "Kỳ": "2026-Q5", "Giá trị": 1},
    )
    typo = "Hồ sơ tiếp nhận trực tuyếnn"
    typo_row = append_row(
        book, "Số liệu", {"Đơn vị": "CATHAI", "Số liệu": typo, "Kỳ": "2026-Q1", "Giá trị": 9}
    )
    book.save(path)

    code, _, err = run(capsys, "import", path, "--as", "tthcc.baocao")

    assert code == 2
    assert f"({negative}): “-5” không hợp lệ: Số liệu không được âm." in err
    whole = "Số liệu này đếm số lượng nên phải là số nguyên."
    assert f"({fraction}): “12,5” không hợp lệ: {whole}" in err
    assert f"({rate}): “120” không hợp lệ: Tỷ lệ không được vượt quá 100%." in err
    assert f"(A{unknown_row}): “Xã Không Có” không có đơn vị nào có mã hoặc tên như vậy." in err
    assert f"(C{unknown_row}): “2026-Q5” không phải kỳ báo cáo hợp lệ" in err
    assert (
        f"(B{typo_row}): “{typo}” không khớp đúng tên số liệu nào; gợi ý: "
        "“Hồ sơ tiếp nhận trực tuyến (dossiers.online)” (điểm" in err
    )


def test_exported_period_figures_import_back_unchanged(dataset, capsys, tmp_path):
    path = tmp_path / "ky.xlsx"
    assert run(capsys, "export", "values", "--period", "2025", "--out", path)[0] == 0
    stored = DataValue.objects.filter(period__code="2025").count()
    before = history_rows()

    code, out, err = run(capsys, "import", path, "--as", "quantri")

    assert code == 0, err
    assert f"Số liệu: 0 tạo mới, 0 thay đổi, {stored} không đổi" in out
    assert history_rows() == before


# --- Files ------------------------------------------------------------------------------------


def test_csv_export_is_utf8_with_bom_and_keeps_vietnamese(plan_xlsx, capsys, tmp_path):
    code, _, _ = run(capsys, "export", "plan", "--plan", PLAN, "--out", tmp_path / "kh.csv")
    assert code == 0
    content = (tmp_path / "kh-nhiem-vu.csv").read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    task = Task.objects.get(plan__document__symbol=PLAN, code="1.1")
    assert rows[0][:3] == ["Mã nhiệm vụ", "Nhóm", "Nội dung nhiệm vụ"]
    assert ["1.1", task.group.code, task.title] == rows[1][:3]
    for name in ("kh-ke-hoach", "kh-nhom", "kh-chi-tieu", "kh-muc-tieu"):
        assert (tmp_path / f"{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf")

    code, _, _ = run(capsys, "export", "values", "--period", "2025", "--out", tmp_path / "v.csv")
    assert code == 0
    content = (tmp_path / "v.csv").read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    header, *rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    assert header[:4] == ["Đơn vị (mã hoặc tên)", "Số liệu (mã hoặc tên)", "Kỳ", "Giá trị"]
    name = header.index("Tên số liệu (chỉ để đọc)")
    stored = DataValue.objects.filter(period__code="2025").select_related("element", "org_unit")
    assert sorted((r[0], r[1], r[name]) for r in rows) == sorted(
        (v.org_unit.code, v.element.code, v.element.name) for v in stored
    )


def test_template_has_vietnamese_instructions_dropdowns_and_its_kind(dataset, capsys, tmp_path):
    path = _progress_template(capsys, tmp_path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "Hướng dẫn"
    assert "theodoi import" in " ".join(str(c.value) for c in book["Hướng dẫn"]["A"])
    assert book["_theodoi"].sheet_state == "hidden"
    meta = {r[0]: r[1] for r in book["_theodoi"].iter_rows(values_only=True)}
    assert meta["kind"] == "progress" and meta["period"] == "2026-Q1"
    assert meta["unit"] == "CATHAI-VHXH"
    validations = book["Tiến độ"].data_validations.dataValidation
    lists = [v.formula1 for v in validations if v.type == "list"]
    assert any("Danh mục" in f for f in lists)
    states = [c.value for c in book["Danh mục"]["C"][1:] if c.value]
    assert states == ["Chưa triển khai", "Đang thực hiện", "Đã hoàn thành"]

    values = tmp_path / "so-lieu.xlsx"
    run(capsys, "template", "values", "--period", "2026-Q1", "--out", values)
    sheet = openpyxl.load_workbook(values)["Số liệu"]
    listed = {
        (v.formula1, str(v.sqref).split(":")[0]) for v in sheet.data_validations.dataValidation
    }
    assert {cell for _, cell in listed} >= {"A2", "B2", "C2"}  # units, elements, periods


def test_import_reads_the_workbook_with_calamine(plan_xlsx, capsys, monkeypatch):
    opened = []
    real = reader.CalamineWorkbook

    class Spy:
        @staticmethod
        def from_path(path, *args, **kwargs):
            opened.append(path)
            return real.from_path(path, *args, **kwargs)

    monkeypatch.setattr(reader, "CalamineWorkbook", Spy)
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("openpyxl read"))

    code, _, _ = run(capsys, "import", plan_xlsx, "--dry-run")

    assert code == 0
    assert opened == [str(plan_xlsx)]


def test_unreadable_file_is_a_vietnamese_error(dataset, capsys, tmp_path):
    path = tmp_path / "khong-phai.xlsx"
    path.write_text("không phải bảng tính", encoding="utf-8")
    code, _, err = run(capsys, "import", path)
    assert code == 2 and "Không đọc được tệp “khong-phai.xlsx”" in err


# --- Bench ------------------------------------------------------------------------------------


def test_bench_workbook_is_deterministic_and_consistent_with_the_rules(dataset):
    today = dt.date(2026, 11, 23)
    rows = bench_rows(1000, today=today)
    assert rows == bench_rows(1000, today=today)
    assert len(rows) == 1000
    entered = {(e.code, a.code) for e, a in entry_pairs()}
    assert {(r["element"], r["unit"]) for r in rows} <= entered
    by_period: dict[tuple[str, str], dict[str, Decimal]] = {}
    for row in rows:
        by_period.setdefault((row["unit"], row["period"]), {})[row["element"]] = row["value"]
    complete = [v for v in by_period.values() if len(v) == len(entered)]
    assert complete
    for values in complete:
        assert check(active_rules(), values) == []


def test_bench_import_prints_rows_per_second(dataset, capsys):
    code, out, err = run(capsys, "bench", "import", "--rows", "80", "--current-db")
    assert code == 0, err
    assert out.count("dòng/giây") == 2
    assert "nhập thử (--dry-run)" in out and "nhập thật" in out
    assert "data_values_save theo nhóm" in out
    assert out.count("0 cảnh báo quy tắc") == 2  # the generated figures agree with the rules
    import re

    assert len(re.findall(r" \d+,\d s ", out)) == 2, out  # seconds with a decimal comma


def _figures_file(path, rows: list[tuple[str, str, str, object]]):
    """A figures workbook from the blank template with ``rows`` (unit, element, period, value)."""
    book = openpyxl.load_workbook(path)
    sheet = book["Số liệu"]
    sheet.delete_rows(2, sheet.max_row)
    for unit, element, period, value in rows:
        append_row(
            book,
            "Số liệu",
            {"Đơn vị": unit, "Số liệu": element, "Kỳ": period, "Giá trị": value},
        )
    book.save(path)
    return path


@pytest.mark.parametrize("grouped", [False, True])
def test_figures_for_an_approved_period_are_refused_whole(
    dataset, admin, capsys, tmp_path, grouped
):
    from theodoi.exchange.excel.importer import import_workbook

    office = OrgUnit.objects.get(code="CATHAI-VHXH")
    locked_element = "indicator.96/kh-ubnd.PL1.II.2"  # the office leads this indicator
    assert Submission.objects.get(org_unit=office, period__code="2025-Q4").is_locked
    path = tmp_path / "so-lieu.xlsx"
    run(capsys, "template", "values", "--period", "2026-03", "--out", path)
    _figures_file(
        path,
        [
            ("CATHAI", "procedures.total", "2026-03", 400),  # open: would be written
            ("CATHAI", locked_element, "2025-Q4", 55),  # the office's approved period
        ],
    )
    before = history_rows()

    result = import_workbook(path, user=admin, grouped=grouped)

    assert not result.ok
    assert len(result.errors) == 1
    assert result.errors[0].startswith("Trang “Số liệu”, dòng 3, cột “Kỳ” (C3): “2025-Q4”")
    assert "Đã phê duyệt" in result.errors[0]
    assert history_rows() == before
    assert not DataValue.objects.filter(period__code="2026-03").exists()


def test_grouped_path_writes_what_the_service_path_writes(dataset, admin, tmp_path):
    from theodoi.bench.excel_import import bench_workbook
    from theodoi.exchange.excel.importer import import_workbook

    path = tmp_path / "bench.xlsx"
    path.write_bytes(bench_workbook(150, today=dt.date(2026, 11, 23)))
    written = {}
    for grouped in (False, True):
        result = import_workbook(path, user=admin, grouped=grouped, dry_run=True)
        assert result.ok, result.errors
        written[grouped] = result.tallies["Số liệu"]
    assert written[False] == written[True]
    assert written[True].created == 150

    result = import_workbook(path, user=admin, grouped=True)
    values = DataValue.objects.filter(entered_by=admin, period__code__in=["2026-11", "2026-10"])
    assert result.ok and values.exists()
    assert all(v.reporting_unit is not None and not v.is_illustrative for v in values)
    # Each unit's figures for a period go through the service together (its checks once),
    # each with its own history row saying who and why.
    records = [v.history.latest() for v in values]
    assert len(records) == values.count()
    assert {r.history_user for r in records} == {admin}
    assert {r.history_change_reason for r in records} == {f"{REASON} {path.name}"}


def test_progress_and_figures_need_the_importing_user(dataset, capsys, tmp_path):
    path = _progress_template(capsys, tmp_path)
    book = openpyxl.load_workbook(path)
    _fill(book, _vhxh_codes(book)[0], "Đang thực hiện", 10, results="Bắt đầu.")
    book.save(path)
    code, _, err = run(capsys, "import", path)
    assert code == 2 and "--as TÊN_ĐĂNG_NHẬP" in err
    code, _, err = run(capsys, "import", path, "--as", "khong-co-ai")
    assert code == 2 and "Không có tài khoản đang hoạt động tên “khong-co-ai”" in err


def test_only_data_managers_import_plans(plan_xlsx, capsys):
    code, _, err = run(capsys, "import", plan_xlsx, "--as", "vhxh.baocao")
    assert code == 2
    assert "(D2): “Đặc khu Cát Hải” không nhập được: bạn không có quyền quản trị dữ liệu" in err
