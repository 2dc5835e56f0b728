"""Every page and action of the web app: allowed, forbidden, and scoped to the user's own
units (a reporter of one unit cannot read or change another unit's drafts by guessing ids).

Runs on the test database holding the Cát Hải dataset and the demo accounts, through Django's
test client (the browser journey is in test_journey.py).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import unit_outside_cathai
from theodoi.domain.periods import parse_period
from theodoi.orgs.models import Membership, OrgUnit
from theodoi.plans.models import Task
from theodoi.progress.models import DataValue, Evidence, Period, Submission, TaskUpdate
from theodoi.progress.selectors.entry import (
    entry_elements,
    entry_rows,
    period_stored_or_unsaved,
)
from theodoi.progress.services.periods import period_ensure

Q1 = "2026-Q1"
# Reports on Q1 are issued after it ends, not in the future, not long ago: today does.
TODAY = timezone.localdate()
ISSUE_DATE = TODAY.strftime("%d/%m/%Y")
VHXH = "CATHAI-VHXH"
TTHCC = "CATHAI-TTHCC"


@pytest.fixture
def q1(dataset):
    return period_ensure(period=parse_period(Q1), user=None)


def login(username: str, **client_kwargs) -> Client:
    # django-axes checks each sign-in against the request it comes with (its address): the
    # test client's login() passes none unless given one.
    client = Client(**client_kwargs)
    assert client.login(
        request=HttpRequest(), username=username, password=username.replace(".", "-") + "-2026"
    )
    return client


@pytest.fixture
def reporter(dataset):
    return login("vhxh.baocao")


OTHER = "CATHAI-KT"


@pytest.fixture
def other_reporter(dataset, django_user_model):
    """A reporter of Phòng Kinh tế, a sibling of Phòng Văn hóa - Xã hội that leads a task."""
    user = django_user_model.objects.create_user("kt.baocao", password="kt-baocao-2026")
    Membership.objects.create(user=user, org_unit=unit(OTHER), role="reporter")
    return login("kt.baocao")


@pytest.fixture
def coordinator(dataset):
    return login("vhxh.tonghop")


@pytest.fixture
def leader(dataset):
    return login("lanhdao")


@pytest.fixture
def inspector(dataset):
    return login("kiemtra")


@pytest.fixture
def outsider(dataset, django_user_model):
    """A reporter of a unit outside Cát Hải's subtree."""
    user = django_user_model.objects.create_user("ngoai", password="ngoai-2026-x")
    unit = unit_outside_cathai()
    Membership.objects.create(user=user, org_unit=unit, role="reporter")
    client = Client()
    client.login(request=HttpRequest(), username="ngoai", password="ngoai-2026-x")
    return client


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def first_task(code: str, period) -> Task:
    return entry_rows(unit=unit(code), period=period, user=None)[0].task


def task_url(code: str, task: Task, period: str = Q1) -> str:
    return reverse("web:progress_task", args=[code, period, task.id])


COMPLETED = {
    "reported_state": "completed",
    "progress_percent": "100",
    "completion_date": "15/03/2026",
    "results": "Đã tổ chức tập huấn cho 40 cán bộ.",
}


COMPLETED_Q2 = {**COMPLETED, "completion_date": "15/05/2026", "results": "Hoàn thành quý II."}


def enter_all(client: Client, code: str, period) -> None:
    for row in entry_rows(unit=unit(code), period=period, user=None):
        response = client.post(task_url(code, row.task), COMPLETED)
        assert response.status_code == 302, response.content.decode()[:2000]


def submission(code: str, period) -> Submission:
    return Submission.objects.get(org_unit__code=code, period=period)


# --- sign-in ----------------------------------------------------------------------------------

