"""Reads: every list and object the caller may see, nothing outside their units (404), with
the same counts the web dashboard and the reports use."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.helpers import OTHER, Q1, TTHCC, VHXH, error
from theodoi.documents.models import Document
from theodoi.domain.periods import parse_period
from theodoi.orgs.models import OrgUnit
from theodoi.progress.models import Period, Submission, UpdateState
from theodoi.progress.selectors.entry import entry_elements, entry_rows
from theodoi.progress.selectors.tasks import indicator_rows, plan_summary
from theodoi.progress.services.periods import period_ensure
from theodoi.progress.services.updates import task_update_save

Q1_END = dt.date(2026, 3, 31)


def items(response) -> list[dict]:
    assert response.status_code == 200, response.content.decode()[:1000]
    return response.json()["items"]


def codes(response) -> set[str]:
    return {item["code"] for item in items(response)}


# --- units ----------------------------------------------------------------------------------


def test_units_are_the_callers_subtrees(coordinator, reporter, outsider):
    cathai = OrgUnit.objects.get(code="CATHAI")
    expected = set(
        OrgUnit.objects.filter(path__startswith=cathai.path).values_list("code", flat=True)
    )
    response = coordinator.get("/api/units", {"limit": 1000})
    assert codes(response) == expected and response.json()["count"] == len(expected)
    assert codes(reporter.get("/api/units")) == {VHXH}
    assert not [
        c for c in codes(outsider.get("/api/units", {"limit": 1000})) if c.startswith("CATHAI")
    ]


def test_unit_search_ignores_diacritics_and_kind_filters(coordinator):
    assert VHXH in codes(coordinator.get("/api/units", {"q": "van hoa xa hoi"}))
    assert VHXH in codes(coordinator.get("/api/units", {"q": "Văn hóa"}))
    offices = items(coordinator.get("/api/units", {"kind": "office", "limit": 1000}))
    assert offices and all(u["kind"] == "office" for u in offices)


def test_unit_detail_inside_and_outside_scope(coordinator, reporter, outsider):
    unit = coordinator.get(f"/api/units/{VHXH}").json()
    assert unit["name"] == "Phòng Văn hóa - Xã hội" and unit["parent"] == "CATHAI"
    assert reporter.get(f"/api/units/{VHXH}").status_code == 200
    body = error(reporter.get(f"/api/units/{TTHCC}"), 404, "khong_tim_thay")
    assert TTHCC in body["message"]
    error(outsider.get("/api/units/CATHAI"), 404, "khong_tim_thay")


def test_lists_are_paginated_with_limit_and_offset(coordinator):
    everything = items(coordinator.get("/api/units", {"limit": 1000}))
    page = coordinator.get("/api/units", {"limit": 2, "offset": 1}).json()
    assert page["count"] == len(everything)
    assert page["items"] == everything[1:3]


def test_bad_paging_is_422_with_vietnamese_field_messages(coordinator):
    body = error(coordinator.get("/api/units", {"limit": 0}), 422, "du_lieu_khong_hop_le")
    assert body["details"] == [{"field": "limit", "message": "phải lớn hơn hoặc bằng 1"}]
    body = error(coordinator.get("/api/units", {"offset": "abc"}), 422, "du_lieu_khong_hop_le")
    assert body["details"] == [{"field": "offset", "message": "phải là số nguyên"}]
    error(coordinator.get("/api/units", {"limit": 10**15}), 422, "du_lieu_khong_hop_le")


# --- documents ------------------------------------------------------------------------------


def test_document_search_without_diacritics(inspector):
    found = items(inspector.get("/api/documents", {"q": "dang uy", "limit": 1000}))
    assert found and all("dang uy" in _folded(d) for d in found)
    assert any("Đảng ủy" in d["issuer"] + d["subject"] for d in found)


def _folded(document: dict) -> str:
    from theodoi.domain.text import fold

    return fold(f"{document['symbol']} {document['subject']} {document['issuer']}")


def test_document_type_filter_and_detail(inspector, dataset):
    plans = items(inspector.get("/api/documents", {"type": "KH", "limit": 1000}))
    assert len(plans) == Document.objects.filter(doc_type="KH").count()
    detail = inspector.get(f"/api/documents/{dataset.document.id}").json()
    assert detail["symbol"] == "96/KH-UBND" and detail["full_text"] == dataset.document.full_text
    assert any(r["kind"] == "implements" for r in detail["references"])
    error(inspector.get("/api/documents/999999"), 404, "khong_tim_thay")
    error(inspector.get("/api/documents", {"type": "XX"}), 422, "du_lieu_khong_hop_le")


# --- plans, tasks, indicators ---------------------------------------------------------------


def test_plans_are_readable_below_their_owner_not_outside(reporter, outsider, dataset):
    assert "96/KH-UBND" in {p["symbol"] for p in items(reporter.get("/api/plans"))}
    detail = reporter.get(f"/api/plans/{dataset.id}").json()
    assert detail["task_count"] == dataset.tasks.count()
    assert detail["owner_unit"] == "CATHAI"
    assert items(outsider.get("/api/plans")) == []
    error(outsider.get(f"/api/plans/{dataset.id}"), 404, "khong_tim_thay")
    error(outsider.get(f"/api/plans/{dataset.id}/tasks"), 404, "khong_tim_thay")
    error(outsider.get(f"/api/plans/{dataset.id}/indicators"), 404, "khong_tim_thay")
    error(outsider.get(f"/api/plans/{dataset.id}/summary"), 404, "khong_tim_thay")
    error(outsider.get(f"/api/tasks/{dataset.tasks.first().id}"), 404, "khong_tim_thay")


def test_tasks_carry_the_status_the_dashboard_counts(leader, dataset):
    path = f"/api/plans/{dataset.id}/tasks"
    rows = items(leader.get(path, {"period": Q1, "limit": 1000}))
    summary = plan_summary(plan=dataset, as_of=Q1_END, user=None)
    assert len(rows) == summary["tasks"]["total"]
    for status in ("overdue", "in_progress", "completed_on_time"):
        filtered = items(leader.get(path, {"period": Q1, "status": status, "limit": 1000}))
        assert len(filtered) == summary["tasks"][status]
        assert all(r["status"] == status for r in filtered)


def test_task_filters_by_unit_and_group(leader, reporter, dataset):
    path = f"/api/plans/{dataset.id}/tasks"
    by_unit = items(leader.get(path, {"unit": VHXH, "limit": 1000}))
    assert len(by_unit) == dataset.tasks.filter(lead_unit__code=VHXH).count() > 0
    group = dataset.groups.filter(tasks__isnull=False).first()
    by_group = items(leader.get(path, {"group": group.code, "limit": 1000}))
    assert len(by_group) == group.tasks.count()
    error(reporter.get(path, {"unit": TTHCC}), 404, "khong_tim_thay")
    error(leader.get(path, {"status": "xong"}), 422, "du_lieu_khong_hop_le")
    body = error(leader.get(path, {"period": "2026-Q7"}), 422, "ky_khong_hop_le")
    assert "Kỳ báo cáo “2026-Q7”" in body["message"]
    error(leader.get(path, {"period": "0001-Q1"}), 422, "ky_khong_hop_le")


def test_indicators_are_evaluated_as_the_reports_do(inspector, dataset):
    rows = items(
        inspector.get(f"/api/plans/{dataset.id}/indicators", {"period": Q1, "limit": 1000})
    )
    expected = indicator_rows(plan=dataset, as_of=Q1_END, user=None)
    assert [(r["indicator"]["code"], r["status"]) for r in rows] == [
        (r.indicator.code, r.evaluation.status.value) for r in expected
    ]


def test_summary_equals_plan_summary(leader, dataset):
    body = leader.get(f"/api/plans/{dataset.id}/summary", {"period": Q1}).json()
    expected = plan_summary(plan=dataset, as_of=Q1_END, user=None)
    assert body["unit"] == "CATHAI" and body["as_of"] == "2026-03-31"
    assert body["tasks"] == expected["tasks"]
    assert body["indicators"] == expected["indicators"]
    assert body["sentence"] == expected["sentence"]
    assert body["illustrative"] == expected["illustrative"]
    assert len(body["overdue_tasks"]) == expected["tasks"]["overdue"]
    assert {VHXH, TTHCC} <= set(body["not_reported_units"])


def test_summary_is_cached_by_the_version_of_its_data(leader, dataset):
    import datetime as dt

    from django.db.models import Q

    from theodoi.plans.models import Task

    path = f"/api/plans/{dataset.id}/summary"
    with CaptureQueriesContext(connection) as cold:
        first = leader.get(path, {"period": Q1}).json()
    with CaptureQueriesContext(connection) as warm:
        again = leader.get(path, {"period": Q1}).json()
    assert again == first and len(warm) < len(cold) / 2
    task = (
        dataset.tasks.filter(Q(deadline_date__gt=Q1_END) | Q(deadline_date__isnull=True))
        .exclude(updates__reported_state="completed")
        .first()
    )
    Task.objects.filter(pk=task.pk).update(
        deadline_kind="date", deadline_date=dt.date(2026, 1, 10), deadline_text="10/01/2026"
    )
    changed = leader.get(path, {"period": Q1}).json()
    assert changed["tasks"] == plan_summary(plan=dataset, as_of=Q1_END, user=None)["tasks"]
    assert changed["tasks"]["overdue"] == first["tasks"]["overdue"] + 1


def test_a_kept_summary_is_served_without_reading_the_plan_and_only_to_whom_may_see_it(
    leader, reporter, dataset
):
    from theodoi.orgs.models import Membership
    from theodoi.plans.models import Plan

    path = f"/api/plans/{dataset.id}/summary"
    for client in (reporter, leader):
        first = client.get(path, {"period": Q1}).json()
        with CaptureQueriesContext(connection) as warm:
            assert client.get(path, {"period": Q1}).json() == first
        assert not [q for q in warm if '"plans_plan"' in q["sql"]]
    # a unit reporting changes no count of the plan, but the answer names who has not
    assert VHXH in first["not_reported_units"]
    Submission.objects.create(
        org_unit=OrgUnit.objects.get(code=VHXH),
        period=Period.objects.get(code=Q1),
        state=UpdateState.SUBMITTED,
    )
    assert VHXH not in leader.get(path, {"period": Q1}).json()["not_reported_units"]
    # the plan given to a unit the reporter does not see (nor is under): refused, not kept
    Plan.objects.filter(pk=dataset.pk).update(owner_unit=OrgUnit.objects.get(code=OTHER))
    error(reporter.get(path, {"period": Q1}), 404, "khong_tim_thay")
    Plan.objects.filter(pk=dataset.pk).update(owner_unit=OrgUnit.objects.get(code="CATHAI"))
    assert reporter.get(path, {"period": Q1}).status_code == 200
    # the leader's role taken away: refused, though the answer was kept a moment ago
    Membership.objects.filter(user__username="lanhdao").delete()
    error(leader.get(path, {"period": Q1}), 404, "khong_tim_thay")


def test_summary_of_a_plan_id_no_row_can_have_is_not_found(leader, dataset):
    error(leader.get(f"/api/plans/{2**70}/summary", {"period": Q1}), 404, "khong_tim_thay")


def test_summary_for_a_unit_counts_its_part_and_is_scoped(leader, reporter, dataset):
    vhxh = OrgUnit.objects.get(code=VHXH)
    expected = plan_summary(plan=dataset, as_of=Q1_END, user=None, unit=vhxh)
    path = f"/api/plans/{dataset.id}/summary"
    assert leader.get(path, {"period": Q1, "unit": VHXH}).json()["tasks"] == expected["tasks"]
    # A reporter who cannot see the plan's owner gets their own unit's part by default.
    own = reporter.get(path, {"period": Q1}).json()
    assert own["unit"] == VHXH and own["tasks"] == expected["tasks"]
    error(reporter.get(path, {"period": Q1, "unit": "CATHAI"}), 404, "khong_tim_thay")


def test_task_detail_hides_another_units_draft(reporter, other_reporter, coordinator, dataset):
    q2 = period_ensure(period=parse_period("2026-Q2"), user=None)
    other = OrgUnit.objects.get(code=OTHER)
    task = entry_rows(unit=other, period=q2, user=None)[0].task
    task_update_save(
        task=task,
        period=q2,
        user=get_user_model().objects.get(username="kt.baocao"),
        values={"reported_state": "in_progress", "progress_percent": 30, "results": "Nháp KT"},
    )
    mine = reporter.get(f"/api/tasks/{task.id}").json()
    assert "Nháp KT" not in {u["results"] for u in mine["updates"]}
    theirs = other_reporter.get(f"/api/tasks/{task.id}").json()
    assert "Nháp KT" in {u["results"] for u in theirs["updates"]}
    above = coordinator.get(f"/api/tasks/{task.id}").json()
    assert "Nháp KT" in {u["results"] for u in above["updates"]}


def test_periods_list_and_filter(inspector, q1):
    everything = items(inspector.get("/api/periods", {"limit": 1000}))
    assert Q1 in {p["code"] for p in everything}
    quarters = items(inspector.get("/api/periods", {"kind": "quarter", "limit": 1000}))
    assert quarters and all(p["kind"] == "quarter" for p in quarters)


# --- a unit's period ------------------------------------------------------------------------


def test_task_updates_of_a_unit_are_its_entry_rows(reporter, q1):
    rows = items(reporter.get(f"/api/units/{VHXH}/periods/{Q1}/task-updates", {"limit": 1000}))
    expected = entry_rows(unit=OrgUnit.objects.get(code=VHXH), period=q1, user=None)
    assert [r["task"]["id"] for r in rows] == [r.task.id for r in expected]


def test_task_updates_are_not_found_outside_scope(reporter, outsider, q1):
    path = f"/api/units/{OTHER}/periods/{Q1}/task-updates"
    error(reporter.get(path), 404, "khong_tim_thay")
    error(outsider.get(f"/api/units/{VHXH}/periods/{Q1}/task-updates"), 404, "khong_tim_thay")
    error(outsider.get(f"/api/units/{VHXH}/periods/{Q1}/data-values"), 404, "khong_tim_thay")
    error(reporter.get(f"/api/units/{VHXH}/periods/2026-Q5/task-updates"), 422, "ky_khong_hop_le")


def test_reading_a_period_never_stores_it(inspector, dataset):
    before = Period.objects.count()
    response = inspector.get(f"/api/units/{VHXH}/periods/2026-Q4/task-updates")
    assert response.status_code == 200
    assert all(r["update"] is None for r in response.json()["items"])
    assert inspector.get(f"/api/units/{VHXH}/periods/2030-Q1/data-values").status_code == 200
    assert Period.objects.count() == before


def test_drafts_show_only_to_those_who_may_edit(reporter, coordinator, inspector, leader, q1):
    task = entry_rows(unit=OrgUnit.objects.get(code=VHXH), period=q1, user=None)[0].task
    saved = reporter.put(
        f"/api/units/{VHXH}/periods/{Q1}/tasks/{task.id}/update",
        {"reported_state": "in_progress", "progress_percent": 40, "results": "Nháp quý I"},
        content_type="application/json",
    )
    assert saved.status_code == 200
    entry = next(elem for elem in entry_elements(unit=OrgUnit.objects.get(code=VHXH)))
    figures = {"values": [{"element": entry.element.code, "area": entry.area.code, "value": 7}]}
    path = f"/api/units/{VHXH}/periods/{Q1}"
    response = reporter.put(f"{path}/data-values", figures, content_type="application/json")
    assert response.status_code == 200

    def draft(client) -> tuple:
        rows = items(client.get(f"{path}/task-updates", {"limit": 1000}))
        update = next(r["update"] for r in rows if r["task"]["id"] == task.id)
        values = items(client.get(f"{path}/data-values", {"limit": 1000}))
        value = next(v["value"] for v in values if v["element"] == entry.element.code)
        return (update or {}).get("results"), value

    assert draft(reporter) == ("Nháp quý I", "7.0000")
    assert draft(coordinator) == ("Nháp quý I", "7.0000")
    assert draft(inspector) == (None, None)
    assert draft(leader) == (None, None)
