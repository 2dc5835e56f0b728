"""Writes through the API call the web app's services: the same permissions (403), the same
scope (404 for another unit's tasks, submissions and evidence), the same workflow rules
(quy_tac_nghiep_vu) — from a reporter's draft to a leader's approval and unlocking."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.api.helpers import OTHER, Q1, TTHCC, VHXH, error
from theodoi.documents.models import Document
from theodoi.domain.periods import parse_period
from theodoi.orgs.models import OrgUnit
from theodoi.progress.models import DataValue, Period, Submission, TaskUpdate
from theodoi.progress.selectors.entry import entry_elements, entry_rows
from theodoi.progress.services.updates import evidence_add, task_update_save
from theodoi.reports.models import Report
from theodoi.reports.services import report_issue

ERROR_422 = "du_lieu_khong_hop_le"
COMPLETED = {
    "reported_state": "completed",
    "completion_date": "2026-03-15",
    "results": "Đã tổ chức tập huấn cho 40 cán bộ.",
}


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def base(code: str = VHXH, period: str = Q1) -> str:
    return f"/api/units/{code}/periods/{period}"


def put(client, path: str, data: dict):
    return client.put(path, data, content_type="application/json")


def post(client, path: str, data: dict | None = None):
    return client.post(path, data or {}, content_type="application/json")


def first_task(code: str, period):
    return entry_rows(unit=unit(code), period=period, user=None)[0].task


def enter_all(client, code: str, period) -> None:
    for row in entry_rows(unit=unit(code), period=period, user=None):
        response = put(client, f"{base(code, period.code)}/tasks/{row.task.id}/update", COMPLETED)
        assert response.status_code == 200, response.content.decode()[:1000]


# --- task updates ---------------------------------------------------------------------------


def test_reporter_saves_a_draft_which_history_records(reporter, q1):
    task = first_task(VHXH, q1)
    document = Document.objects.exclude(symbol="").first()
    response = put(
        reporter,
        f"{base()}/tasks/{task.id}/update",
        {**COMPLETED, "evidence_documents": [document.id]},
    )
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    assert body["state"] == "draft" and body["progress_percent"] == 100
    assert body["evidence_documents"] == [document.id]
    update = TaskUpdate.objects.get(task=task, period=q1)
    assert update.completion_date == dt.date(2026, 3, 15)
    assert update.history.first().history_user.username == "vhxh.baocao"


def test_entry_rules_are_the_web_forms(reporter, q1):
    task = first_task(VHXH, q1)
    path = f"{base()}/tasks/{task.id}/update"
    body = error(
        put(reporter, path, {"reported_state": "completed", "results": "x"}),
        400,
        "quy_tac_nghiep_vu",
    )
    assert body["details"] == [
        {"field": "completion_date", "message": "Nhiệm vụ đã hoàn thành: hãy nhập ngày hoàn thành."}
    ]
    body = error(
        put(reporter, path, {**COMPLETED, "completion_date": "2026-05-15"}),
        400,
        "quy_tac_nghiep_vu",
    )
    assert "sau ngày cuối kỳ 31/03/2026" in body["message"]
    body = error(
        put(reporter, path, {"reported_state": "not_started", "progress_percent": 40}),
        400,
        "quy_tac_nghiep_vu",
    )
    assert "0%" in body["details"][0]["message"]
    assert not TaskUpdate.objects.filter(task=task, period=q1).exists()


def test_malformed_input_is_422_per_field(reporter, q1):
    task = first_task(VHXH, q1)
    path = f"{base()}/tasks/{task.id}/update"
    body = error(
        put(reporter, path, {"reported_state": "xong", "progress_percent": 150}),
        422,
        "du_lieu_khong_hop_le",
    )
    fields = {d["field"]: d["message"] for d in body["details"]}
    assert fields["progress_percent"] == "phải nhỏ hơn hoặc bằng 100"
    assert fields["reported_state"].startswith("phải là một trong các giá trị")
    body = error(put(reporter, path, {"results": "x"}), 422, "du_lieu_khong_hop_le")
    assert body["details"] == [{"field": "reported_state", "message": "thiếu trường bắt buộc"}]
    response = reporter.put(path, "{không phải JSON", content_type="application/json")
    error(response, 422, "du_lieu_khong_hop_le")


@pytest.mark.parametrize("who", ["leader", "inspector"])
def test_leader_and_inspector_cannot_enter_progress(who, request, q1):
    client = request.getfixturevalue(who)
    task = first_task(VHXH, q1)
    body = error(put(client, f"{base()}/tasks/{task.id}/update", COMPLETED), 403, "khong_co_quyen")
    assert "nhập tiến độ" in body["message"]
    entry = entry_elements(unit=unit(VHXH))[0]
    figures = {"values": [{"element": entry.element.code, "value": 1}]}
    error(put(client, f"{base()}/data-values", figures), 403, "khong_co_quyen")
    error(post(client, f"{base()}/submit"), 403, "khong_co_quyen")
    assert not TaskUpdate.objects.filter(task=task, period=q1).exists()


def test_reporter_cannot_touch_another_units_tasks(reporter, other_reporter, dataset):
    q2 = _q2()
    theirs = first_task(OTHER, q2)
    assert (
        put(
            other_reporter,
            f"{base(OTHER, q2.code)}/tasks/{theirs.id}/update",
            {**COMPLETED, "completion_date": "2026-05-15"},
        ).status_code
        == 200
    )
    forged = {**COMPLETED, "completion_date": "2026-05-15", "results": "sửa"}
    path = f"tasks/{theirs.id}/update"
    error(put(reporter, f"{base(OTHER, q2.code)}/{path}", forged), 404, "khong_tim_thay")
    error(put(reporter, f"{base(VHXH, q2.code)}/{path}", forged), 404, "khong_tim_thay")
    assert TaskUpdate.objects.get(task=theirs, period=q2).results == COMPLETED["results"]


def _q2():
    from theodoi.progress.services.periods import period_ensure

    return period_ensure(period=parse_period("2026-Q2"), user=None)


def test_future_period_is_refused_and_not_stored(reporter, q1):
    before = Period.objects.count()
    task = first_task(VHXH, q1)
    body = error(
        put(reporter, f"{base(VHXH, '2030-Q1')}/tasks/{task.id}/update", COMPLETED),
        400,
        "quy_tac_nghiep_vu",
    )
    assert "chưa bắt đầu" in body["message"]
    figures = {"values": [{"element": "x", "value": 1}]}
    error(put(reporter, f"{base(VHXH, '2026-Q9')}/data-values", figures), 422, "ky_khong_hop_le")
    assert Period.objects.count() == before


# --- figures --------------------------------------------------------------------------------


def test_reporter_saves_figures_through_the_service(reporter, q1):
    entry = entry_elements(unit=unit(VHXH))[0]
    item = {"element": entry.element.code, "area": entry.area.code, "value": "87.5"}
    response = put(reporter, f"{base()}/data-values", {"values": [item]})
    assert response.status_code == 200, response.content.decode()
    row = next(r for r in response.json() if r["element"] == entry.element.code)
    assert Decimal(row["value"]) == Decimal("87.5") and row["entered_by"] == "vhxh.baocao"
    value = DataValue.objects.get(element=entry.element, org_unit=entry.area, period=q1)
    assert value.value == Decimal("87.5") and value.reporting_unit.code == VHXH
    put(reporter, f"{base()}/data-values", {"values": [{**item, "value": None}]})
    assert not DataValue.objects.filter(element=entry.element, period=q1).exists()


def test_wrong_figures_save_nothing(reporter, q1):
    entries = entry_elements(unit=unit(VHXH))
    good = {"element": entries[0].element.code, "area": entries[0].area.code, "value": 5}
    negative = {"element": entries[1].element.code, "area": entries[1].area.code, "value": -3}
    body = error(
        put(reporter, f"{base()}/data-values", {"values": [good, negative]}),
        400,
        "quy_tac_nghiep_vu",
    )
    assert body["details"] == [{"field": "values.1.value", "message": "Số liệu không được âm."}]
    assert not DataValue.objects.filter(period=q1, entered_by__username="vhxh.baocao").exists()


def test_another_units_figure_is_refused(reporter, q1):
    mine = {e.element.code for e in entry_elements(unit=unit(VHXH))}
    foreign = next(e for e in entry_elements(unit=unit(TTHCC)) if e.element.code not in mine)
    item = {"element": foreign.element.code, "value": 5}
    body = error(
        put(reporter, f"{base()}/data-values", {"values": [item]}), 400, "quy_tac_nghiep_vu"
    )
    assert body["details"][0]["field"] == "values.0"
    assert "không nhập số liệu" in body["message"]
    error(put(reporter, f"{base(TTHCC)}/data-values", {"values": [item]}), 404, "khong_tim_thay")
    error(post(reporter, f"{base(OTHER)}/submit"), 404, "khong_tim_thay")
    assert not DataValue.objects.filter(element=foreign.element, period=q1, value=5).exists()


@pytest.mark.parametrize("typed", ["1.000", "1,5", "12.345.678"])
def test_a_number_a_person_and_a_machine_read_differently_is_refused(reporter, q1, typed):
    entry = entry_elements(unit=unit(VHXH))[0]
    item = {"element": entry.element.code, "area": entry.area.code, "value": typed}
    body = error(put(reporter, f"{base()}/data-values", {"values": [item]}), 422, ERROR_422)
    assert body["details"][0]["field"] == "values.0.value"
    assert f"“{typed}” không rõ nghĩa" in body["details"][0]["message"]
    assert not DataValue.objects.filter(element=entry.element, period=q1).exists()


def test_one_call_writes_at_most_a_thousand_figures(reporter, q1):
    entry = entry_elements(unit=unit(VHXH))[0]
    item = {"element": entry.element.code, "area": entry.area.code, "value": 1}
    body = error(put(reporter, f"{base()}/data-values", {"values": [item] * 1001}), 422, ERROR_422)
    assert "tối đa 1000 mục mỗi lần gửi" in body["details"][0]["message"]
    assert not DataValue.objects.filter(element=entry.element, period=q1).exists()


@pytest.mark.parametrize(
    ("period", "says"),
    [
        ("2026-01-01..2026-02-15", "khoảng ngày tùy chọn chỉ dùng khi lập báo cáo"),
        ("2099-Q1", "chưa bắt đầu"),
    ],
)
def test_figures_are_entered_for_a_reporting_period_that_has_begun(reporter, period, says):
    entry = entry_elements(unit=unit(VHXH))[0]
    item = {"element": entry.element.code, "area": entry.area.code, "value": 1}
    periods_before = Period.objects.count()
    body = error(
        put(reporter, f"{base(period=period)}/data-values", {"values": [item]}),
        400,
        "quy_tac_nghiep_vu",
    )
    assert says in body["message"]
    assert Period.objects.count() == periods_before  # no period stored for a refused entry


# --- submission, review, approval, lock -----------------------------------------------------


def test_submit_needs_every_task(reporter, q1):
    body = error(post(reporter, f"{base()}/submit"), 400, "quy_tac_nghiep_vu")
    assert "Chưa nhập tiến độ cho" in body["message"]
    assert not Submission.objects.filter(org_unit__code=VHXH, period=q1, state="submitted").exists()


def test_workflow_submit_accept_approve_lock_unlock(reporter, coordinator, leader, q1):
    enter_all(reporter, VHXH, q1)
    submitted = post(reporter, f"{base()}/submit", {"explanation": ""})
    assert submitted.status_code == 200, submitted.content.decode()
    sub = submitted.json()
    assert sub["state"] == "submitted" and sub["submitted_by"] == "vhxh.baocao"
    action = f"/api/submissions/{sub['id']}"
    # The reporter cannot accept; the leader cannot approve before acceptance.
    error(post(reporter, f"{action}/accept"), 403, "khong_co_quyen")
    body = error(post(leader, f"{action}/approve"), 400, "quy_tac_nghiep_vu")
    assert "Chỉ phê duyệt được báo cáo đã được tiếp nhận" in body["message"]
    # Returning needs a reason.
    body = error(post(coordinator, f"{action}/return"), 400, "quy_tac_nghiep_vu")
    assert body["details"] == [
        {"field": "comment", "message": "Trả lại báo cáo thì phải ghi lý do."}
    ]
    listed = coordinator.get("/api/submissions", {"period": Q1, "unit": VHXH}).json()["items"]
    assert listed[0]["next_step"] == "Cần tiếp nhận"
    accepted = post(coordinator, f"{action}/accept")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    error(post(coordinator, f"{action}/approve"), 403, "khong_co_quyen")
    approved = post(leader, f"{action}/approve", {"comment": "Đồng ý"})
    assert approved.json()["state"] == "approved" and approved.json()["approved_by"] == "lanhdao"
    states = TaskUpdate.objects.filter(org_unit__code=VHXH, period=q1).values_list(
        "state", flat=True
    )
    assert set(states) == {"approved"}
    # Locked: writes are refused by the rules, and nothing changes.
    task = first_task(VHXH, q1)
    body = error(
        put(reporter, f"{base()}/tasks/{task.id}/update", {**COMPLETED, "results": "sửa sau khóa"}),
        400,
        "quy_tac_nghiep_vu",
    )
    assert "Cần lãnh đạo mở khóa" in body["message"]
    entry = entry_elements(unit=unit(VHXH))[0]
    figures = {"values": [{"element": entry.element.code, "area": entry.area.code, "value": 10}]}
    error(put(reporter, f"{base()}/data-values", figures), 400, "quy_tac_nghiep_vu")
    assert not TaskUpdate.objects.filter(results="sửa sau khóa").exists()
    assert not DataValue.objects.filter(element=entry.element, period=q1, value=10).exists()
    # Unlocking needs a reason and a leader; the history keeps the reason.
    error(post(leader, f"{action}/unlock"), 422, "du_lieu_khong_hop_le")
    body = error(post(leader, f"{action}/unlock", {"reason": " "}), 400, "quy_tac_nghiep_vu")
    assert body["details"][0]["field"] == "reason"
    error(post(coordinator, f"{action}/unlock", {"reason": "Sửa số liệu"}), 403, "khong_co_quyen")
    unlocked = post(leader, f"{action}/unlock", {"reason": "Sửa số liệu tập huấn"})
    assert unlocked.json()["state"] == "returned"
    assert (
        "Sửa số liệu tập huấn"
        in Submission.objects.get(pk=sub["id"]).history.first().history_change_reason
    )
    assert put(reporter, f"{base()}/tasks/{task.id}/update", COMPLETED).status_code == 200


def test_submitter_cannot_accept_own_report(coordinator, q1):
    enter_all(coordinator, VHXH, q1)
    sub = post(coordinator, f"{base()}/submit").json()
    body = error(
        post(coordinator, f"/api/submissions/{sub['id']}/accept"), 400, "quy_tac_nghiep_vu"
    )
    assert "không tự tiếp nhận" in body["message"]


def test_other_units_submissions_are_not_found(reporter, other_reporter, outsider, q1):
    enter_all(reporter, VHXH, q1)
    sub = post(reporter, f"{base()}/submit").json()
    path = f"/api/submissions/{sub['id']}"
    assert reporter.get(path).json()["state"] == "submitted"
    for client in (other_reporter, outsider):
        error(client.get(path), 404, "khong_tim_thay")
        for verb in ("accept", "return", "approve"):
            error(post(client, f"{path}/{verb}", {"comment": "x"}), 404, "khong_tim_thay")
        error(post(client, f"{path}/unlock", {"reason": "x"}), 404, "khong_tim_thay")
        assert sub["id"] not in {s["id"] for s in client.get("/api/submissions").json()["items"]}
    assert Submission.objects.get(pk=sub["id"]).state == "submitted"


def test_a_draft_submission_is_not_listed_or_shown(reporter, coordinator, q1):
    task = first_task(VHXH, q1)
    put(reporter, f"{base()}/tasks/{task.id}/update", COMPLETED)
    draft = Submission.objects.get(org_unit__code=VHXH, period=q1)
    assert draft.state == "draft"
    error(coordinator.get(f"/api/submissions/{draft.id}"), 404, "khong_tim_thay")
    listed = coordinator.get("/api/submissions", {"state": "draft"}).json()
    assert listed == {"items": [], "count": 0}


def test_figures_count_only_once_approved(reporter, coordinator, leader, dataset, q1):
    entry = next(e for e in entry_elements(unit=unit(VHXH)) if e.indicators)
    indicator = entry.indicators[0]
    path = f"/api/plans/{dataset.id}/indicators"

    def actual():
        rows = leader.get(path, {"period": Q1, "limit": 1000}).json()["items"]
        return next(r["actual"] for r in rows if r["indicator"]["id"] == indicator.id)

    before = actual()
    item = {"element": entry.element.code, "area": entry.area.code, "value": 99}
    assert put(reporter, f"{base()}/data-values", {"values": [item]}).status_code == 200
    assert actual() == before
    enter_all(reporter, VHXH, q1)
    sub = post(reporter, f"{base()}/submit").json()
    post(coordinator, f"/api/submissions/{sub['id']}/accept")
    post(leader, f"/api/submissions/{sub['id']}/approve")
    assert Decimal(actual()) == Decimal(99)


# --- evidence and reports -------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_evidence_of_a_draft_only_for_those_who_may_edit(
    media, reporter, other_reporter, coordinator, inspector, q1
):
    task = first_task(VHXH, q1)
    user = get_user_model().objects.get(username="vhxh.baocao")
    update = task_update_save(
        task=task,
        period=q1,
        user=user,
        values=COMPLETED | {"completion_date": dt.date(2026, 3, 15), "progress_percent": 100},
    )
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    evidence = evidence_add(update=update, upload=upload, user=user)
    path = f"/api/evidence/{evidence.id}"
    response = reporter.get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert coordinator.get(path).status_code == 200
    error(other_reporter.get(path), 404, "khong_tim_thay")
    error(inspector.get(path), 404, "khong_tim_thay")
    files = reporter.get(f"/api/tasks/{task.id}").json()["updates"][0]["evidence_files"]
    assert files == [
        {
            "id": evidence.id,
            "name": "bien-ban.pdf",
            "size": 13,
            "uploaded_at": files[0]["uploaded_at"],
        }
    ]


@pytest.fixture
def issued(dataset):
    coordinator = get_user_model().objects.get(username="vhxh.tonghop")
    return report_issue(
        unit=unit("CATHAI"),
        period=parse_period(Q1),
        plans=[dataset],
        user=coordinator,
        number=66,
        issued_on=timezone.localdate(),  # after Q1, not in the future, not long ago
    )


def test_report_register_and_issued_files(issued, coordinator, leader):
    listed = coordinator.get("/api/reports").json()["items"]
    assert [r["symbol"] for r in listed] == [issued.symbol]
    assert listed[0]["created_by"] == "vhxh.tonghop" and listed[0]["state"] == "issued"
    assert coordinator.get("/api/reports", {"period": Q1, "unit": "CATHAI"}).json()["count"] == 1
    assert coordinator.get("/api/reports", {"period": "2026-Q2"}).json()["count"] == 0
    docx = leader.get(f"/api/reports/{issued.id}/files/docx")
    assert docx.status_code == 200 and docx.content == bytes(issued.docx)
    assert "wordprocessingml" in docx["Content-Type"]
    xlsx = leader.get(f"/api/reports/{issued.id}/files/xlsx")
    assert xlsx.content == bytes(issued.xlsx)
    error(leader.get(f"/api/reports/{issued.id}/files/exe"), 422, "du_lieu_khong_hop_le")


def test_reports_are_not_found_outside_the_unit(issued, reporter, outsider):
    for client in (reporter, outsider):
        assert client.get("/api/reports").json()["items"] == []
        error(client.get(f"/api/reports/{issued.id}/files/docx"), 404, "khong_tim_thay")
    error(reporter.get("/api/reports", {"unit": "CATHAI"}), 404, "khong_tim_thay")
    assert Report.objects.filter(pk=issued.id).exists()


def test_a_refused_entry_stores_nothing_not_even_the_period(reporter, dataset):
    august = "2026-08"
    assert not Period.objects.filter(code=august).exists()
    task = entry_rows(unit=unit(VHXH), period=_q2(), user=None)[0].task
    path = f"{base(VHXH, august)}/tasks/{task.id}/update"
    error(put(reporter, path, {"reported_state": "completed"}), 400, "quy_tac_nghiep_vu")
    assert not Period.objects.filter(code=august).exists()
    assert not Submission.objects.filter(period__code=august).exists()