PAGES = [
    ("web:dashboard", []),
    ("web:plan_list", []),
    ("web:document_list", []),
    ("web:unit_list", []),
    ("web:search", []),
    ("web:guide", []),
    ("web:progress_home", []),
    ("web:review_list", []),
    ("web:reports", []),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_anonymous_is_sent_to_sign_in(dataset, name, args):
    response = Client().get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_sign_in_page_is_vietnamese_and_wrong_password_says_so(dataset):
    client = Client()
    page = client.get(reverse("web:login")).content.decode()
    assert 'lang="vi"' in page and "Mật khẩu" in page
    response = client.post(reverse("web:login"), {"username": "lanhdao", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_every_page_opens_for_the_leader(leader, name, args):
    response = leader.get(reverse(name, args=args))
    assert response.status_code in (200, 302)


# --- dashboard and browsing ----------------------------------------------------------


def test_dashboard_counts_match_the_report_selector(leader, dataset):
    from theodoi.progress.selectors.tasks import plan_summary

    response = leader.get(reverse("web:dashboard"), {"don-vi": "CATHAI", "ky": Q1})
    data = response.context["data"]
    summary = plan_summary(plan=dataset, as_of=dt.date(2026, 3, 31), user=None)
    assert data.counts.as_dict() == summary["tasks"]
    assert data.sentence == summary["sentence"]
    assert "dữ liệu minh họa" in response.content.decode()
    # The demo leaves these two offices to report Q1 themselves.
    names = {row.unit.code for row in data.not_reported}
    assert {VHXH, TTHCC} <= names


def test_dashboard_trend_lines_carry_the_unit_and_the_milestone_target(leader, dataset):
    response = leader.get(reverse("web:dashboard"), {"don-vi": "CATHAI", "ky": Q1})
    data, trends = response.context["data"], response.context["chart"]["trends"]
    with_target = [
        r for r in data.indicators if r.evaluation.target and str(r.indicator.id) in trends
    ]
    assert with_target, "the demo has indicators with values and targets"
    for row in with_target:
        trend = trends[str(row.indicator.id)]
        assert trend["target"] == float(row.evaluation.target.value)
        assert trend["unit"] == row.indicator.unit
        assert str(row.evaluation.milestone_year) in trend["target_label"]
        assert len(trend["labels"]) == len(trend["values"])


def test_reporter_sees_own_unit_dashboard_not_a_sibling(reporter):
    assert reporter.get(reverse("web:dashboard"), {"don-vi": VHXH}).status_code == 200
    assert reporter.get(reverse("web:dashboard"), {"don-vi": TTHCC}).status_code == 404


def test_bad_period_is_404_in_vietnamese(leader):
    response = leader.get(reverse("web:dashboard"), {"ky": "2026-Q7"})
    assert response.status_code == 404
    assert "Không có kỳ báo cáo" in response.content.decode()


def test_plan_is_readable_below_its_owner_but_not_outside(reporter, outsider, dataset):
    url = reverse("web:plan_detail", args=[dataset.id])
    assert reporter.get(url).status_code == 200
    assert outsider.get(url).status_code == 404
    assert (
        outsider.get(reverse("web:task_detail", args=[dataset.tasks.first().id])).status_code == 404
    )


def test_plan_filters_and_search_without_diacritics(leader, dataset):
    url = reverse("web:plan_detail", args=[dataset.id])
    with_marks = leader.get(url, {"q": "chuyển đổi số"}).context["count"]
    without = leader.get(url, {"q": "CHUYEN DOI SO"}).context["count"]
    assert with_marks == without > 0
    overdue = leader.get(url, {"tinh-trang": "overdue", "ky": Q1}).context
    assert all(r.status.value == "overdue" for rows in overdue["groups"].values() for r in rows)
    by_unit = leader.get(url, {"don-vi": VHXH}).context
    assert by_unit["count"] == Task.objects.filter(lead_unit__code=VHXH).count()


def test_search_finds_dang_uy_typed_without_d_stroke(inspector):
    response = inspector.get(reverse("web:search"), {"q": "dang uy"})
    assert response.status_code == 200
    texts = [
        r.object.subject + r.object.issuer
        for r in response.context["results"]
        if r.kind == "document"
    ]
    assert any("Đảng ủy" in t for t in texts)


def test_search_without_diacritics_finds_a_task_and_marks_the_hit(reporter, dataset):
    task = dataset.tasks.get(code="2.8")
    response = reporter.get(reverse("web:search"), {"q": "lo trinh phat trien chuyen doi so"})
    results = response.context["results"]
    assert results[0].object == task and results[0].tier_label == "Khớp không dấu"
    page = response.content.decode()
    assert "<mark>lộ trình phát triển chuyển đổi số</mark>" in page
    assert reverse("web:task_detail", args=[task.id]) in page


def test_search_finds_an_ocr_scanned_document_on_its_line(inspector, dataset):
    from theodoi.documents.models import Document
    from theodoi.search.index import search_index_refresh

    scanned = "Thuc hién Ké hoach\ncua Ban Thuwong vu DPang uy dac khu <b>vé</b> chuyén ddi sé"
    doc = Document.objects.create(key="quet-ocr", doc_type="KH", full_text=scanned)
    search_index_refresh(documents=[doc])
    response = inspector.get(reverse("web:search"), {"q": "Đảng ủy", "loai": "document"})
    (result,) = [r for r in response.context["results"] if r.object == doc]
    assert result.tier_label == "Khớp gần đúng (OCR)" and result.line == 2
    page = response.content.decode()
    # The text around the hit is escaped; only the hit is marked.
    assert "<mark>DPang uy</mark> dac khu &lt;b&gt;vé&lt;/b&gt;" in page
    assert "Dòng 2 của toàn văn" in page
    assert all(r.kind == "document" for r in response.context["results"])


def test_search_shows_an_outsider_no_task_of_cat_hai(outsider, dataset):
    task = dataset.tasks.get(code="2.8")
    response = outsider.get(reverse("web:search"), {"q": task.title})
    assert response.status_code == 200
    assert not [r for r in response.context["results"] if r.kind in ("task", "indicator")]
    assert reverse("web:task_detail", args=[task.id]) not in response.content.decode()


def test_search_with_query_syntax_or_nothing_typed_does_not_fail(leader):
    for q in ['"NOT AND (', "*", "", "NEAR(a"]:
        response = leader.get(reverse("web:search"), {"q": q, "loai": "khong-co"})
        assert response.status_code == 200
        if q in ("*", ""):
            assert response.context["results"] == []


def test_object_pages_show_history(leader, dataset):
    task = dataset.tasks.first()
    page = leader.get(reverse("web:task_detail", args=[task.id])).content.decode()
    assert "Lịch sử thay đổi" in page and "theodoi-dulieu" in page
    for name, arg in [
        ("web:indicator_detail", dataset.indicators.first().id),
        ("web:document_detail", dataset.document.id),
        ("web:unit_detail", "CATHAI"),
    ]:
        assert "Lịch sử thay đổi" in leader.get(reverse(name, args=[arg])).content.decode()


# --- progress entry ----------------------------------------------------------


def test_reporter_enters_a_draft_which_history_records(reporter, q1):
    task = first_task(VHXH, q1)
    response = reporter.post(task_url(VHXH, task), COMPLETED)
    assert response.status_code == 302
    update = TaskUpdate.objects.get(task=task, period=q1)
    assert update.state == "draft" and update.completion_date == dt.date(2026, 3, 15)
    record = update.history.first()
    assert record.history_user.username == "vhxh.baocao"


def test_wrong_input_is_refused_on_the_field(reporter, q1):
    task = first_task(VHXH, q1)
    response = reporter.post(
        task_url(VHXH, task),
        {"reported_state": "completed", "completion_date": "31/02/2026", "results": "x"},
    )
    assert response.status_code == 400
    assert "dd/mm/yyyy" in response.context["form"].errors["completion_date"][0]
    response = reporter.post(task_url(VHXH, task), {**COMPLETED, "completion_date": "15/05/2026"})
    assert "sau ngày cuối kỳ 31/03/2026" in response.context["form"].errors["completion_date"][0]
    response = reporter.post(
        task_url(VHXH, task), {"reported_state": "not_started", "progress_percent": "40"}
    )
    assert "0%" in response.context["form"].errors["progress_percent"][0]
    assert not TaskUpdate.objects.filter(task=task, period=q1).exists()


def test_reporter_cannot_read_or_change_another_units_drafts(reporter, other_reporter, dataset):
    # Q2: the demo has Phòng Kinh tế's Q1 already approved.
    q2 = period_ensure(period=parse_period("2026-Q2"), user=None)
    theirs = first_task(OTHER, q2)
    assert other_reporter.post(task_url(OTHER, theirs, q2.code), COMPLETED_Q2).status_code == 302
    draft = TaskUpdate.objects.get(task=theirs, period=q2)
    # Guessing the unit code or putting their task under one's own unit: not found.
    forged = {**COMPLETED_Q2, "results": "sửa"}
    assert reporter.get(task_url(OTHER, theirs, q2.code)).status_code == 404
    assert reporter.post(task_url(OTHER, theirs, q2.code), forged).status_code == 404
    assert reporter.post(task_url(VHXH, theirs, q2.code), forged).status_code == 404
    assert reporter.get(reverse("web:progress_unit", args=[OTHER, q2.code])).status_code == 404
    # The task's page does not show another unit's draft.
    page = reporter.get(reverse("web:task_detail", args=[theirs.id])).content.decode()
    assert COMPLETED_Q2["results"] not in page
    draft.refresh_from_db()
    assert draft.results == COMPLETED_Q2["results"]
    # The coordinator above both units may read it.
    coordinator = login("vhxh.tonghop")
    page = coordinator.get(reverse("web:task_detail", args=[theirs.id])).content.decode()
    assert COMPLETED_Q2["results"] in page


@pytest.mark.parametrize("code", ["2001-01-01..2099-12-31", "2019-Q3", "2020"])
def test_opening_a_period_never_writes(reporter, code):
    """Reading never writes: opening a unit's entry page for a period nobody has used stores
    no period row (the first save does)."""
    before = Period.objects.count()
    response = reporter.get(reverse("web:progress_unit", args=[VHXH, code]))
    assert response.status_code == 200
    task = first_task(VHXH, period_stored_or_unsaved(parse_period(code)))
    assert reporter.get(task_url(VHXH, task, code)).status_code == 200
    assert Period.objects.count() == before
    assert not Period.objects.filter(code=parse_period(code).code).exists()


def test_progress_is_typed_as_text_so_the_browser_drops_nothing(reporter, q1):
    """A number input lets the browser silently drop what it cannot read ("5O" became 5):
    the field is text, read and checked by the server."""
    page = reporter.get(task_url(VHXH, first_task(VHXH, q1))).content.decode()
    field = re.search(r"<input[^>]*name=\"progress_percent\"[^>]*>", page).group(0)
    assert 'type="text"' in field and 'inputmode="numeric"' in field


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        (
            {"reported_state": "in_progress", "progress_percent": "5O"},
            "progress_percent",
            "Tiến độ là số nguyên từ 0 đến 100.",
        ),
        (
            {**COMPLETED, "progress_percent": "60"},
            "progress_percent",
            "Nhiệm vụ đã hoàn thành thì tiến độ là 100%, không phải 60%",
        ),
        (
            {**COMPLETED, "completion_date": "01/01/2019"},
            "completion_date",
            "Ngày hoàn thành 01/01/2019 trước ngày nhiệm vụ được giao",
        ),
    ],
    ids=["letter-o-for-zero", "completed-at-60", "date-years-before"],
)
def test_what_the_user_typed_is_refused_with_a_reason_never_changed(
    reporter, q1, typed, field, message
):
    task = first_task(VHXH, q1)
    before = TaskUpdate.objects.filter(task=task, period=q1).first()
    response = reporter.post(task_url(VHXH, task), typed)
    assert response.status_code == 400  # the form again, with the message on the field
    page = response.content.decode()
    assert message in page
    assert f'id="id_{field}-loi"' in page or f"id_{field}" in page
    after = TaskUpdate.objects.filter(task=task, period=q1).first()
    assert (after and after.history.count()) == (before and before.history.count())


@pytest.mark.parametrize("username", ["lanhdao", "kiemtra"])
def test_a_draft_is_not_shown_to_those_who_may_not_edit_it(reporter, username, q1):
    """The entry page shows a leader or an inspector that the unit has not sent its report,
    not what it has typed so far (the API and the task page already hid it)."""
    task = first_task(VHXH, q1)
    draft = {**COMPLETED, "results": "Kết quả còn đang soạn, chưa gửi."}
    assert reporter.post(task_url(VHXH, task), draft).status_code == 302
    entry = next(e for e in entry_elements(unit=unit(VHXH)) if e.element.value_type != "count")
    figure = f"v-{entry.element.id}-{entry.area.id}"
    url = reverse("web:progress_figures", args=[VHXH, Q1])
    assert reporter.post(url, {figure: "97,37", "action": "save"}).status_code == 302
    mine = reporter.get(reverse("web:progress_unit", args=[VHXH, Q1])).content.decode()
    assert "97,37" in mine  # the reporter sees what they typed

    page = login(username).get(reverse("web:progress_unit", args=[VHXH, Q1])).content.decode()
    assert 'id="chua-gui"' in page
    assert "97,37" not in page
    tasks = page.split('id="nv-ky"')[1].split("</section>")[0]
    assert "Đã hoàn thành · 100%" not in tasks and "Chưa gửi" in tasks
    assert "Đã hoàn thành · 100%" in mine.split('id="nv-ky"')[1]
    task_page = login(username).get(reverse("web:task_detail", args=[task.id])).content.decode()
    assert draft["results"] not in task_page


@pytest.mark.parametrize("username", ["lanhdao", "kiemtra"])
def test_leader_and_inspector_cannot_enter_progress(username, q1):
    client = login(username)
    task = first_task(VHXH, q1)
    assert client.post(task_url(VHXH, task), COMPLETED).status_code == 403
    assert client.post(reverse("web:progress_submit", args=[VHXH, Q1])).status_code == 403
    assert not TaskUpdate.objects.filter(task=task, period=q1).exists()


def test_figures_get_immediate_feedback_and_save(reporter, q1):
    entry = entry_elements(unit=unit(VHXH))[0]
    name = f"v-{entry.element.id}-{entry.area.id}"
    url = reverse("web:progress_figures", args=[VHXH, Q1])
    check = reporter.post(url, {name: "-3"}, HTTP_HX_REQUEST="true")
    assert check.status_code == 200
    assert "Số liệu không được âm." in check.content.decode()
    check = reporter.post(url, {name: "1.2.3"}, HTTP_HX_REQUEST="true")
    assert "không đúng cách viết" in check.content.decode()
    assert not DataValue.objects.filter(element=entry.element, period=q1).exists()
    saved = reporter.post(url, {name: "87,5", "action": "save"})
    assert saved.status_code == 302
    value = DataValue.objects.get(element=entry.element, org_unit=entry.area, period=q1)
    assert value.value == Decimal("87.5") and value.entered_by.username == "vhxh.baocao"


def test_a_percentage_of_the_population_takes_decimals(reporter, q1):
    """ "Phủ sóng 5G cho người dân" is measured in "% dân số": 73,4 is a valid figure (the
    dashboard shows such values); the element decides, not the word after the %."""
    entry = next(
        e for e in entry_elements(unit=unit(VHXH)) if e.element.name == "Phủ sóng 5G cho người dân"
    )
    assert entry.element.unit == "% dân số"
    name = f"v-{entry.element.id}-{entry.area.id}"
    url = reverse("web:progress_figures", args=[VHXH, Q1])
    check = reporter.post(url, {name: "73,4"}, HTTP_HX_REQUEST="true").content.decode()
    assert "số nguyên" not in check
    assert reporter.post(url, {name: "73,4", "action": "save"}).status_code == 302
    stored = DataValue.objects.get(element=entry.element, org_unit=entry.area, period=q1)
    assert stored.value == Decimal("73.4")


def test_forged_figure_of_another_unit_is_ignored(reporter, q1):
    theirs = entry_elements(unit=unit(TTHCC))
    mine = {(e.element.id, e.area.id) for e in entry_elements(unit=unit(VHXH))}
    foreign = next(e for e in theirs if (e.element.id, e.area.id) not in mine)
    url = reverse("web:progress_figures", args=[VHXH, Q1])
    reporter.post(url, {f"v-{foreign.element.id}-{foreign.area.id}": "5", "action": "save"})
    assert not DataValue.objects.filter(element=foreign.element, period=q1, value=5).exists()


def test_rules_flag_inconsistent_dossier_figures(dataset, q1):
    from theodoi.progress.selectors.figures import rule_violations

    overrides = {
        "dossiers.received": Decimal(100),
        "dossiers.online": Decimal(70),
        "dossiers.direct": Decimal(20),
    }
    violations = rule_violations(unit=unit(TTHCC), period=q1, overrides=overrides)
    channel = [v for v in violations if v.rule.code == "dossiers_by_channel"]
    assert channel and "(90)" in channel[0].message and "(100)" in channel[0].message


def test_submit_needs_every_task(reporter, q1):
    response = reporter.post(reverse("web:progress_submit", args=[VHXH, Q1]), follow=True)
    assert "Chưa nhập tiến độ cho" in response.content.decode()
    assert not Submission.objects.filter(org_unit__code=VHXH, period=q1, state="submitted").exists()


def test_evidence_upload_is_checked_and_scoped(reporter, other_reporter, q1):
    task = first_task(VHXH, q1)
    bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = reporter.post(task_url(VHXH, task), {**COMPLETED, "evidence_file": bad})
    assert response.status_code == 400
    assert "chỉ nhận tệp" in response.content.decode()
    assert not TaskUpdate.objects.filter(task=task, period=q1).exists()  # nothing half written
    good = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    assert (
        reporter.post(task_url(VHXH, task), {**COMPLETED, "evidence_file": good}).status_code == 302
    )
    evidence = Evidence.objects.get(task_update__task=task)
    url = reverse("web:evidence_download", args=[evidence.id])
    assert b"".join(reporter.get(url).streaming_content) == b"%PDF-1.4 test"
    assert other_reporter.get(url).status_code == 404
    assert (
        other_reporter.post(reverse("web:evidence_delete", args=[evidence.id])).status_code == 404
    )
    assert Evidence.objects.filter(id=evidence.id).exists()


# --- review, approval, lock ----------------------------------------------------------


def test_workflow_submit_accept_approve_lock_unlock(reporter, coordinator, leader, q1):
    enter_all(reporter, VHXH, q1)
    reporter.post(reverse("web:progress_submit", args=[VHXH, Q1]))
    sub = submission(VHXH, q1)
    assert sub.state == "submitted" and sub.submitted_by.username == "vhxh.baocao"
    action = lambda client, name, **data: client.post(  # noqa: E731
        reverse("web:submission_action", args=[sub.id, name]), data
    )
    # The reporter cannot accept their own report; the leader cannot approve before acceptance.
    assert action(reporter, "tiep-nhan").status_code == 403
    action(leader, "phe-duyet")
    assert submission(VHXH, q1).state == "submitted"
    # Returning needs a reason.
    response = action(coordinator, "tra-lai")
    assert submission(VHXH, q1).state == "submitted"
    response = coordinator.get(response["Location"])
    assert "phải ghi lý do" in response.content.decode()
    action(coordinator, "tiep-nhan")
    assert submission(VHXH, q1).state == "accepted"
    assert action(coordinator, "phe-duyet").status_code == 403
    action(leader, "phe-duyet")
    sub = submission(VHXH, q1)
    assert sub.state == "approved" and sub.approved_by.username == "lanhdao"
    assert set(
        TaskUpdate.objects.filter(org_unit__code=VHXH, period=q1).values_list("state", flat=True)
    ) == {"approved"}
    # Locked: no change gets through.
    task = first_task(VHXH, q1)
    assert (
        reporter.post(task_url(VHXH, task), {**COMPLETED, "results": "sửa sau khóa"}).status_code
        == 403
    )
    assert not TaskUpdate.objects.filter(results="sửa sau khóa").exists()
    entry = entry_elements(unit=unit(VHXH))[0]
    reporter.post(
        reverse("web:progress_figures", args=[VHXH, Q1]),
        {f"v-{entry.element.id}-{entry.area.id}": "10", "action": "save"},
    )
    assert not DataValue.objects.filter(element=entry.element, period=q1, value=10).exists()
    # Unlocking needs a reason, which the history keeps.
    action(leader, "mo-khoa", reason="")
    assert submission(VHXH, q1).state == "approved"
    assert action(coordinator, "mo-khoa", reason="Sửa số liệu").status_code == 403
    action(leader, "mo-khoa", reason="Sửa số liệu tập huấn")
    sub = submission(VHXH, q1)
    assert sub.state == "returned"
    assert "Sửa số liệu tập huấn" in sub.history.first().history_change_reason
    assert reporter.post(task_url(VHXH, task), COMPLETED).status_code == 302


def test_other_units_submissions_are_not_found(reporter, other_reporter, q1):
    enter_all(reporter, VHXH, q1)
    reporter.post(reverse("web:progress_submit", args=[VHXH, Q1]))
    sub = submission(VHXH, q1)
    assert other_reporter.get(reverse("web:submission_detail", args=[sub.id])).status_code == 404
    assert (
        other_reporter.post(reverse("web:submission_action", args=[sub.id, "tra-lai"])).status_code
        == 404
    )
    assert reporter.get(reverse("web:submission_detail", args=[sub.id])).status_code == 200


def test_forged_request_without_csrf_token_changes_nothing(q1):
    client = login("vhxh.baocao", enforce_csrf_checks=True)
    task = first_task(VHXH, q1)
    response = client.post(task_url(VHXH, task), COMPLETED)
    assert response.status_code == 403
    assert "CSRF" in response.content.decode() and "tải lại trang" in response.content.decode()
    assert not TaskUpdate.objects.filter(task=task, period=q1).exists()


# --- reports ----------------------------------------------------------


def test_reports_page_only_for_those_who_report(reporter, inspector, coordinator):
    # Those who do not make reports read the register of issued reports, nothing more.
    for reader in (reporter, inspector):
        page = reader.get(reverse("web:reports"), {"ky": Q1, "lap": "1"})
        assert page.status_code == 200
        assert "snapshot" not in page.context and "Báo cáo đã ban hành" in page.content.decode()
        assert (
            reader.get(reverse("web:report_download", args=["docx"]), {"ky": Q1}).status_code == 403
        )
        assert reader.get(reverse("web:report_draft"), {"ky": Q1}).status_code == 403
    response = coordinator.get(reverse("web:reports"), {"ky": Q1, "lap": "1"})
    assert response.status_code == 200
    assert response.context["snapshot"]["period"]["code"] == Q1


def test_draft_report_downloads_and_issue_is_for_coordinators(coordinator, leader, dataset):
    query = {"don-vi": "CATHAI", "ky": Q1, "ke-hoach": dataset.id}
    docx = coordinator.get(reverse("web:report_download", args=["docx"]), query)
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert "wordprocessingml" in docx["Content-Type"]
    xlsx = coordinator.get(reverse("web:report_download", args=["xlsx"]), query)
    assert xlsx.content[:2] == b"PK"
    assert coordinator.get(reverse("web:report_download", args=["exe"]), query).status_code == 404
    issue = {**query, "number": "66", "issued_on": ISSUE_DATE, "signer_name": "Vũ Hữu Vững"}
    assert leader.post(reverse("web:report_issue"), issue).status_code == 403
    coordinator.post(reverse("web:report_issue"), issue)
    from theodoi.reports.models import Report

    report = Report.objects.get(number=66, register_year=TODAY.year)
    assert report.is_issued and report.created_by.username == "vhxh.tonghop"
    stored = bytes(report.docx)
    assert coordinator.get(reverse("web:report_file", args=[report.id, "docx"])).content == stored
    # The same period again is refused unless it replaces the report in force.
    again = {**issue, "number": "67"}
    response = coordinator.post(reverse("web:report_issue"), again, follow=True)
    page = response.content.decode()
    assert "đã có Báo cáo số 66/BC-UBND" in page and "báo cáo thay thế" in page
    assert 'id="da-co-bao-cao"' in page  # the form now offers the replacement
    assert Report.objects.filter(state="issued").count() == 1
    coordinator.post(reverse("web:report_issue"), {**again, "replaces": "on"})
    second = Report.objects.get(number=67, register_year=TODAY.year)
    assert second.corrects == report
    register = coordinator.get(reverse("web:reports"), query).content.decode()
    assert "Đã được thay thế bởi 67/BC-UBND" in register


def test_issued_report_file_is_not_found_outside_the_unit(outsider, coordinator, dataset):
    coordinator.post(
        reverse("web:report_issue"),
        {
            "don-vi": "CATHAI",
            "ky": Q1,
            "ke-hoach": dataset.id,
            "number": "7",
            "issued_on": ISSUE_DATE,
        },
    )
    from theodoi.reports.models import Report

    report = Report.objects.get(number=7, register_year=TODAY.year)
    assert outsider.get(reverse("web:report_file", args=[report.id, "docx"])).status_code == 404


# --- review findings: bad input, lock, counting ----------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/tien-do/CATHAI-VHXH/0001-Q1/",
        "/?ky=9999-12-31..9999-12-31",
        "/bao-cao/?ky=9999-Q4&lap=1",
        "/ke-hoach/999999/",
        "/nhiem-vu/abc/",
        "/khong-co-trang-nay/",
    ],
)
def test_bad_addresses_are_404_in_vietnamese_and_store_nothing(path, dataset):
    from theodoi.progress.models import Period

    before = Period.objects.count()
    response = login("vhxh.tonghop").get(path)
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không" in page and "No " not in page and "Resolver" not in page
    assert Period.objects.count() == before


