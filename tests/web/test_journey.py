"""The main journey in a real browser against `theodoi serve` on the demo database:
a unit reporter enters and submits Q1 progress, the coordinator accepts it, the leader
approves it, the dashboard counts change, and the report is generated and downloaded.

Screenshots of every step are kept under test-artifacts/screenshots/test_journey/.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

PERIOD = "2026-Q1"
# The demo server's today (Asia/Ho_Chi_Minh): a report on Q1 may be issued on it.
ISSUE_DATE = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%d/%m/%Y")
UNIT = "CATHAI-VHXH"
UNIT_NAME = "Phòng Văn hóa - Xã hội"
RESULT_TEXT = "Đã tổ chức 12 buổi tuyên truyền về chuyển đổi số tại các thôn."


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(username.replace(".", "-") + "-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tổng quan")


def sign_out(page: Page) -> None:
    page.locator("#tai-khoan-menu").click()
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()


def dashboard_figures(page: Page, base_url: str) -> dict:
    """What the dashboard shows for the zone in Q1: the status counts and the unit's row."""
    page.goto(f"{base_url}/?don-vi=CATHAI&ky={PERIOD}")
    counts = {
        status: int(page.locator(f"[data-status={status}]").inner_text())
        for status in (
            "completed_on_time",
            "completed_late",
            "in_progress",
            "overdue",
            "not_started",
        )
    }
    row = page.locator("#bang-don-vi tr", has_text=UNIT_NAME)
    cells = [c.strip() for c in row.locator("td").all_inner_texts()]
    not_reported = page.locator("#chua-bao-cao")
    return {
        "counts": counts,
        "unit_state": cells[1],
        "unit_total": int(cells[2]),
        "unit_completed": int(cells[3]),
        "not_reported": not_reported.inner_text(),
    }


