"""What the report says, block by block: counts of the period beside the plan's totals, the
documents by their real issuer, figures never invented, and none of the misleading sentences
the first generated reports made. Expected sentences are built here from the data and the
rules of ``domain/`` (period roles), not read back from the code under test."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from theodoi.documents.models import Document
from theodoi.domain.periods import parse_period
from theodoi.domain.status import PeriodRole, period_role
from theodoi.orgs.models import OrgUnit
from theodoi.plans.models import Plan, Task
from theodoi.progress.models import Period, TaskUpdate, UpdateState
from theodoi.reports.blocks.documents import document_line
from theodoi.reports.models import OutlineBlock, OutlineSection, ReportOutline
from theodoi.reports.outlines import block_config_problems, outline_choices, outline_for
from theodoi.reports.services import report_build

pytestmark = pytest.mark.django_db


def _cathai() -> OrgUnit:
    return OrgUnit.objects.get(code="CATHAI")


def _build(plans, period="2026-Q1", **kwargs):
    return report_build(
        unit=_cathai(), period=parse_period(period), plans=list(plans), user=None, **kwargs
    )


def _paragraphs(snapshot) -> list[str]:
    return [p for s in snapshot["sections"] for b in s["blocks"] for p in b["paragraphs"]]


def _text(snapshot) -> str:
    titles = [s["title"] for s in snapshot["sections"]]
    return "\n".join([snapshot["subject"], snapshot["intro"], *titles, *_paragraphs(snapshot)])


def _c(n: int) -> str:
    return f"{n:02d}" if n < 10 else f"{n:,}".replace(",", ".")


# --- counts: the period's tasks beside the plan's totals ------------------------------------


def test_a_quarterly_report_counts_what_the_quarter_held_beside_the_plans_totals(dataset):
    period = parse_period("2026-Q1")
    tasks = list(Task.objects.filter(plan=dataset))
    done = dict(
        TaskUpdate.objects.filter(
            task__plan=dataset,
            state=UpdateState.APPROVED,
            reported_state="completed",
            period__start__lte=period.end,
        ).values_list("task_id", "completion_date")
    )
    roles = [period_role(t.deadline, period=period, completed_on=done.get(t.id)) for t in tasks]
    due = sum(r is PeriodRole.DUE for r in roles)
    recurring = sum(r is PeriodRole.RECURRING for r in roles)
    text = _text(_build([dataset]))
    expected = (
        f"Kế hoạch số 96/KH-UBND ngày 22/10/2025 (gồm {_c(len(tasks))} nhiệm vụ, "
        f"{_c(dataset.indicators.count())} chỉ tiêu): quý I năm 2026 có "
    )
    assert expected in text
    assert (
        f"{_c(due)} nhiệm vụ theo tiến độ và {_c(recurring)} nhiệm vụ triển khai thường xuyên"
        in text
    )
    # the plan's totals are never offered as the quarter's assignment
    assert "Được giao" not in text


def test_indicators_behind_their_path_are_at_risk_never_overdue(dataset):
    for period in ("2026-Q1", "2025", "01/01/2025..04/11/2025"):
        text = _text(_build([dataset], period))
        assert not re.search(r"quá hạn[^.;()]*chỉ tiêu", text), period


def _second_plan() -> Plan:
    """A work programme beside plan 96: two tasks due in the first quarter of 2026, one
    recurring."""
    cathai = _cathai()
    document = Document.objects.create(
        key="02/CTr-UBND@2026-01-05",
        symbol="02/CTr-UBND",
        doc_type="CTr",
        issued_on=dt.date(2026, 1, 5),
        issuer="Ủy ban nhân dân đặc khu Cát Hải",
        issuer_unit=cathai,
        subject="Chương trình công tác năm 2026",
    )
    plan = Plan.objects.create(document=document, owner_unit=cathai, title="Chương trình công tác")
    for number, (kind, due) in enumerate(
        [("date", dt.date(2026, 2, 28)), ("date", dt.date(2026, 3, 31)), ("ongoing", None)], 1
    ):
        Task.objects.create(
            plan=plan,
            code=str(number),
            position=number,
            title=f"Nhiệm vụ thứ {number} của chương trình",
            deadline_kind=kind,
            deadline_date=due,
            deadline_text=due.strftime("Tháng %m/%Y") if due else "Thường xuyên",
        )
    return plan


def test_each_plan_of_a_report_is_named_by_its_own_kind_and_counted_apart(dataset):
    programme = _second_plan()
    paragraphs = _paragraphs(_build([dataset, programme]))
    counted = [p for p in paragraphs if "nhiệm vụ theo tiến độ" in p]
    assert len(counted) == 2
    assert counted[0].startswith("Kế hoạch số 96/KH-UBND")
    assert counted[1].startswith("Chương trình số 02/CTr-UBND ngày 05/01/2026 (gồm 03 nhiệm vụ")
    assert "có 02 nhiệm vụ theo tiến độ và 01 nhiệm vụ triển khai thường xuyên" in counted[1]
    # no share or count line stands without the plan it is of
    assert not [p for p in paragraphs if p.startswith("Tỷ lệ nhiệm vụ")]


# --- periods: what a range and a quarter say -------------------------------------------------


def test_a_range_of_dates_reads_as_a_range_and_has_no_invented_next_period(dataset):
    snapshot = _build([dataset], "01/01/2026..28/04/2026")
    text = _text(snapshot)
    assert "từ ngày 01/01/2026 đến ngày 28/04/2026" in snapshot["subject"]
    assert "Trong từ ngày" not in text and "trong từ ngày" not in text
    assert not re.search(r"Trên [a-z_]+:", text)  # no breakdown code printed raw
    titles = [s["title"] for s in snapshot["sections"]]
    assert "IV. NHIỆM VỤ, GIẢI PHÁP THỜI GIAN TỚI" in titles
    assert not [t for t in titles if "TỪ NGÀY" in t]


def test_a_quarters_next_period_is_named(dataset):
    titles = [s["title"] for s in _build([dataset])["sections"]]
    assert "IV. NHIỆM VỤ, GIẢI PHÁP QUÝ II NĂM 2026" in titles


def test_next_tasks_keep_the_plans_deadline_inside_the_sentence(dataset):
    programme = _second_plan()
    Task.objects.filter(plan=programme, code="1").update(
        deadline_date=dt.date(2026, 5, 31), deadline_text="Tháng 5/2026"
    )
    text = _text(_build([programme]))
    assert "- Nhiệm vụ thứ 1 của chương trình (thời hạn: tháng 5/2026)." in text
    assert "Theo văn bản nguồn" not in text


# --- nothing entered is never stated as a fact ----------------------------------------------


def test_no_proposal_entered_is_a_placeholder_not_a_statement(dataset):
    text = _text(_build([dataset]))
    assert "Không có kiến nghị" not in text
    assert "[chưa có nội dung: kiến nghị, đề xuất" in text


def test_a_proposal_approved_in_the_period_is_written_once_as_a_sentence(dataset):
    period = Period.objects.get(code="2026-Q1")
    updates = TaskUpdate.objects.filter(
        task__plan=dataset, period=period, state=UpdateState.APPROVED
    )[:2]
    assert len(updates) == 2
    for update in updates:
        TaskUpdate.objects.filter(pk=update.pk).update(
            proposals="đề nghị thành phố hỗ trợ kinh phí mua sắm thiết bị", is_illustrative=False
        )
    paragraphs = _paragraphs(_build([dataset]))
    said = [p for p in paragraphs if "hỗ trợ kinh phí mua sắm thiết bị" in p]
    assert said == ["- Đề nghị thành phố hỗ trợ kinh phí mua sắm thiết bị."]
    assert not [p for p in paragraphs if "Nhiệm vụ PL" in p]


# --- illustrative data is marked wherever it appears ----------------------------------------


def test_illustrative_figures_are_marked_in_the_block_that_states_them(dataset):
    snapshot = _build([dataset])
    for section in snapshot["sections"]:
        for block in section["blocks"]:
            if any(f["illustrative"] for f in block["figures"]):
                assert "dữ liệu minh họa" in block["paragraphs"][-1]
    assert any(f["illustrative"] for f in snapshot["figures"])


def test_an_older_value_in_the_indicator_appendix_says_which_period_it_is_of(dataset):
    rows = _build([dataset])["indicator_rows"]
    older = [r for r in rows if "(số liệu năm 2025" in r["actual"]]
    assert older, "the dataset holds illustrative 2025 values"
    for row in rows:
        if row["actual"] != "Chưa có số liệu":
            assert (
                re.search(r"\((số liệu|dữ liệu minh họa)", row["actual"])
                or "minh họa" not in row["actual"]
            )


# --- documents by their real issuer ---------------------------------------------------------


def test_documents_are_attributed_to_their_issuer_and_read_about_once(dataset):
    party = Document.objects.get(symbol="09-KH/ĐU")
    line = document_line(party)
    assert line.startswith("Ban Thường vụ Đảng ủy đặc khu Cát Hải ban hành Kế hoạch số 09-KH/ĐU")
    doc = Document(
        symbol="7/UBND",
        doc_type="CV",
        issuer="Ủy ban nhân dân đặc khu Cát Hải",
        subject="Về việc triển khai nền tảng số",
    )
    assert "về việc triển khai nền tảng số" in document_line(doc)
    assert "về về" not in document_line(doc).lower()
    text = _text(_build([dataset], "01/01/2025..04/11/2025", outline="bao-cao-kiem-tra-nq57"))
    assert "Ban Thường vụ Đảng ủy đặc khu Cát Hải ban hành Kế hoạch số 09-KH/ĐU" in text
    assert "Ủy ban nhân dân đặc khu Cát Hải ban hành Kế hoạch số 09-KH/ĐU" not in text
    assert "về về" not in text.lower()


# --- outlines: kinds, a unit's own copy, validation, recipients -----------------------------


def test_the_shipped_outlines_are_offered_and_a_units_own_copy_wins(dataset):
    cathai = _cathai()
    codes = [o.code for o in outline_choices(cathai)]
    assert {"bao-cao-dinh-ky-nq57", "bao-cao-kiem-tra-nq57", "bao-cao-chuyen-doi-so-nam"} <= set(
        codes
    )
    own = ReportOutline.objects.create(
        code="bao-cao-dinh-ky-nq57",
        name="Báo cáo quý (bản của Cát Hải)",
        org_unit=cathai,
        subject="Kết quả quý {{ ky }}",
        opening="Báo cáo ngắn {{ trong_ky }}.",
    )
    section = OutlineSection.objects.create(outline=own, position=1, heading="I. SỐ LIỆU")
    OutlineBlock.objects.create(
        section=section,
        position=1,
        kind="figures",
        config={"patterns": ['Hồ sơ trực tuyến: {{ so("dossiers.online") }} hồ sơ.']},
    )
    OutlineBlock.objects.create(
        section=section, position=2, kind="text", config={"paragraphs": ["Đoạn viết sẵn."]}
    )
    assert outline_for(cathai) == own
    below = OrgUnit.objects.get(code="CATHAI-VHXH")
    assert outline_for(below) == own  # the zone's copy serves its offices too
    snapshot = _build([dataset])
    assert [s["title"] for s in snapshot["sections"]] == ["I. SỐ LIỆU"]
    assert snapshot["intro"] == "Báo cáo ngắn trong quý I năm 2026."
    paragraphs = _paragraphs(snapshot)
    assert paragraphs[0].startswith("Hồ sơ trực tuyến: ")
    assert paragraphs[-1] == "Đoạn viết sẵn."


@pytest.mark.parametrize(
    "kind, config, words",
    [
        ("figures", {"patterns": ['{{ so("khong.co") }}']}, "khong.co"),
        ("figures", {"patterns": ["{{ so( }}"]}, "Câu 1"),
        ("figures", {}, "ít nhất một mẫu câu"),
        ("narrative", {"field": "vu_tru"}, "vu_tru"),
        ("narrative", {"texts": ["thanh_tich"]}, "thanh_tich"),
        ("documents", {"bodies": ["bo_chinh_tri"]}, "bo_chinh_tri"),
        ("documents", {"types": ["XX"]}, "XX"),
        ("appendix", {"tables": ["budget"]}, "budget"),
        ("poem", {}, "poem"),
    ],
)
def test_a_blocks_bad_settings_are_named_in_vietnamese(dataset, kind, config, words):
    problems = block_config_problems(kind, config)
    assert problems and words in " ".join(problems)


def test_an_unknown_outline_is_refused_in_vietnamese(dataset):
    with pytest.raises(ValidationError, match="Chưa có dàn ý báo cáo “khong-co”"):
        _build([dataset], outline="khong-co")


def test_recipients_given_override_the_outlines_which_override_the_issuers(dataset):
    inspection = _build([dataset], "01/01/2025..04/11/2025", outline="bao-cao-kiem-tra-nq57")
    quarterly = _build([dataset])
    assert inspection["profile"]["recipients"] != quarterly["profile"]["recipients"]
    given = _build([dataset], recipients=["- Sở Nội vụ;", "- Lưu: VT."])
    assert given["profile"]["recipients"] == ["- Sở Nội vụ;", "- Lưu: VT."]


def test_the_steering_committee_signs_its_own_report(dataset):
    snapshot = _build([dataset], profile_code="bcd")
    signing = " ".join(snapshot["profile"]["signing_lines"]).upper()
    assert "BAN CHỈ ĐẠO" in signing and "TRƯỞNG BAN" in signing
