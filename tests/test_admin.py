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