def test_reporter_to_leader_to_report(demo_server, new_page, screenshot):
    base = demo_server.base_url
    page = new_page()

    # The leader's dashboard before: the unit has not reported Q1.
    sign_in(page, base, "lanhdao")
    before = dashboard_figures(page, base)
    screenshot(page, "tong-quan-truoc")
    assert before["unit_state"] == "Chưa báo cáo"
    assert UNIT_NAME in before["not_reported"]
    sign_out(page)

    # 1. The reporter enters every task of the period.
    sign_in(page, base, "vhxh.baocao")
    page.get_by_role("link", name="Nhập tiến độ").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Quý I năm 2026: {UNIT_NAME}")
    screenshot(page, "bao-cao-vien-danh-sach")
    links = page.get_by_role("link", name=re.compile(r"^Nhập tiến độ nhiệm vụ"))
    task_count = links.count()
    assert 0 < task_count <= before["unit_total"]

    # A completed task without its completion date is refused on the field.
    links.first.click()
    page.get_by_label("Tình hình thực hiện").select_option("completed")
    page.get_by_label("Kết quả thực hiện").fill(RESULT_TEXT)
    page.get_by_role("button", name="Lưu bản nháp").click()
    date_field = page.get_by_label("Ngày hoàn thành")
    expect(date_field).to_have_class(re.compile("is-invalid"))
    expect(page.locator(".invalid-feedback").first).to_contain_text("ngày hoàn thành")
    screenshot(page, "loi-thieu-ngay-hoan-thanh")
    date_field.fill("15/03/2026")
    page.get_by_label("Tải lên tệp minh chứng").set_input_files(
        files=[
            {
                "name": "bien-ban-tuyen-truyen.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n% bien ban\n",
            }
        ]
    )
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu tiến độ")

    for _ in range(task_count - 1):
        links.first.click()
        page.get_by_label("Tình hình thực hiện").select_option("completed")
        page.get_by_label("Ngày hoàn thành").fill("20/03/2026")
        page.get_by_label("Kết quả thực hiện").fill("Đã hoàn thành nội dung của quý.")
        page.get_by_role("button", name="Lưu bản nháp").click()
        expect(page.locator(".alert-success")).to_contain_text("Đã lưu tiến độ")
    expect(links).to_have_count(0)
    expect(page.get_by_role("heading", name=re.compile("Nhiệm vụ"))).to_contain_text(
        f"({task_count}/{task_count} đã nhập)"
    )

    # 2. A figure: immediate feedback from the validation rules, then a correct value.
    figure = page.locator("#kiem-tra-so-lieu input").first
    figure_label = page.locator("#kiem-tra-so-lieu label").first.inner_text()
    figure.fill("-5")
    figure.press("Tab")
    figure = page.locator("#kiem-tra-so-lieu input").first
    expect(page.locator("#kiem-tra-so-lieu .invalid-feedback").first).to_contain_text(
        "không được âm"
    )
    expect(figure).to_have_class(re.compile("is-invalid"))
    screenshot(page, "so-lieu-sai")
    figure.fill("75")
    figure.press("Tab")
    expect(page.locator("#kiem-tra-so-lieu .is-invalid")).to_have_count(0)
    page.get_by_role("button", name="Lưu số liệu").click()
    expect(page.locator("#kiem-tra-so-lieu")).to_contain_text("Đã lưu số liệu")
    assert figure_label

    # 3. Submit.
    page.get_by_role("button", name=re.compile("Gửi báo cáo tiến độ")).click()
    expect(page.locator("#trang-thai-bao-cao")).to_have_text("Đã gửi")
    expect(page.get_by_role("link", name=re.compile(r"^Nhập tiến độ nhiệm vụ"))).to_have_count(0)
    screenshot(page, "da-gui")
    sign_out(page)

    # The unit's drafts did not count; submitted progress does not count either.
    sign_in(page, base, "lanhdao")
    assert dashboard_figures(page, base)["counts"] == before["counts"]
    sign_out(page)

    # 4. The coordinator accepts.
    sign_in(page, base, "vhxh.tonghop")
    page.get_by_role("link", name="Duyệt báo cáo").click()
    row = page.locator("tr", has_text=UNIT_NAME).filter(has_text="Cần tiếp nhận")
    row.get_by_role("link", name="Xem").click()
    expect(page.get_by_text(RESULT_TEXT)).to_be_visible()
    expect(page.get_by_role("link", name="bien-ban-tuyen-truyen.pdf")).to_be_visible()
    screenshot(page, "dau-moi-xem")
    page.get_by_role("button", name="Tiếp nhận").click()
    expect(page.locator("#trang-thai-bao-cao")).to_have_text("Đã tiếp nhận")
    screenshot(page, "da-tiep-nhan")
    sign_out(page)

    # 5. The leader approves, which locks the unit's period.
    sign_in(page, base, "lanhdao")
    page.get_by_role("link", name="Duyệt báo cáo").click()
    page.locator("tr", has_text=UNIT_NAME).filter(has_text="Cần phê duyệt").get_by_role(
        "link", name="Xem"
    ).click()
    page.get_by_role("button", name="Phê duyệt và khóa kỳ").click()
    expect(page.locator("#trang-thai-bao-cao")).to_have_text("Đã phê duyệt")
    expect(page.get_by_role("button", name="Mở khóa")).to_be_visible()
    screenshot(page, "da-phe-duyet")

    # 6. The dashboard counts change: every task of the unit is now completed.
    after = dashboard_figures(page, base)
    screenshot(page, "tong-quan-sau")
    assert after["unit_state"] == "Đã phê duyệt"
    assert UNIT_NAME not in after["not_reported"]
    assert after["unit_completed"] == after["unit_total"]
    gained = after["unit_completed"] - before["unit_completed"]
    assert gained > 0
    completed = after["counts"]["completed_on_time"] + after["counts"]["completed_late"]
    completed_before = before["counts"]["completed_on_time"] + before["counts"]["completed_late"]
    assert completed - completed_before == gained
    assert sum(after["counts"].values()) == sum(before["counts"].values())
    sign_out(page)

    # 7. The coordinator generates the Q1 report and downloads it.
    sign_in(page, base, "vhxh.tonghop")
    page.get_by_role("link", name="Lập báo cáo").click()
    page.get_by_label("Kỳ báo cáo").select_option(PERIOD)
    page.get_by_role("button", name="Lập báo cáo").click()
    expect(page.get_by_role("heading", name=re.compile("Dự thảo báo cáo"))).to_be_visible()
    screenshot(page, "lap-bao-cao")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải DOCX").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    content = download.path().read_bytes()
    with zipfile.ZipFile(io.BytesIO(content)) as docx:
        body = docx.read("word/document.xml").decode()
    assert RESULT_TEXT in body
    assert "Quý I năm 2026" in body or "quý I năm 2026" in body
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải phụ lục XLSX").click()
    with zipfile.ZipFile(io.BytesIO(download_info.value.path().read_bytes())) as xlsx:
        assert "xl/workbook.xml" in xlsx.namelist()

    # 8. Issue it: the button asks first and says what will be frozen; a wrong date is refused
    # with a message on what is wrong; then it is issued and appears in the register.
    confirmations: list[str] = []

    def confirm(dialog):
        confirmations.append(dialog.message)
        dialog.accept()

    page.on("dialog", confirm)
    page.get_by_label("Số", exact=True).fill("66")
    page.get_by_label("Ngày ban hành").fill("31/02/2026")
    page.get_by_role("button", name="Ban hành").click()
    expect(page.locator(".alert-danger")).to_contain_text("Ngày ban hành")
    page.get_by_label("Số", exact=True).fill("66")
    page.get_by_label("Ngày ban hành").fill(ISSUE_DATE)
    page.get_by_role("button", name="Ban hành").click()
    expect(page.locator(".alert-success")).to_contain_text("Báo cáo số 66/BC-UBND")
    assert confirmations and "chốt nội dung" in confirmations[-1]
    register = page.locator("section[aria-labelledby=so-dang-ky] tbody tr").first
    expect(register).to_contain_text("66/BC-UBND")
    expect(register).to_contain_text(ISSUE_DATE)
    screenshot(page, "da-ban-hanh")
    with page.expect_download() as download_info:
        register.get_by_role("link", name="DOCX").click()
    issued = download_info.value.path().read_bytes()
    with zipfile.ZipFile(io.BytesIO(issued)) as docx:
        assert "66/BC-UBND" in docx.read("word/document.xml").decode()


