"""Excel in the browser: templates download; an uploaded workbook is previewed, then imported
only on confirmation, by the signed-in user and with their rights."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from theodoi.progress.models import TaskUpdate

XLSX_MAGIC = b"PK"


def login(username: str) -> Client:
    client = Client()
    assert client.login(
        request=HttpRequest(), username=username, password=username.replace(".", "-") + "-2026"
    )
    return client


def template(client: Client, unit="CATHAI-VHXH", kind="tien-do") -> openpyxl.Workbook:
    response = client.get(reverse("web:entry_workbook", args=[unit, "2026-Q1", kind]))
    assert response.status_code == 200 and response.content[:2] == XLSX_MAGIC
    return openpyxl.load_workbook(io.BytesIO(response.content))


def fill_first_task(book, *, done: str) -> str:
    sheet = book["Tiến độ"]
    headers = {str(c.value or ""): c.column for c in sheet[1]}

    def col(prefix):
        return next(v for k, v in headers.items() if k.startswith(prefix))

    code = sheet.cell(2, col("Mã nhiệm vụ")).value
    sheet.cell(2, col("Tình hình thực hiện")).value = "Đã hoàn thành"
    sheet.cell(2, col("Ngày hoàn thành")).value = done
    sheet.cell(2, col("Kết quả thực hiện")).value = "Hoàn thành qua Excel."
    return code


def upload(book, name="tien-do.xlsx") -> SimpleUploadedFile:
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile(name, data.getvalue())


def test_plan_workbook_downloads_for_readers(dataset):
    response = login("kiemtra").get(reverse("web:plan_workbook", args=[dataset.id]))
    assert response.status_code == 200 and response.content[:2] == XLSX_MAGIC
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "Nhiệm vụ" in book.sheetnames and "Hướng dẫn" in book.sheetnames


def test_templates_only_for_those_who_enter(dataset):
    leader = login("lanhdao")
    url = reverse("web:entry_workbook", args=["CATHAI-VHXH", "2026-Q1", "tien-do"])
    assert leader.get(url).status_code == 404


def test_preview_then_confirm_imports_as_the_signed_in_user(dataset):
    reporter = login("vhxh.baocao")
    book = template(reporter)
    code = fill_first_task(book, done="15/03/2026")
    preview = reporter.post(reverse("web:import"), {"tep": upload(book)})
    page = preview.content.decode()
    assert "Xem trước (chưa lưu)" in page
    assert not TaskUpdate.objects.filter(task__code=code, period__code="2026-Q1").exists()
    token = reporter.session["theodoi_import"]["token"]
    done = reporter.post(reverse("web:import_confirm"), {"token": token}, follow=True)
    assert "Đã nhập" in done.content.decode()
    update = TaskUpdate.objects.get(task__code=code, period__code="2026-Q1")
    assert update.completion_date == dt.date(2026, 3, 15)
    assert update.history.latest().history_user.username == "vhxh.baocao"


def test_a_workbook_with_errors_is_shown_and_not_offered_for_import(dataset):
    reporter = login("vhxh.baocao")
    book = template(reporter)
    fill_first_task(book, done="31/02/2026")
    page = reporter.post(reverse("web:import"), {"tep": upload(book)}).content.decode()
    assert "chưa lưu gì" in page and "Tiến độ" in page
    assert 'id="nhap"' not in page
    assert "theodoi_import" not in reporter.session


def test_confirm_without_a_previewed_file_does_nothing(dataset):
    reporter = login("vhxh.baocao")
    response = reporter.post(reverse("web:import_confirm"), {"token": "gia-mao"}, follow=True)
    assert "Không còn tệp chờ nhập" in response.content.decode()


def test_not_an_excel_file_is_refused(dataset):
    reporter = login("vhxh.baocao")
    bad = SimpleUploadedFile("virus.exe", b"MZ")
    page = reporter.post(reverse("web:import"), {"tep": bad}, follow=True).content.decode()
    assert "phải là tệp .xlsx" in page
    broken = SimpleUploadedFile("hong.xlsx", b"not a zip")
    page = reporter.post(reverse("web:import"), {"tep": broken}, follow=True).content.decode()
    assert "alert-danger" in page


def test_every_list_downloads_as_excel_and_csv(dataset):
    client = login("vhxh.tonghop")
    lists = [
        (reverse("web:plan_detail", args=[dataset.id]), {"tinh-trang": "overdue", "ky": "2026-Q1"}),
        (reverse("web:document_list"), {"q": "chuyen doi so"}),
        (reverse("web:unit_list"), {}),
        (reverse("web:review_list"), {}),
    ]
    for url, query in lists:
        page = client.get(url, query)
        assert "xuat=xlsx" in page.content.decode(), url
        xlsx = client.get(url, {**query, "xuat": "xlsx"})
        assert xlsx.content[:2] == XLSX_MAGIC, url
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
        csv_file = client.get(url, {**query, "xuat": "csv"}).content
        assert csv_file.startswith("\ufeff".encode()), url
        lines = csv_file.decode("utf-8-sig").strip().splitlines()
        assert len(lines) == sheet.max_row, url  # the same rows in both, header included
    # The filtered list holds exactly the filtered tasks.
    overdue = client.get(lists[0][0], lists[0][1]).context["count"]
    csv_text = client.get(lists[0][0], {**lists[0][1], "xuat": "csv"}).content.decode("utf-8-sig")
    assert len(csv_text.strip().splitlines()) == overdue + 1
    assert "Chưa hoàn thành, quá hạn" in csv_text