def test_viewing_a_period_does_not_create_it_for_readers(inspector, dataset):
    from theodoi.progress.models import Period

    before = Period.objects.count()
    assert inspector.get(reverse("web:progress_unit", args=[VHXH, "2026-Q2"])).status_code == 404
    assert Period.objects.count() == before


def test_future_period_cannot_be_entered(reporter, dataset):
    response = reporter.get(reverse("web:progress_unit", args=[VHXH, "2030-Q1"]))
    assert response.status_code == 404
    assert "chưa bắt đầu" in response.content.decode()


def test_submitter_cannot_accept_own_report(coordinator, q1):
    enter_all(coordinator, VHXH, q1)
    coordinator.post(reverse("web:progress_submit", args=[VHXH, Q1]))
    sub = submission(VHXH, q1)
    coordinator.post(reverse("web:submission_action", args=[sub.id, "tiep-nhan"]))
    assert submission(VHXH, q1).state == "submitted"


def test_entered_figures_count_only_once_approved(reporter, coordinator, leader, dataset, q1):
    from theodoi.progress.selectors.tasks import indicator_rows

    entry = next(e for e in entry_elements(unit=unit(VHXH)) if e.indicators)
    indicator = entry.indicators[0]

    def actual():
        rows = indicator_rows(plan=dataset, as_of=dt.date(2026, 3, 31), user=None)
        return next(r.actual for r in rows if r.indicator.id == indicator.id)

    before = actual()
    reporter.post(
        reverse("web:progress_figures", args=[VHXH, Q1]),
        {f"v-{entry.element.id}-{entry.area.id}": "99", "action": "save"},
    )
    assert DataValue.objects.filter(element=entry.element, period=q1, value=99).exists()
    assert actual() == before  # a draft figure does not count
    enter_all(reporter, VHXH, q1)
    reporter.post(reverse("web:progress_submit", args=[VHXH, Q1]))
    sub = submission(VHXH, q1)
    coordinator.post(reverse("web:submission_action", args=[sub.id, "tiep-nhan"]))
    leader.post(reverse("web:submission_action", args=[sub.id, "phe-duyet"]))
    assert actual() == Decimal(99)