def test_dashboard_on_a_phone_and_by_keyboard(demo_server, new_page, screenshot):
    page = new_page("phone")
    sign_in(page, demo_server.base_url, "lanhdao")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, "trang rộng hơn màn hình điện thoại"
    screenshot(page, "dien-thoai-tong-quan")
    page.get_by_role("button", name="Mở menu").click()
    expect(page.get_by_role("link", name="Kế hoạch")).to_be_visible()
    screenshot(page, "dien-thoai-menu")

    # Keyboard: the sign-in form starts in the user name field; on every page the first Tab
    # reaches the link that skips the menu.
    desk = new_page()
    desk.goto(f"{demo_server.base_url}/dang-nhap/")
    assert desk.evaluate("document.activeElement.id") == "id_username"
    desk.keyboard.type("kiemtra")
    desk.keyboard.press("Tab")
    desk.keyboard.type("kiemtra-2026")
    desk.keyboard.press("Enter")
    expect(desk.get_by_role("heading", level=1)).to_contain_text("Tổng quan")
    desk.keyboard.press("Tab")
    assert desk.evaluate("document.activeElement.textContent").strip() == (
        "Chuyển đến nội dung chính"
    )
    desk.keyboard.press("Enter")
    assert desk.evaluate("document.activeElement.id") == "noi-dung"
    # each indicator's small chart says its values and target on hover, and leads to the
    # full chart with axes
    # why "Có nguy cơ": the value needed by now, beside the status
    expect(desk.locator("[data-expected]").first).to_contain_text(
        re.compile(r"cần đạt lúc này \d|chưa có giá trị gốc để tính lộ trình")
    )
    # the status chart as a PNG for a meeting
    with desk.expect_download() as download:
        desk.locator("[data-chart-png]").click()
    with open(download.value.path(), "rb") as png:
        assert png.read(8) == b"\x89PNG\r\n\x1a\n"
    spark = desk.locator("canvas.sparkline").first
    expect(spark).to_have_attribute("title", re.compile(r"\d.*\n.*Mục tiêu", re.S))
    spark.click()
    expect(desk.locator("canvas#dien-bien")).to_be_visible()


def test_search_without_diacritics(demo_server, new_page, screenshot):
    page = new_page()
    sign_in(page, demo_server.base_url, "kiemtra")
    page.get_by_role("searchbox", name="Tìm kiếm").fill("chuyen doi so")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tìm kiếm")
    found = page.locator("main li")
    assert found.count() > 0
    assert any("chuyển đổi số" in t.lower() for t in found.all_inner_texts())
    screenshot(page, "tim-khong-dau")
