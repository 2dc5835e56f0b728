"""The reports page: the kind of report (outline), the body that issues it, the document it
answers, a range of dates with the date figures run to — each chosen on the page, refused in
Vietnamese when it cannot be read, and carried to the download and the issue."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document as Docx

from tests.web.test_views import login
from theodoi.reports.models import Report

pytestmark = pytest.mark.django_db

INSPECTION = {
    "loai": "bao-cao-kiem-tra-nq57",
    "tu-ngay": "01/01/2025",
    "den-ngay": "04/11/2025",
    "lap": "1",
}
ANNUAL = {"loai": "bao-cao-chuyen-doi-so-nam", "ky": "2025", "tinh-den": "25/11/2025", "lap": "1"}


@pytest.fixture
def coordinator(dataset):
    return login("vhxh.tonghop")


def test_each_kind_of_report_is_offered_and_builds_its_own_sections(coordinator):
    page = coordinator.get(reverse("web:reports")).content.decode()
    for name in ("bao-cao-dinh-ky-nq57", "bao-cao-kiem-tra-nq57", "bao-cao-chuyen-doi-so-nam"):
        assert f'value="{name}"' in page
    snapshot = coordinator.get(reverse("web:reports"), INSPECTION).context["snapshot"]
    assert snapshot["outline"]["code"] == "bao-cao-kiem-tra-nq57"
    assert snapshot["period"]["start"] == "2025-01-01" and snapshot["period"]["end"] == "2025-11-04"
    assert snapshot["sections"][0]["title"] == "I. ĐẶC ĐIỂM, TÌNH HÌNH"


def test_the_request_document_and_cut_off_date_reach_the_opening(coordinator):
    response = coordinator.get(reverse("web:reports"), {**ANNUAL, "can-cu": "4157/skhcn-cntt"})
    snapshot = response.context["snapshot"]
    assert "Công văn số 4157/SKHCN-CNTT" in snapshot["intro"]
    assert snapshot["as_of"] == "2025-11-25"


@pytest.mark.parametrize(
    "data, words",
    [
        ({**INSPECTION, "tu-ngay": "31/02/2025"}, "Từ ngày"),
        ({**INSPECTION, "den-ngay": ""}, "cần cả “Từ ngày” và “Đến ngày”"),
        ({**INSPECTION, "tu-ngay": "04/11/2025", "den-ngay": "01/01/2025"}, ""),
        ({**ANNUAL, "tinh-den": "25/11/2026"}, "phải nằm trong năm 2025"),
        ({**ANNUAL, "can-cu": "9999/KHONG-CO"}, "Không có văn bản số, ký hiệu “9999/KHONG-CO”"),
    ],
)
def test_what_cannot_be_read_is_said_and_nothing_is_built(coordinator, data, words):
    response = coordinator.get(reverse("web:reports"), data)
    assert response.status_code == 200
    assert response.context["snapshot"] is None
    assert words in response.context["error"] and response.context["error"]


@pytest.mark.parametrize("data", [{"loai": "khong-co"}, {"co-quan": "khong-co"}])
def test_an_unknown_kind_or_body_is_not_found(coordinator, data):
    assert coordinator.get(reverse("web:reports"), data).status_code == 404


def test_the_download_and_the_issue_keep_the_choices(coordinator):
    today = timezone.localdate()
    cut = today - dt.timedelta(days=1)  # the figures run to yesterday; issued today
    query = {
        **ANNUAL,
        "ky": str(cut.year),
        "tinh-den": cut.strftime("%d/%m/%Y"),
        "can-cu": "4157/SKHCN-CNTT",
        "co-quan": "bcd",
    }
    docx = coordinator.get(reverse("web:report_download", args=["docx"]), query)
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Docx(BytesIO(docx.content)).paragraphs)
    assert "4157/SKHCN-CNTT" in text
    signing = " ".join(
        c.text for t in Docx(BytesIO(docx.content)).tables for r in t.rows for c in r.cells
    )
    assert "BAN CHỈ ĐẠO" in signing.upper()
    issued_on = today.strftime("%d/%m/%Y")
    coordinator.post(
        reverse("web:report_issue"), {**query, "number": "276", "issued_on": issued_on}
    )
    report = Report.objects.get(number=276)
    assert report.kind == "bao-cao-chuyen-doi-so-nam"
    assert report.snapshot["as_of"] == cut.isoformat()
    assert "4157/SKHCN-CNTT" in report.snapshot["intro"]