def test_dossier_figures_checked_against_each_other(q1):
    client = login("tthcc.baocao")
    entries = {e.element.code: e for e in entry_elements(unit=unit(TTHCC))}
    name = {code: f"v-{e.element.id}-{e.area.id}" for code, e in entries.items()}
    url = reverse("web:progress_figures", args=[TTHCC, Q1])
    typed = {
        name["dossiers.received"]: "1.000",
        name["dossiers.online"]: "900",
        name["dossiers.direct"]: "50",
    }
    page = client.post(url, typed, HTTP_HX_REQUEST="true").content.decode()
    assert "950" in page and "1.000" in page  # the rule states both numbers
    typed[name["dossiers.direct"]] = "100"
    page = client.post(url, typed, HTTP_HX_REQUEST="true").content.decode()
    assert "950" not in page


def test_removed_evidence_keeps_its_file(reporter, q1):
    task = first_task(VHXH, q1)
    upload = SimpleUploadedFile("anh.png", b"\x89PNG data", content_type="image/png")
    reporter.post(task_url(VHXH, task), {**COMPLETED, "evidence_file": upload})
    evidence = Evidence.objects.get(task_update__task=task)
    reporter.post(reverse("web:evidence_delete", args=[evidence.id]))
    evidence.refresh_from_db()
    assert evidence.removed_at is not None and evidence.removed_by.username == "vhxh.baocao"
    assert evidence.file.storage.exists(evidence.file.name)
    page = reporter.get(task_url(VHXH, task)).content.decode()
    assert "Đã gỡ bỏ tệp minh chứng “anh.png”" in page
    assert ">anh.png</a>" not in page


