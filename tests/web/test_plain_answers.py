"""What the server answers when a request cannot be served: a method an address does not
take (405), a HEAD request, a request our code refuses (400), a database busy with another
writer (503) and an unexpected failure (500) — in Vietnamese, as a page or as the API's JSON."""

from __future__ import annotations

import pytest
from django.db.utils import OperationalError
from django.test import Client
from django.urls import reverse

from tests.web.test_views import Q1, VHXH, login
from theodoi.progress.models import Period


def test_opening_a_button_address_says_so_in_vietnamese(dataset):
    response = Client().get(reverse("web:logout"))
    assert response.status_code == 405
    page = response.content.decode()
    assert "không mở trực tiếp được" in page and "không có gì được thay đổi" in page
    assert response["Allow"] == "POST, OPTIONS"


def test_the_api_says_which_methods_an_address_takes(dataset):
    response = Client().delete("/api/units")
    assert response.status_code == 405
    body = response.json()
    assert body["code"] == "phuong_thuc_khong_hop_le"
    assert "không nhận phương thức DELETE" in body["message"]


def test_a_head_request_gets_headers_only(dataset):
    response = Client().head(reverse("web:login"))
    assert response.status_code == 200
    assert response.content == b""
    assert int(response["Content-Length"]) > 0


def test_an_entry_for_a_custom_range_is_refused_with_the_reason(dataset):
    reporter = login("vhxh.baocao")
    before = Period.objects.count()
    code = "2026-01-01..2026-02-15"
    response = reporter.post(reverse("web:progress_figures", args=[VHXH, code]), {"action": "save"})
    assert response.status_code == 400
    assert "khoảng ngày tùy chọn chỉ dùng khi lập báo cáo" in response.content.decode()
    assert Period.objects.count() == before


def test_saving_a_form_with_no_figure_of_the_unit_says_nothing_was_saved(dataset):
    reporter = login("vhxh.baocao")
    url = reverse("web:progress_figures", args=[VHXH, Q1])
    response = reporter.post(url, {"v-999999-999999": "5", "action": "save"})
    assert response.status_code == 400
    assert "không có gì được lưu" in response.content.decode()


@pytest.fixture
def failing_dashboard(monkeypatch):
    """Make the dashboard fail with ``error`` when it reads its figures."""

    def fail_with(error: Exception) -> None:
        def broken(*args, **kwargs):
            raise error

        monkeypatch.setattr("theodoi.web.views.dashboard.dashboard_data", broken)

    return fail_with


def test_a_busy_database_is_a_503_asking_to_try_again(dataset, failing_dashboard):
    failing_dashboard(OperationalError("database is locked"))
    client = login("vhxh.baocao", raise_request_exception=False)
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    page = response.content.decode()
    assert "Hệ thống đang bận" in page and "chưa được thực hiện" in page


def test_an_unexpected_failure_is_a_500_in_vietnamese(dataset, failing_dashboard):
    failing_dashboard(RuntimeError("boom"))
    client = login("vhxh.baocao", raise_request_exception=False)
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 500
    assert "boom" not in response.content.decode()
    assert 'lang="vi"' in response.content.decode()


def test_a_nul_character_in_an_address_is_refused_plainly(dataset):
    from django.test import Client

    from tests.web.test_views import login

    api = Client().get("/api/reports", {"unit": "CAT\x00HAI"})
    assert api.status_code == 400
    assert api.json()["message"] == "Tham số “unit” của địa chỉ có ký tự NUL (mã 0), không hợp lệ."
    page = login("vhxh.tonghop").get("/tim-kiem/", {"q": "a\x00b"})
    assert page.status_code == 400 and "ký tự NUL" in page.content.decode()
