"""The Django admin opens in Vietnamese and shows the dataset and its history."""

from theodoi.plans.models import Task


def test_admin_speaks_vietnamese(dataset, admin_client):
    page = admin_client.get("/admin/").content.decode()
    assert 'lang="vi"' in page
    assert "Nhiệm vụ" in page and "Kế hoạch" in page


def test_anonymous_user_is_sent_to_the_login_page(db, client):
    response = client.get("/admin/plans/task/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_task_list_and_history_pages(dataset, admin_client):
    task = Task.objects.get(plan__document__symbol="96/KH-UBND", code="1.1")
    assert admin_client.get("/admin/plans/task/?q=chuyen+doi+so").status_code == 200
    history = admin_client.get(f"/admin/plans/task/{task.pk}/history/").content.decode()
    assert "theodoi-dulieu" in history


# --- the administrator is bound by the same rules (issue 13) ----------------------------------


def _issued_report(dataset):
    from django.utils import timezone

    from theodoi.domain.periods import parse_period
    from theodoi.orgs.models import OrgUnit
    from theodoi.reports.services import report_issue

    return report_issue(
        unit=OrgUnit.objects.get(code="CATHAI"),
        period=parse_period("2026-Q1"),
        plans=[dataset],
        user=None,
        number=66,
        issued_on=timezone.localdate(),
    )


def test_an_issued_report_cannot_be_deleted_or_reverted_in_the_admin(dataset, admin_client):
    from theodoi.reports.models import Report

    report = _issued_report(dataset)
    listing = admin_client.get("/admin/reports/report/").content.decode()
    assert "delete_selected" not in listing  # no bulk deletion offered
    bulk = admin_client.post(
        "/admin/reports/report/",
        {"action": "delete_selected", "_selected_action": [report.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    single = admin_client.post(f"/admin/reports/report/{report.pk}/delete/", {"post": "yes"})
    assert single.status_code == 302  # back to the report, with the reason it stays
    page = admin_client.get(single["Location"]).content.decode()
    assert "đã vào sổ đăng ký: không xóa, không sửa được" in page
    record = report.history.first()
    revert = admin_client.get(f"/admin/reports/report/{report.pk}/history/{record.pk}/")
    assert revert.status_code in (200, 403)
    assert b'name="_save"' not in revert.content  # history is shown, never reverted
    assert Report.objects.filter(pk=report.pk, state="issued").exists()


def test_locked_progress_and_figures_are_read_only_in_the_admin(dataset, admin_client):
    from theodoi.progress.models import DataValue, TaskUpdate

    value = DataValue.objects.filter(period__code="2026-Q1", org_unit__code="CATHAI").first()
    update = TaskUpdate.objects.filter(period__code="2026-Q1", state="approved").first()
    for path, obj in (("progress/datavalue", value), ("progress/taskupdate", update)):
        page = admin_client.get(f"/admin/{path}/{obj.pk}/change/").content.decode()
        assert "Chỉ xem ở trang Quản trị" in page and 'name="_save"' not in page
        posted = admin_client.post(f"/admin/{path}/{obj.pk}/change/", {"value": "12"})
        assert posted.status_code == 403
        assert (
            admin_client.post(f"/admin/{path}/{obj.pk}/delete/", {"post": "yes"}).status_code == 403
        )
    before = value.value
    value.refresh_from_db()
    assert value.value == before and DataValue.objects.filter(pk=value.pk).exists()


def test_an_administrators_change_needs_a_reason_that_the_history_keeps(dataset, admin_client):
    from theodoi.progress.models import DataElement

    element = DataElement.objects.get(code="dossiers.received")
    url = f"/admin/progress/dataelement/{element.pk}/change/"
    form = {
        "code": element.code,
        "name": "Hồ sơ tiếp nhận (mọi kênh)",
        "unit": element.unit,
        "value_type": element.value_type,
        "description": element.description,
        "aggregation": element.aggregation,
    }
    refused = admin_client.post(url, form)
    assert refused.status_code == 200
    assert "Hãy ghi lý do thay đổi" in refused.content.decode()
    element.refresh_from_db()
    assert element.name == "Hồ sơ tiếp nhận"
    done = admin_client.post(url, {**form, "ly_do_thay_doi": "Thống nhất tên với Bộ chỉ số"})
    assert done.status_code == 302
    latest = element.history.latest()
    assert latest.name == "Hồ sơ tiếp nhận (mọi kênh)"
    assert latest.history_change_reason == "Thống nhất tên với Bộ chỉ số"
    assert latest.history_user.is_superuser


def test_an_administrators_deletion_needs_a_reason_that_the_history_keeps(dataset, admin_client):
    from theodoi.orgs.models import Membership

    membership = Membership.objects.first()
    url = f"/admin/orgs/membership/{membership.pk}/delete/"
    page = admin_client.get(url).content.decode()
    assert "Lý do xóa" in page
    admin_client.post(url, {"post": "yes"})
    assert Membership.objects.filter(pk=membership.pk).exists()  # no reason: nothing deleted
    admin_client.post(url, {"post": "yes", "ly_do": "Cán bộ chuyển công tác"})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    record = Membership.history.filter(id=membership.pk).latest()
    assert record.history_type == "-" and record.history_change_reason == "Cán bộ chuyển công tác"