def test_user_without_role_is_told_so(dataset, django_user_model):
    django_user_model.objects.create_user("moi", password="moi-2026-abc")
    client = Client()
    client.login(request=HttpRequest(), username="moi", password="moi-2026-abc")
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 200
    assert "chưa được giao vai trò" in response.content.decode()


def test_history_reads_as_words(reporter, coordinator, q1):
    enter_all(reporter, VHXH, q1)
    reporter.post(reverse("web:progress_submit", args=[VHXH, Q1]))
    sub = submission(VHXH, q1)
    page = coordinator.get(reverse("web:submission_detail", args=[sub.id])).content.decode()
    assert "Bản nháp</del> → Đã gửi" in page
    assert "vhxh.baocao" in page


def test_entry_form_never_carries_illustrative_text(reporter, q1):
    rows = entry_rows(unit=unit(VHXH), period=q1, user=None)
    row = next(r for r in rows if r.previous is not None and r.previous.difficulties)
    assert row.previous.is_illustrative
    form = reporter.get(task_url(VHXH, row.task)).context["form"]
    assert form.initial.get("reported_state") == row.previous.reported_state
    assert "difficulties" not in form.initial


def test_outsider_finds_nothing_of_cat_hai(outsider, dataset):
    for name, arg in [
        ("web:plan_detail", dataset.id),
        ("web:task_detail", dataset.tasks.first().id),
        ("web:indicator_detail", dataset.indicators.first().id),
        ("web:unit_detail", "CATHAI"),
    ]:
        assert outsider.get(reverse(name, args=[arg])).status_code == 404, name
    assert outsider.get(reverse("web:dashboard"), {"don-vi": "CATHAI"}).status_code == 404
    assert not outsider.get(reverse("web:plan_list")).context["plans"]
    # The reports page shows the outsider's own register only; Cát Hải's is not found.
    own = outsider.get(reverse("web:reports"))
    assert own.status_code == 200 and "Cát Hải" not in own.content.decode()
    assert outsider.get(reverse("web:reports"), {"don-vi": "CATHAI"}).status_code == 404
    units = outsider.get(reverse("web:unit_list")).context["units"]
    assert not [u for u in units if u.code.startswith("CATHAI")]


