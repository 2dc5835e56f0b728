"""The `theodoi` command as a user runs it."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from theodoi.cli import main
from theodoi.plans.models import Plan
from theodoi.progress.selectors.tasks import plan_summary


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_summary_prints_the_reports_sentence(dataset, capsys):
    code, out, _ = run(capsys, "summary", "--plan", "96/KH-UBND", "--as-of", "2026-03-31")
    assert code == 0
    assert "Kế hoạch 96/KH-UBND, tính đến ngày 31/03/2026:" in out
    assert "Được giao" in out and "dữ liệu minh họa" in out


def test_summary_json_matches_the_selector(dataset, capsys):
    import datetime as dt

    code, out, _ = run(capsys, "summary", "--plan", "96/kh-ubnd", "--as-of", "31/03/2026", "--json")
    data = json.loads(out)
    plan = Plan.objects.get(document__symbol="96/KH-UBND")
    expected = plan_summary(plan=plan, as_of=dt.date(2026, 3, 31), user=None)
    assert code == 0
    assert set(data) >= {"plan", "as_of", "tasks", "indicators"}
    assert data["tasks"] == expected["tasks"] and data["indicators"] == expected["indicators"]
    assert set(data["tasks"]) == {
        "total",
        "completed_on_time",
        "completed_late",
        "in_progress",
        "overdue",
        "not_started",
    }
    assert set(data["indicators"]) == {
        "total",
        "achieved",
        "not_achieved",
        "on_track",
        "at_risk",
        "no_data",
    }


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["summary", "--plan", "999/KH-XYZ", "--as-of", "2026-03-31"], "Không tìm thấy kế hoạch"),
        (["summary", "--plan", "96/KH-UBND", "--as-of", "31/13/2026"], "31/13/2026"),
        (["summary", "--plan", "96/KH-UBND", "--unit", "xã ma"], "Không tìm thấy đơn vị"),
        (["plan", "show", "1/KH"], "Không tìm thấy kế hoạch"),
    ],
)
def test_user_errors_are_vietnamese_and_exit_2(dataset, capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert err.startswith("Lỗi: ") and message in err


def test_plan_show_json_lists_tasks_and_indicator_targets(dataset, capsys):
    code, out, _ = run(capsys, "plan", "show", "96/KH-UBND", "--json")
    data = json.loads(out)
    assert code == 0
    task = next(t for t in data["tasks"] if t["code"] == "1.1")
    assert set(task) >= {
        "code",
        "title",
        "group",
        "lead_unit",
        "coordinating_units",
        "output",
        "deadline",
    }
    indicator = next(i for i in data["indicators"] if i["code"] == "PL2.1")
    assert set(indicator) >= {"code", "name", "unit", "targets", "lead_unit"}
    assert set(indicator["targets"]) == {"2025", "2030", "2035", "2040", "2045"}
    assert set(indicator["targets"]["2030"]) >= {"comparator", "value"}


def test_units_lists_the_tree(dataset, capsys):
    code, out, _ = run(capsys, "units", "--json")
    units = json.loads(out)
    assert code == 0
    assert {"code": "CATHAI", "name": "Đặc khu Cát Hải"}.items() <= next(
        u for u in units if u["code"] == "CATHAI"
    ).items()
    _, text, _ = run(capsys, "units")
    assert "CATHAI-VHXH" in text and "Phòng Văn hóa - Xã hội" in text


def test_report_writes_docx_and_xlsx_for_a_unit_typed_without_diacritics(dataset, capsys, tmp_path):
    from docx import Document as Docx

    out, xlsx = tmp_path / "q1.docx", tmp_path / "q1.xlsx"
    code, printed, _ = run(
        capsys,
        "report",
        "--unit",
        "ubnd dac khu cat hai",
        "--period",
        "2026-Q1-cutoff",
        "--out",
        str(out),
        "--xlsx",
        str(xlsx),
    )
    assert code == 0 and out.exists() and xlsx.exists()
    assert "Đã ghi báo cáo DOCX" in printed
    text = "\n".join(p.text for p in Docx(out).paragraphs)
    assert "số liệu tính đến ngày 14/03/2026" in text


def test_report_template_can_be_exported_for_editing(db, capsys, tmp_path):
    from docx import Document as Docx

    target = tmp_path / "mau.docx"
    code, _, _ = run(capsys, "report-template", "--out", str(target))
    assert code == 0
    assert "{{ intro }}" in "\n".join(p.text for p in Docx(target).paragraphs)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--unit", "CATHAI", "--period", "2026-Q5"], "Kỳ báo cáo “2026-Q5” không đọc được"),
        (["--unit", "phòng", "--period", "2026-Q1"], "nhiều đơn vị"),
        (["--unit", "CATHAI", "--period", "2026-Q1", "--issue"], "cần --number"),
        (
            ["--unit", "CATHAI", "--period", "2026-Q1", "--outline", "khong-co"],
            "Không có dàn ý báo cáo “khong-co”",
        ),
        (
            ["--unit", "CATHAI", "--period", "2026-Q1", "--request", "9999/KHONG"],
            "9999/KHONG",
        ),
    ],
)
def test_report_errors_are_vietnamese(dataset, capsys, tmp_path, argv, message):
    code, _, err = run(capsys, "report", "--out", str(tmp_path / "x.docx"), *argv)
    assert code == 2 and message in err
    assert not (tmp_path / "x.docx").exists()


def test_outlines_lists_each_kind_of_report_with_its_sections(dataset, capsys):
    code, out, _ = run(capsys, "outlines", "--unit", "CATHAI")
    assert code == 0
    for code_name in ("bao-cao-dinh-ky-nq57", "bao-cao-kiem-tra-nq57", "bao-cao-chuyen-doi-so-nam"):
        assert code_name in out
    assert "    I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO" in out
    code, out, _ = run(capsys, "outlines", "--json")
    assert {row["code"] for row in json.loads(out)} >= {"bao-cao-kiem-tra-nq57"}


def test_bench_report_prints_its_figures(dataset, capsys):
    code, out, _ = run(capsys, "bench", "report", "--repeat", "1")
    assert code == 0
    assert "tổng hợp số liệu" in out and "mục tiêu ≤ 1.500 ms" in out


def test_validate_exchange_and_rollup_from_the_command_line(dataset, capsys, tmp_path):
    code, out, _ = run(capsys, "validate", "--unit", "CATHAI", "--period", "2026-Q1")
    assert code == 0 and "khớp mọi quy tắc" in out
    target = tmp_path / "q1.json"
    code, out, _ = run(
        capsys,
        "exchange",
        "export",
        "--unit",
        "CATHAI",
        "--period",
        "2026-Q1",
        "--out",
        str(target),
    )
    document = json.loads(target.read_text(encoding="utf-8"))
    row = next(v for v in document["dataValues"] if v["dataElement"] == "dossiers.received")
    row["value"] = str(int(row["value"]) + 10)
    target.write_text(json.dumps(document), encoding="utf-8")
    # The zone's dossier figures are entered by its Public Administration Service Centre:
    # once the centre's Q1 is approved, the import is refused, as on the web.
    from django.contrib.auth import get_user_model

    from theodoi.orgs.models import OrgUnit
    from theodoi.progress.models import Period, Submission, UpdateState
    from theodoi.progress.services.submissions import submission_unlock

    centre = Submission.objects.create(
        org_unit=OrgUnit.objects.get(code="CATHAI-TTHCC"),
        period=Period.objects.get(code="2026-Q1"),
        state=UpdateState.APPROVED,
    )
    code, out, err = run(capsys, "exchange", "import", str(target), "--as", "vhxh.tonghop")
    assert code == 2 and "khóa" in err
    submission_unlock(
        submission=centre,
        user=get_user_model().objects.get(username="lanhdao"),
        reason="Nhận số liệu cấp dưới gửi lên",
    )
    code, out, _ = run(capsys, "exchange", "import", str(target), "--as", "vhxh.tonghop")
    assert code == 0 and "cập nhật 1" in out
    with pytest.raises(SystemExit) as stopped:
        run(capsys, "validate", "--unit", "CATHAI", "--period", "2026-Q1")
    assert stopped.value.code == 1
    out, _ = capsys.readouterr()
    assert "[Cao]" in out and "phải bằng tổng hồ sơ tiếp nhận" in out
    code, out, _ = run(capsys, "rollup", "--unit", "CATHAI", "--period", "2026-Q1", "--json")
    assert json.loads(out)["figures"]["dossiers.received"]["value"] == row["value"]


def test_exchange_import_of_a_broken_file_says_what_and_stores_nothing(dataset, capsys, tmp_path):
    bad = tmp_path / "sai.csv"
    bad.write_text("dataelement,period,orgunit,value\nkhong.co,2026Q1,CATHAI,5\n", encoding="utf-8")
    code, _, err = run(capsys, "exchange", "import", str(bad), "--as", "vhxh.tonghop")
    assert code == 2
    assert "không lưu gì" in err and "Dòng 1: không có loại số liệu “khong.co”" in err


def _person_enters_a_figure(username: str = "vhxh.baocao"):
    from django.contrib.auth import get_user_model

    from theodoi.domain.periods import parse_period
    from theodoi.orgs.models import OrgUnit
    from theodoi.progress.selectors.entry import entry_elements
    from theodoi.progress.services.periods import period_ensure
    from theodoi.progress.services.values import data_value_save

    unit = OrgUnit.objects.get(code="CATHAI-VHXH")
    entry = entry_elements(unit=unit)[0]
    period = period_ensure(period=parse_period("2026-Q1"), user=None)
    user = get_user_model().objects.get(username=username)
    return data_value_save(
        element=entry.element,
        area=entry.area,
        unit=unit,
        period=period,
        value=Decimal("43"),
        user=user,
    )


def test_demo_keeps_what_people_entered_unless_told_to_overwrite(dataset, capsys):
    from theodoi.progress.models import DataValue

    value = _person_enters_a_figure()

    code, out, _ = run(capsys, "demo")
    assert code == 0
    assert "không nạp lại bộ dữ liệu mẫu" in out and "theodoi demo --ghi-de" in out
    assert DataValue.objects.get(pk=value.pk).value == 43

    code, out, _ = run(capsys, "demo", "--ghi-de")
    assert code == 0 and "không nạp lại" not in out
    assert "Đã nạp bộ dữ liệu Cát Hải" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report-template", "--out", "mau.pdf"], "phải có đuôi .docx"),
        (["report", "--unit", "CATHAI", "--period", "2026-Q1", "--out", "a.pdf"], ".docx"),
        (
            ["report", "--unit", "CATHAI", "--period", "2026-Q1", "--out", "a.docx", "--xlsx", "b"],
            "phải có đuôi .xlsx",
        ),
        (
            ["report", "--unit", "CATHAI", "--period", "2026-Q1", "--out", "a.docx", "--pdf", "c"],
            "phải có đuôi .pdf",
        ),
        (
            ["report", "--unit", "CATHAI", "--period", "2026-Q1", "--out", "a.docx", "--number=0"],
            "cần số nguyên từ 1 trở lên",
        ),
        (["serve", "--port", "70000"], "phải từ 1 đến 65535"),
        (["report-template", "--plan", "96/KH-UBND", "--out", "mau.docx"], "không hiểu tham số"),
    ],
)
def test_wrong_arguments_are_refused_in_vietnamese_before_anything_runs(
    capsys, tmp_path, monkeypatch, argv, message
):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as ended:
        main(argv)
    _, err = capsys.readouterr()
    assert ended.value.code == 2
    assert message in err and "lỗi:" in err
    assert list(tmp_path.iterdir()) == []


def test_serve_on_a_port_already_taken_says_so(db, capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, err = run(capsys, "serve", "--port", str(port))
    assert code == 2
    assert f"Không mở được máy chủ web tại 127.0.0.1:{port}" in err
    assert "cổng đang được chương trình khác dùng" in err


def test_a_second_issue_for_the_period_tells_the_command_to_use_replaces(dataset, capsys, tmp_path):
    # Last month's report, issued today: within the register's date rule whenever this runs.
    last_month = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    period, day = f"{last_month:%Y-%m}", f"{dt.date.today():%d/%m/%Y}"
    common = ["report", "--unit", "CATHAI", "--period", period, "--issue", "--date", day]
    code, _, err = run(capsys, *common, "--number", "11", "--out", str(tmp_path / "a.docx"))
    assert code == 0, err
    code, _, err = run(capsys, *common, "--number", "12", "--out", str(tmp_path / "b.docx"))
    assert code == 2
    assert "thêm --replaces SỐ/KÝ-HIỆU" in err
    assert not (tmp_path / "b.docx").exists()


def test_summaries_refresh_says_how_many_and_how_long_in_vietnamese(dataset, capsys):
    import re

    code, out, _ = run(capsys, "summaries", "refresh", "--period", "2026-Q1")
    assert code == 0
    said = re.search(r"Đã tính lại (\d+) bản tổng hợp \(Quý I năm 2026\) trong (\S+) giây\.", out)
    assert said is not None, out
    assert int(said.group(1)) == Plan.objects.count()
    assert re.fullmatch(r"\d+,\d", said.group(2)), said.group(2)  # a decimal comma


def test_summaries_refresh_of_eight_quarters_stores_each(dataset, capsys):
    from theodoi.progress.models import PlanSummary

    code, out, _ = run(capsys, "summaries", "refresh", "--period", "2026-Q1", "--quarters", "8")
    assert code == 0
    assert "(8 kỳ)" in out and "Quý II năm 2024:" in out and "Quý I năm 2026:" in out
    assert "  … Quý I năm 2026: " in out  # told as it goes
    stored = set(PlanSummary.objects.values_list("period__code", flat=True))
    assert {"2024-Q2", "2025-Q3", "2026-Q1"} <= stored
    code, _, err = run(capsys, "summaries", "refresh", "--period", "2026", "--quarters", "2")
    assert code != 0 and "chỉ dùng với một quý" in err
