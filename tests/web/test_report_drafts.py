"""From the units' text to the issued report: a unit writes its part, the coordinator edits
the draft section by section (saves name their version: a stale one is refused), numbers
typed over the data are flagged before issuing, the issued report holds the edited text, and
the next period starts from it where the data says nothing."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from docx import Document as Docx

from tests.web.test_views import login
from theodoi.domain.periods import parse_period
from theodoi.orgs.models import OrgUnit
from theodoi.progress.models import Period, Submission
from theodoi.progress.selectors.entry import entry_rows
from theodoi.progress.services.submissions import (
    submission_approve,
    submission_review,
    submission_submit,
)
from theodoi.progress.services.updates import task_update_save
from theodoi.reports.models import Contribution, DraftSection, Report
from theodoi.reports.services import report_build

pytestmark = pytest.mark.django_db
Q1, Q2 = "2026-Q1", "2026-Q2"
DRAFT = {"don-vi": "CATHAI", "ky": Q1}


def _user(name):
    return get_user_model().objects.get(username=name)


def _q1_report():
    unit = OrgUnit.objects.get(code="CATHAI")
    from theodoi.plans.selectors import plans_for_unit

    return report_build(
        unit=unit,
        period=parse_period(Q1),
        plans=plans_for_unit(unit=unit, user=None),
        user=None,
    )


def _text(snapshot) -> str:
    return "\n".join(
        p
        for s in snapshot["sections"]
        for b in s["blocks"]
        for p in [b["heading"], *b["paragraphs"]]
    )


def test_a_unit_writes_its_part_which_the_report_states_once_approved(dataset):
    reporter = login("tthcc.baocao")
    url = reverse("web:progress_contribution", args=["CATHAI-TTHCC", Q1, "government"])
    page = reporter.get(reverse("web:progress_unit", args=["CATHAI-TTHCC", Q1])).content.decode()
    assert 'id="noi-dung-government"' in page
    reporter.post(
        url,
        {
            "noi-dung": "<p>Trung tâm đã <strong>số hóa</strong> 1.020 hồ sơ.<script>x()</script>"
            "</p><ul><li>Tiếp nhận trực tuyến 24/7.</li></ul>"
        },
    )
    contribution = Contribution.objects.get(org_unit__code="CATHAI-TTHCC", field="government")
    assert contribution.text == (
        "<p>Trung tâm đã <strong>số hóa</strong> 1.020 hồ sơ.</p><ul><li>Tiếp nhận trực tuyến "
        "24/7.</li></ul>"
    )
    assert contribution.history.first().history_user.username == "tthcc.baocao"
    # another unit's field, or another unit, is refused
    assert (
        reporter.post(
            reverse("web:progress_contribution", args=["CATHAI-TTHCC", Q1, "society"]),
            {"noi-dung": "<p>x</p>"},
        ).status_code
        == 403
    )
    assert login("vhxh.baocao").post(url, {"noi-dung": "<p>x</p>"}).status_code in (403, 404)
    assert "số hóa 1.020 hồ sơ" not in _text(_q1_report())  # not approved yet
    # sent with the rest, accepted, approved: now in the report, under its field
    unit = OrgUnit.objects.get(code="CATHAI-TTHCC")
    period = Period.objects.get(code=Q1)
    for row in entry_rows(unit=unit, period=period, user=_user("tthcc.baocao")):
        if row.update is None:
            task_update_save(
                task=row.task,
                period=period,
                user=_user("tthcc.baocao"),
                values={
                    "reported_state": "in_progress",
                    "progress_percent": 50,
                    "results": "Đang làm.",
                },
            )
    submission = submission_submit(unit=unit, period=period, user=_user("tthcc.baocao"))
    submission_review(submission=submission, user=_user("vhxh.tonghop"), accept=True)
    submission_approve(submission=Submission.objects.get(pk=submission.pk), user=_user("lanhdao"))
    text = _text(_q1_report())
    assert "Trung tâm đã số hóa 1.020 hồ sơ." in text and "- Tiếp nhận trực tuyến 24/7." in text
    # locked with the unit's report: no more changes
    refused = reporter.post(url, {"noi-dung": "<p>y</p>"}, follow=True)
    said = " ".join(m.message for m in refused.context["messages"])
    assert "nên không sửa được" in said
    assert Contribution.objects.get(pk=contribution.pk).text == contribution.text


def test_editing_saving_conflict_typed_numbers_and_issuing_the_edited_text(dataset):
    coordinator = login("vhxh.tonghop")
    page = coordinator.get(reverse("web:report_draft"), DRAFT)
    assert page.status_code == 200
    # each figure's value beside the text, written the Vietnamese way, with its source
    assert "Hồ sơ tiếp nhận: 1.289" in page.content.decode()
    sections = page.context["sections"]
    counts = next(s for s in sections if s["title"].startswith("II."))
    save = reverse("web:report_draft_save") + "?don-vi=CATHAI&ky=" + Q1
    edited = (
        "<p><strong>1. Kết quả thực hiện các chỉ tiêu, nhiệm vụ</strong></p>"
        "<p>Đặc khu đã hoàn thành 999 nhiệm vụ trong quý, vượt kế hoạch.</p>"
    )
    first = coordinator.post(
        save,
        {"muc": counts["position"], "phien-ban": 0, "tieu-de": counts["title"], "noi-dung": edited},
    )
    assert first.status_code == 200 and first.json()["version"] == 1
    # a second editor who opened version 0 is told, not allowed to overwrite
    other = login("vhxh.tonghop")
    stale = other.post(
        save,
        {
            "muc": counts["position"],
            "phien-ban": 0,
            "tieu-de": counts["title"],
            "noi-dung": "<p>x</p>",
        },
    )
    assert stale.status_code == 409 and "vừa được vhxh.tonghop lưu" in stale.json()["message"]
    assert DraftSection.objects.get(position=counts["position"]).html.endswith("vượt kế hoạch.</p>")
    # a reader cannot save
    assert (
        login("lanhdao")
        .post(save, {"muc": 1, "phien-ban": 0, "tieu-de": "x", "noi-dung": "<p>x</p>"})
        .status_code
        == 403
    )
    # the reports page lists the typed number before issuing
    reports = coordinator.get(reverse("web:reports"), {**DRAFT, "lap": "1"})
    # the demo leaves two offices to report Q1 themselves: their data is missing; a unit whose
    # (illustrative) progress is approved is not listed
    waiting = sorted(
        line["text"].split(":")[0]
        for line in reports.context["checklist"]
        if "chưa được phê duyệt" in line["text"]
    )
    assert {"Phòng Văn hóa - Xã hội", "Trung tâm Phục vụ hành chính công"} <= set(waiting)
    from theodoi.progress.models import TaskUpdate

    reported = {
        u.org_unit.name
        for u in TaskUpdate.objects.filter(period__code=Q1, state="approved").select_related(
            "org_unit"
        )
    }
    assert reported and not reported & set(waiting)
    assert any(
        "999" in line["text"] and "số gõ tay" in line["text"]
        for line in reports.context["checklist"]
    )
    issued_on = timezone.localdate().strftime("%d/%m/%Y")
    coordinator.post(reverse("web:report_issue"), {**DRAFT, "number": "81", "issued_on": issued_on})
    report = Report.objects.get(number=81)
    docx_text = "\n".join(p.text for p in Docx(BytesIO(bytes(report.docx))).paragraphs)
    assert "Đặc khu đã hoàn thành 999 nhiệm vụ trong quý, vượt kế hoạch." in docx_text
    section = next(s for s in report.snapshot["sections"] if s["position"] == counts["position"])
    assert section["edit"]["typed_numbers"] == ["999"] and section["generated"]


def test_the_next_quarter_starts_from_the_issued_text_where_the_data_says_nothing(dataset):
    coordinator = login("vhxh.tonghop")
    q1 = coordinator.get(reverse("web:report_draft"), DRAFT).context["sections"]
    assessment = next(s for s in q1 if s["title"].startswith("V."))
    save = reverse("web:report_draft_save") + "?don-vi=CATHAI&ky=" + Q1
    coordinator.post(
        save,
        {
            "muc": assessment["position"],
            "phien-ban": 0,
            "tieu-de": assessment["title"],
            "noi-dung": "<p>Đề nghị Sở Khoa học và Công nghệ hỗ trợ đào tạo chuyển đổi số.</p>",
        },
    )
    issued_on = timezone.localdate().strftime("%d/%m/%Y")
    coordinator.post(reverse("web:report_issue"), {**DRAFT, "number": "82", "issued_on": issued_on})
    assert Report.objects.filter(number=82, state="issued").exists()
    page = coordinator.get(reverse("web:report_draft"), {"don-vi": "CATHAI", "ky": Q2})
    carried = next(s for s in page.context["sections"] if s["title"].startswith("V."))
    assert carried["edit"]["carried"] is True
    assert "hỗ trợ đào tạo chuyển đổi số" in carried["html"]
    assert "Chép từ báo cáo kỳ trước, chưa xem lại" in page.content.decode()
    assert not DraftSection.objects.filter(period_code=Q2).exists()  # reading stores nothing
    reports = coordinator.get(reverse("web:reports"), {"don-vi": "CATHAI", "ky": Q2, "lap": "1"})
    assert any("chưa được xem lại" in line["text"] for line in reports.context["checklist"])
    # what the Q1 report set for Q2 is Q2's checklist: the tasks its "next period" names
    issued = Report.objects.get(number=82)
    promised = issued.snapshot["promised"]
    assert promised and all(t["id"] and t["title"] for t in promised)
    named = "\n".join(_text(issued.snapshot).splitlines())
    assert all(t["title"] in named for t in promised)
    checklist = page.context["promised"]
    assert [t["id"] for t in checklist] == [t["id"] for t in promised]
    assert 'id="ky-truoc-de-ra"' in page.content.decode()
    assert not any(t["approved"] for t in checklist)  # nothing reported for Q2 yet
    assert any(
        f"{len(promised)} nhiệm vụ báo cáo kỳ trước đề ra" in line["text"]
        for line in reports.context["checklist"]
    )


def blank_pdf(pages: int = 2) -> bytes:
    """A real PDF of ``pages`` blank A4 pages (a stand-in for a scan)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_the_signed_scan_is_kept_beside_the_issued_report_and_never_changes(dataset):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import DatabaseError, transaction

    from theodoi.reports.models import SignedScan

    coordinator = login("vhxh.tonghop")
    issued_on = timezone.localdate().strftime("%d/%m/%Y")
    coordinator.post(reverse("web:report_issue"), {**DRAFT, "number": "83", "issued_on": issued_on})
    report = Report.objects.get(number=83)
    upload = reverse("web:report_scan_upload", args=[report.pk])
    bad = coordinator.post(
        upload, {"ban-ky": SimpleUploadedFile("scan.pdf", b"MZ not a pdf")}, follow=True
    ).content.decode()
    assert "không phải PDF" in bad
    broken = coordinator.post(
        upload, {"ban-ky": SimpleUploadedFile("scan.pdf", b"%PDF-1.7 garbage")}, follow=True
    ).content.decode()
    assert "PDF hỏng" in broken
    assert (
        login("lanhdao")
        .post(upload, {"ban-ky": SimpleUploadedFile("scan.pdf", blank_pdf())}, follow=True)
        .status_code
        == 403
    )
    page = coordinator.post(
        upload, {"ban-ky": SimpleUploadedFile("83-BC-UBND ky.pdf", blank_pdf())}, follow=True
    ).content.decode()
    assert "Đã lưu bản ký" in page and "đã ký" in page and "Bản ký (2 trang)" in page
    scan = SignedScan.objects.get(report=report)
    assert coordinator.get(reverse("web:report_scan", args=[report.pk])).content == bytes(
        scan.content
    )
    again = coordinator.post(
        upload, {"ban-ky": SimpleUploadedFile("khac.pdf", blank_pdf(1))}, follow=True
    ).content.decode()
    assert "đã có bản ký" in again
    for change in (
        lambda: SignedScan.objects.filter(pk=scan.pk).update(filename="x.pdf"),
        lambda: SignedScan.objects.filter(pk=scan.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    assert SignedScan.objects.get(pk=scan.pk).filename == "83-BC-UBND ky.pdf"
    # an inspector reads the register and the scan
    inspector = login("kiemtra")
    assert "Bản ký (2 trang)" in inspector.get(reverse("web:reports")).content.decode()
    assert inspector.get(reverse("web:report_scan", args=[report.pk])).status_code == 200
    refused = inspector.post(upload, {"ban-ky": SimpleUploadedFile("x.pdf", blank_pdf())})
    assert refused.status_code == 403


def test_a_draft_edited_in_word_and_uploaded_back_is_what_is_issued(dataset):
    from django.core.files.uploadedfile import SimpleUploadedFile

    coordinator = login("vhxh.tonghop")
    draft = coordinator.get(reverse("web:report_download", args=["docx"]), DRAFT).content
    document = Docx(BytesIO(draft))
    document.add_paragraph("Đoạn văn phòng thêm bằng Word: đã tổ chức 777 buổi tập huấn.")
    edited = BytesIO()
    document.save(edited)
    upload = reverse("web:report_draft_word") + "?don-vi=CATHAI&ky=" + Q1
    refused = coordinator.post(
        upload,
        {"tep-word": SimpleUploadedFile("du-thao.docx", b"PK\x03\x04 not a docx")},
        follow=True,
    ).content.decode()
    assert "không phải tệp Word (.docx) hợp lệ" in refused
    page = coordinator.post(
        upload,
        {"tep-word": SimpleUploadedFile("du-thao-da-sua.docx", edited.getvalue())},
        follow=True,
    ).content.decode()
    assert "Đã nhận tệp “du-thao-da-sua.docx”" in page and "777" in page
    reports = coordinator.get(reverse("web:reports"), {**DRAFT, "lap": "1"})
    assert any(
        "du-thao-da-sua.docx" in line["text"] and "777" in line["text"]
        for line in reports.context["checklist"]
    )
    assert (
        login("lanhdao")
        .post(upload, {"tep-word": SimpleUploadedFile("x.docx", edited.getvalue())})
        .status_code
        == 403
    )
    issued_on = timezone.localdate().strftime("%d/%m/%Y")
    coordinator.post(reverse("web:report_issue"), {**DRAFT, "number": "84", "issued_on": issued_on})
    report = Report.objects.get(number=84)
    assert bytes(report.docx) == edited.getvalue()
    assert report.snapshot["word_upload"]["typed_numbers"] == ["777"]


def test_the_leader_reads_comments_and_agrees_before_a_body_that_asks_for_it_issues(dataset):
    from theodoi.reports.models import ReportProfile

    ReportProfile.objects.filter(org_unit__code="CATHAI", code="ubnd").update(leader_review=True)
    coordinator, leader = login("vhxh.tonghop"), login("lanhdao")
    review = reverse("web:report_draft_review") + "?don-vi=CATHAI&ky=" + Q1
    issued_on = timezone.localdate().strftime("%d/%m/%Y")
    issue = {**DRAFT, "number": "85", "issued_on": issued_on}
    said = coordinator.post(reverse("web:report_issue"), issue, follow=True).content.decode()
    assert "lãnh đạo chưa đồng ý bản dự thảo này" in said
    assert not Report.objects.filter(number=85).exists()
    # only the leader agrees or comments
    assert coordinator.post(review, {"viec": "dong-y"}).status_code == 403
    leader.post(review, {"viec": "y-kien", "muc": "2", "y-kien": "Bổ sung số liệu VNeID."})
    checklist = coordinator.get(reverse("web:reports"), {**DRAFT, "lap": "1"}).context["checklist"]
    assert any("Bổ sung số liệu VNeID." in line["text"] for line in checklist)
    assert any("Lãnh đạo chưa đồng ý" in line["text"] for line in checklist)
    leader.post(review, {"viec": "dong-y"})
    # a change after the agreement needs a new one
    sections = coordinator.get(reverse("web:report_draft"), DRAFT).context["sections"]
    save = reverse("web:report_draft_save") + "?don-vi=CATHAI&ky=" + Q1
    first = sections[0]
    coordinator.post(
        save,
        {
            "muc": first["position"],
            "phien-ban": 0,
            "tieu-de": first["title"],
            "noi-dung": "<p>Sửa sau.</p>",
        },
    )
    coordinator.post(reverse("web:report_issue"), issue)
    assert not Report.objects.filter(number=85).exists()
    leader.post(review, {"viec": "dong-y"})
    coordinator.post(reverse("web:report_issue"), issue)
    report = Report.objects.get(number=85)
    assert report.snapshot["leader_agreed"]["by"] == "lanhdao"


def test_numbers_from_the_data_stay_live_and_typing_over_one_is_flagged(dataset):
    import re

    coordinator = login("vhxh.tonghop")
    sections = coordinator.get(reverse("web:report_draft"), DRAFT).context["sections"]
    section = next(
        s for s in sections if re.search(r"data-so-lieu=\"[^\"]+\"[^>]*>1\.289<", s["html"])
    )
    span = re.search(
        r"<span[^>]*data-so-lieu=\"[^\"]+\"[^>]*>1\.289</span>", section["html"]
    ).group(0)
    save = reverse("web:report_draft_save") + "?don-vi=CATHAI&ky=" + Q1
    # the live figure saved holding a stale text still states the data's value; the same
    # number typed by hand elsewhere is unlinked and flagged
    stale = span.replace(">1.289<", ">7<")
    html = f"<p>Tiếp nhận {stale} hồ sơ; theo sổ: 1.289 hồ sơ.</p>"
    answer = coordinator.post(
        save,
        {"muc": section["position"], "phien-ban": 0, "tieu-de": section["title"], "noi-dung": html},
    )
    assert answer.status_code == 200
    draft = coordinator.get(reverse("web:report_draft"), DRAFT)
    edited = next(s for s in draft.context["sections"] if s["position"] == section["position"])
    assert edited["edit"]["live"] == 1 and edited["edit"]["unlinked"] == ["1.289"]
    assert ">1.289</span> hồ sơ" in edited["html"]  # the editor shows the data's value
    assert "data-unlinked" in draft.content.decode()
    assert "Tiếp nhận 1.289 hồ sơ; theo sổ: 1.289 hồ sơ." in _text(_q1_report())
    checklist = coordinator.get(reverse("web:reports"), {**DRAFT, "lap": "1"}).context["checklist"]
    assert any("gõ đè bằng tay" in line["text"] and "1.289" in line["text"] for line in checklist)


def test_an_issued_report_is_found_by_search_by_whoever_may_read_it(dataset):
    from theodoi.search.selectors import search

    coordinator = login("vhxh.tonghop")
    assessment = next(
        s
        for s in coordinator.get(reverse("web:report_draft"), DRAFT).context["sections"]
        if s["title"].startswith("V.")
    )
    coordinator.post(
        reverse("web:report_draft_save") + "?don-vi=CATHAI&ky=" + Q1,
        {
            "muc": assessment["position"],
            "phien-ban": 0,
            "tieu-de": assessment["title"],
            "noi-dung": "<p>Đề nghị bổ sung kinh phí cho trạm phát sóng Hòn Cặp Lỗ.</p>",
        },
    )
    assert not search(user=_user("vhxh.tonghop"), query="Hòn Cặp Lỗ")  # a draft is not found
    issued_on = timezone.localdate().strftime("%d/%m/%Y")
    coordinator.post(reverse("web:report_issue"), {**DRAFT, "number": "83", "issued_on": issued_on})
    report = Report.objects.get(number=83, state="issued")
    # found typed without diacritics, by the inspector (a reader), linking to the issued file
    found = login("kiemtra").get(reverse("web:search"), {"q": "hon cap lo"})
    results = found.context["results"]
    assert [r.object.pk for r in results if r.kind == "report"] == [report.pk]
    assert reverse("web:report_file", args=[report.pk, "docx"]) in found.content.decode()
    assert "Báo cáo đã ban hành" in found.content.decode()
    assert (
        login("kiemtra").get(reverse("web:report_file", args=[report.pk, "docx"])).status_code
        == 200
    )