def test_plan_page_shows_the_cascade_up_to_the_resolution(inspector, dataset):
    page = inspector.get(reverse("web:plan_detail", args=[dataset.id])).content.decode()
    assert "Nghị quyết số 57-NQ/TW" in page
    assert "Kế hoạch số 12-KH/TU" in page  # reached through 238/KH-UBND


def test_review_queue_tells_each_role_its_next_step(reporter, coordinator, leader, q1):
    enter_all(reporter, VHXH, q1)
    reporter.post(reverse("web:progress_submit", args=[VHXH, Q1]))

    def steps(client):
        rows = client.get(reverse("web:review_list"), {"ky": Q1}).context["rows"]
        return {s.org_unit.code: step for s, step in rows}

    assert steps(coordinator)[VHXH] == "Cần tiếp nhận"
    assert steps(leader)[VHXH] is None


def test_entry_page_marks_what_is_due_this_period(reporter, q1):
    rows = entry_rows(unit=unit(VHXH), period=q1, user=None)
    due = [r for r in rows if r.due_in_period]
    assert due and all(r.due <= q1.end for r in due)
    page = reporter.get(reverse("web:progress_unit", args=[VHXH, Q1])).content.decode()
    assert f"{due[0].due:%d/%m/%Y}" in page


def test_years_are_not_written_like_thousands(leader, dataset):
    indicator = dataset.indicators.filter(targets__year=2030).first()
    page = leader.get(reverse("web:indicator_detail", args=[indicator.id])).content.decode()
    assert "<td>2030</td>" in page and "2.030" not in page
    dashboard = leader.get(reverse("web:dashboard"), {"ky": Q1}).content.decode()
    assert "(2.030)" not in dashboard and "(2030)" in dashboard


def test_a_page_reads_the_users_roles_once(leader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    leader.get(reverse("web:dashboard"), {"don-vi": "CATHAI", "ky": Q1})
    with CaptureQueriesContext(connection) as queries:
        assert (
            leader.get(reverse("web:dashboard"), {"don-vi": "CATHAI", "ky": Q1}).status_code == 200
        )
    roles = [
        q["sql"]
        for q in queries
        if 'FROM "orgs_membership"' in q["sql"]
        and '"orgs_membership"."role"' in q["sql"]
        and "orgs_orgunit" in q["sql"]
        and '"orgs_membership"."id"' not in q["sql"]
    ]
    assert len(roles) == 1, roles
