"""The report's whole loop in a real browser (Debian's Chromium): a unit writes its part in
the editor, the coordinator edits a section of the draft and types a number over the data
(flagged), reads the checklist, issues, keeps the signed scan, then issues a replacement; the
issued DOCX holds the edited text and the register shows both reports."""

from __future__ import annotations

import io
import re
import zipfile

from playwright.sync_api import expect

from tests.web.test_journey import ISSUE_DATE, sign_in, sign_out
from tests.web.test_report_drafts import blank_pdf

PERIOD = "2026-Q1"
EDITED = "Trong quý, đặc khu đã số hóa 4321 hồ sơ lưu trữ."


def test_write_edit_check_issue_sign_and_replace(demo_server, new_page, screenshot, tmp_path):
    base = demo_server.base_url
    page = new_page()
    confirmations: list[str] = []

    def confirm(dialog):
        confirmations.append(dialog.message)
        dialog.accept()

    page.on("dialog", confirm)

    # 1. The service centre writes its part on digital government in the editor.
    sign_in(page, base, "tthcc.baocao")
    page.goto(f"{base}/tien-do/CATHAI-TTHCC/{PERIOD}/")
    part = page.locator("#noi-dung-government")
    part.locator(".ql-editor").click()
    page.keyboard.type("Trung tâm tiếp nhận hồ sơ trực tuyến cả ngày nghỉ.")
    part.get_by_role("button", name="Lưu nội dung").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu nội dung báo cáo")
    expect(page.locator("#noi-dung-government .ql-editor")).to_contain_text("cả ngày nghỉ")
    screenshot(page, "don-vi-viet-noi-dung")
    sign_out(page)

    # 2. The coordinator edits section II of the draft and types a number the data lacks.
    sign_in(page, base, "vhxh.tonghop")
    page.goto(f"{base}/bao-cao/?lap=1&ky={PERIOD}")
    page.get_by_role("link", name=re.compile("Biên tập dự thảo")).click()
    section = page.locator("section.card").filter(
        has=page.get_by_role("heading", name=re.compile("^II\\."))
    )
    editor = section.locator(".ql-editor")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type(EDITED)
    expect(section.locator("[role=status]")).to_contain_text("chưa lưu")
    # nobody presses "Lưu mục": the autosave (every 15 s) keeps it
    expect(section.locator("[role=status]")).to_contain_text("Đã lưu", timeout=25_000)
    screenshot(page, "bien-tap-muc")
    page.reload()
    expect(section.locator("[data-typed]")).to_contain_text("4321")

    # 2b. A number from the data is a live field (its source on hover); typed over, flagged.
    live = page.locator(".ql-editor span.so-lieu").first
    expect(live).to_have_attribute("title", re.compile("nguồn"))
    anchor = page.locator("section.card").filter(has=live).first.get_attribute("id")
    live_section = page.locator(f"#{anchor}")
    page.evaluate(
        """() => {
            const span = document.querySelector('.ql-editor span.so-lieu');
            const quill = Quill.find(span.closest('.ql-container'));
            quill.setSelection(quill.getIndex(Quill.find(span)) + 1, 0);
        }"""
    )
    page.keyboard.press("Backspace")
    page.keyboard.type("7.777")
    live_section.get_by_role("button", name="Lưu mục").click()
    expect(live_section.locator("[role=status]")).to_contain_text("Đã lưu")
    page.reload()
    expect(live_section.locator("[data-typed]")).to_contain_text("7.777")
    screenshot(page, "so-lieu-lien-ket")

    # 3. The checklist before issuing names the typed number; issuing asks first.
    page.goto(f"{base}/bao-cao/?lap=1&ky={PERIOD}")
    checklist = page.locator("#kiem-tra-truoc")
    expect(checklist).to_contain_text("số gõ tay")
    expect(checklist).to_contain_text("4321")
    screenshot(page, "kiem-tra-truoc-ban-hanh")
    page.get_by_label("Số", exact=True).fill("90")
    page.get_by_label("Ngày ban hành").fill(ISSUE_DATE)
    page.get_by_role("button", name="Ban hành").click()
    expect(page.locator(".alert-success")).to_contain_text("Báo cáo số 90/BC-UBND")
    assert confirmations and "chốt nội dung" in confirmations[-1]
    register = page.locator("section[aria-labelledby=so-dang-ky] tbody tr").first
    with page.expect_download() as download:
        register.get_by_role("link", name="DOCX").click()
    with zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes())) as docx:
        assert EDITED in docx.read("word/document.xml").decode()

    # 4. The signed scan is kept beside the register entry.
    scan = tmp_path / "90-BC-UBND-da-ky.pdf"
    scan.write_bytes(blank_pdf(1))
    register.locator("input[type=file]").set_input_files(str(scan))
    register.get_by_role("button", name="Lưu bản ký").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu bản ký")
    expect(page.locator("section[aria-labelledby=so-dang-ky] tbody tr").first).to_contain_text(
        "đã ký"
    )

    # 5. A replacement starts from the issued text and names the report it replaces.
    page.goto(f"{base}/bao-cao/?lap=1&ky={PERIOD}")
    expect(page.locator("#kiem-tra-truoc")).to_contain_text("Kỳ này đã có Báo cáo số 90/BC-UBND")
    page.get_by_label("Số", exact=True).fill("91")
    page.get_by_label("Ngày ban hành").fill(ISSUE_DATE)
    page.get_by_label(re.compile("thay thế Báo cáo số 90/BC-UBND")).check()
    page.get_by_role("button", name="Ban hành").click()
    expect(page.locator(".alert-success")).to_contain_text("Báo cáo số 91/BC-UBND")
    rows = page.locator("section[aria-labelledby=so-dang-ky] tbody tr")
    expect(rows.first).to_contain_text("thay thế 90/BC-UBND")
    expect(rows.nth(1)).to_contain_text("Đã được thay thế bởi 91/BC-UBND")
    expect(rows.nth(1)).to_contain_text("đã ký")
    with page.expect_download() as download:
        rows.first.get_by_role("link", name="DOCX").click()
    with zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes())) as docx:
        body = docx.read("word/document.xml").decode()
    assert EDITED in body and "thay thế Báo cáo số 90/BC-UBND" in body
    screenshot(page, "so-dang-ky-thay-the")
