"""/nhap-excel/: only those who may enter or review data reach it, uploads are capped before
they are stored, a refused upload leaves nothing behind, and messages name the file as the
user uploaded it."""

from __future__ import annotations

import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, multipartparser
from django.test import Client
from django.urls import reverse

from tests.exchange.workbooks import sheet_xml, write_workbook
from tests.web.test_excel_views import fill_first_task, login, template, upload
from theodoi.progress.models import TaskUpdate
from theodoi.web.views.excel import MAX_BYTES


@pytest.fixture
def imports(settings, tmp_path):
    """The folder uploads are stored in, empty and private to the test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media" / "imports"


def stored(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize("username", ["kiemtra", "lanhdao"])
def test_inspector_and_leader_are_refused_before_the_upload_is_read(
    dataset, imports, monkeypatch, username
):
    client = login(username)
    parsed = []
    real_parse = multipartparser.MultiPartParser.parse

    def spy(self, *args, **kwargs):
        parsed.append(self)
        return real_parse(self, *args, **kwargs)

    monkeypatch.setattr(multipartparser.MultiPartParser, "parse", spy)
    book = openpyxl.Workbook()
    page = client.get(reverse("web:import"))
    assert page.status_code == 403
    assert "không có quyền nhập dữ liệu từ Excel" in page.content.decode()

    refused = client.post(reverse("web:import"), {"tep": upload(book)})

    assert refused.status_code == 403
    assert "không có quyền nhập dữ liệu từ Excel" in refused.content.decode()
    assert parsed == []  # the multipart body was never read
    assert stored(imports) == []
    confirm = client.post(reverse("web:import_confirm"), {"token": "0" * 32})
    assert confirm.status_code == 403


def test_a_reporter_still_imports_and_the_upload_is_removed_once_imported(dataset, imports):
    reporter = login("vhxh.baocao")
    book = template(reporter)
    code = fill_first_task(book, done="15/03/2026")
    preview = reporter.post(reverse("web:import"), {"tep": upload(book, "quy-1.xlsx")})
    assert preview.status_code == 200 and "Xem trước (chưa lưu)" in preview.content.decode()
    assert len(stored(imports)) == 1  # kept for the confirmation
    token = reporter.session["theodoi_import"]["token"]

    done = reporter.post(reverse("web:import_confirm"), {"token": token}, follow=True)

    assert "Đã nhập “quy-1.xlsx”" in done.content.decode()
    assert TaskUpdate.objects.filter(task__code=code, period__code="2026-Q1").exists()
    assert stored(imports) == []


def test_a_refused_workbook_leaves_no_upload_and_is_named_as_uploaded(dataset, imports, tmp_path):
    reporter = login("vhxh.baocao")
    hostile = write_workbook(
        tmp_path / "x.xlsx", {"Số liệu": sheet_xml(["A1"], dimension="A1:XFD1048576")}
    )
    name = "Số liệu quý I.xlsx"
    response = reporter.post(
        reverse("web:import"), {"tep": SimpleUploadedFile(name, hostile.read_bytes())}
    )
    page = response.content.decode()
    assert "Trang “Số liệu” khai báo tới ô XFD1048576" in page
    assert stored(imports) == []
    assert "theodoi_import" not in reporter.session

    broken = SimpleUploadedFile("bao-cao-cua-toi.xlsx", b"PK\x03\x04 not a workbook")
    page = reporter.post(reverse("web:import"), {"tep": broken}).content.decode()
    assert "Không đọc được tệp “bao-cao-cua-toi.xlsx”" in page
    assert re.search(r"[0-9a-f]{32}", page) is None  # not the name it was stored under
    assert stored(imports) == []


def test_a_workbook_with_cell_errors_leaves_no_upload(dataset, imports):
    reporter = login("vhxh.baocao")
    book = template(reporter)
    fill_first_task(book, done="31/02/2026")
    page = reporter.post(reverse("web:import"), {"tep": upload(book)}).content.decode()
    assert "chưa lưu gì" in page
    assert stored(imports) == []


def test_a_failed_confirmation_removes_the_upload(dataset, imports):
    reporter = login("vhxh.baocao")
    book = template(reporter)
    fill_first_task(book, done="15/03/2026")
    reporter.post(reverse("web:import"), {"tep": upload(book)})
    token = reporter.session["theodoi_import"]["token"]
    (stored_file,) = imports.iterdir()
    stored_file.write_bytes(b"changed since the preview")

    page = reporter.post(reverse("web:import_confirm"), {"token": token}).content.decode()

    assert "Không đọc được tệp “tien-do.xlsx”" in page
    assert stored(imports) == []


def test_a_new_preview_replaces_the_one_waiting(dataset, imports):
    reporter = login("vhxh.baocao")
    book = template(reporter)
    fill_first_task(book, done="15/03/2026")
    reporter.post(reverse("web:import"), {"tep": upload(book)})
    first = stored(imports)
    reporter.post(reverse("web:import"), {"tep": upload(book)})
    second = stored(imports)
    assert len(first) == len(second) == 1 and first != second


def test_an_upload_past_the_limit_is_refused_and_not_stored(dataset, imports):
    reporter = login("vhxh.baocao")
    # Within the announced request size but one byte over the file limit: stopped while
    # the upload streams in.
    big = SimpleUploadedFile("lon.xlsx", b"PK" + bytes(MAX_BYTES - 1))
    response = reporter.post(reverse("web:import"), {"tep": big})
    assert response.status_code == 200
    assert "Tệp “lon.xlsx” lớn hơn 10 MB" in response.content.decode()
    assert stored(imports) == []


def test_a_request_announcing_more_than_the_limit_is_refused_unread(dataset, imports, monkeypatch):
    reporter = login("vhxh.baocao")
    monkeypatch.setattr(
        multipartparser.MultiPartParser,
        "parse",
        lambda self: pytest.fail("the body of an oversized request was read"),
    )
    big = SimpleUploadedFile("rat-lon.xlsx", bytes(MAX_BYTES + 200 * 1024))
    response = reporter.post(reverse("web:import"), {"tep": big})
    assert response.status_code == 413
    assert "Tệp tải lên lớn hơn 10 MB" in response.content.decode()
    assert stored(imports) == []


def test_the_upload_still_needs_the_csrf_token(dataset, imports):
    reporter = Client(enforce_csrf_checks=True)
    assert reporter.login(
        request=HttpRequest(), username="vhxh.baocao", password="vhxh-baocao-2026"
    )
    book = openpyxl.Workbook()
    response = reporter.post(reverse("web:import"), {"tep": upload(book)})
    assert response.status_code == 403
    assert stored(imports) == []
