"""Daily work in a real browser (Debian's Chromium) against `theodoi serve`, with a real SMTP
server (aiosmtpd) started here: the reporter is reminded before the deadline (in the app and
by e-mail), enters figures in the grid (an unusual value warned, Enter moves down), enters
tasks one after another and submits; the coordinator sees it on "Việc của tôi" and returns it;
the reporter is told why, resubmits; the leader approves from the notification; an
off-track indicator's explanation is asked, answered, and read in the report's draft. Pages
checked with axe-core (npm) at 1366×768 and 390×844; screenshots kept."""

from __future__ import annotations

import re
import socket
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Page, expect

from tests.web.conftest import running_demo
from tests.web.test_journey import sign_in, sign_out

UNIT, UNIT_NAME, PERIOD = "CATHAI-TTHCC", "Trung tâm Phục vụ hành chính công", "2026-Q1"
MAIL = "baocao.tthcc@cathai.gov.vn"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"

    def subjects_to(self, address: str) -> list[str]:
        return [
            str(make_header(decode_header(m["Subject"])))
            for to, m in self.messages
            if address in to
        ]


@pytest.fixture(scope="module")
def mail_server(tmp_path_factory):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        "THEODOI_SMTP_HOST": "127.0.0.1",
        "THEODOI_SMTP_PORT": str(port),
        "THEODOI_MAIL_DOMAINS": "cathai.gov.vn",
    }
    try:
        with running_demo(tmp_path_factory.mktemp("theodoi-mail"), env) as server:
            yield server, inbox
    finally:
        controller.stop()


def no_axe_violations(page: Page) -> None:
    if not AXE.exists():
        pytest.fail("Thiếu axe-core (node_modules/axe-core): hãy chạy make setup")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )
    assert found == [], found


def test_reminded_enter_submit_return_approve_explain(mail_server, new_page, screenshot):
    server, inbox = mail_server
    base = server.base_url
    page = new_page()

    # The reporter gives an e-mail address on the account page.
    sign_in(page, base, "tthcc.baocao")
    page.goto(f"{base}/tai-khoan/")
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Lan")
    page.get_by_label("Chức vụ").fill("Chuyên viên")
    page.get_by_label("Thư điện tử").fill(MAIL)
    page.get_by_role("button", name="Lưu hồ sơ").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu hồ sơ")

    # 1. Three days before Q1's due day (14/04/2026) the daily job reminds the unit.
    said = server.theodoi("remind", "--date", "11/04/2026")
    assert f"Còn 3 ngày đến hạn gửi báo cáo tiến độ quý I năm 2026 của {UNIT_NAME}" in said
    assert any("Còn 3 ngày" in s for s in inbox.subjects_to(MAIL))
    page.goto(f"{base}/viec-cua-toi/")
    expect(page.locator("#viec-cua-toi [data-unread]")).to_be_visible()
    expect(page.locator("#thong-bao")).to_contain_text("Còn 3 ngày đến hạn gửi")
    screenshot(page, "nhac-han-1366")
    no_axe_violations(page)
    phone = new_page("phone")
    sign_in(phone, base, "tthcc.baocao")
    phone.goto(f"{base}/viec-cua-toi/")
    expect(phone.locator("#thong-bao")).to_contain_text("Còn 3 ngày")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "nhac-han-390")

    # 2. From the reminder to the unit's page; the figure grid.
    page.locator("#thong-bao a", has_text="Còn 3 ngày").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(UNIT_NAME)
    grid = page.locator("[data-figure-grid]")
    cells = grid.locator("input[data-cell]")
    assert cells.count() >= 2
    first_id = cells.nth(0).get_attribute("id")
    second_id = cells.nth(1).get_attribute("id")
    page.locator(f"#{first_id}").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == second_id  # Enter moves down
    row = (
        grid.locator("tr")
        .filter(has=page.locator('td[data-label="Kỳ trước"]', has_text=re.compile(r"\d")))
        .first
    )
    # an illustrative earlier value is marked as such ("352 minh họa")
    shown = row.locator('td[data-label="Kỳ trước"]').inner_text()
    before = int(re.match(r"[\d.]+", shown.strip()).group().replace(".", ""))
    cell = row.locator("input[data-cell]")
    typed = cell.input_value()
    cell.fill(str(before * 10 + 7))
    cell.press("Tab")
    expect(grid.locator("[data-outlier]").first).to_contain_text("lớn bất thường")
    screenshot(page, "luoi-so-lieu-bat-thuong")
    phone.goto(page.url)
    screenshot(phone, "luoi-so-lieu-390")
    no_axe_violations(phone)
    page.locator(f"#{cell.get_attribute('id')}").fill(typed)
    page.locator(f"#{cell.get_attribute('id')}").press("Tab")
    # each cell is saved as it is left (no button needed); the button saves all or nothing
    expect(page.locator("[data-autosaved]")).to_contain_text("Đã tự lưu")
    page.get_by_role("button", name="Lưu số liệu").click()
    expect(page.locator("#kiem-tra-so-lieu")).to_contain_text("Đã lưu số liệu")

    # 3. Tasks one after another, then submit.
    # (the centre reports figures and its text; it leads no task due in Q1, if the plan
    # changes and it does, each is entered with "Lưu và sang nhiệm vụ tiếp theo")
    tasks = page.get_by_role("link", name=re.compile(r"^(Nhập|Sửa) tiến độ nhiệm vụ"))
    if tasks.count():
        tasks.first.click()
        while True:
            page.get_by_label("Tình hình thực hiện").select_option("in_progress")
            page.get_by_label("Tiến độ (%)").fill("60")
            page.get_by_label("Kết quả thực hiện").fill("Đang triển khai theo kế hoạch của quý.")
            following = page.get_by_role(
                "button", name=re.compile("Lưu và sang nhiệm vụ tiếp theo")
            )
            if following.count() == 0:
                page.get_by_role("button", name="Lưu bản nháp").click()
                break
            following.click()
            expect(page.locator(".alert-success")).to_contain_text("Đã lưu tiến độ")
    page.goto(f"{base}/tien-do/{UNIT}/{PERIOD}/")
    page.get_by_role("button", name=re.compile("Gửi báo cáo tiến độ")).click()
    expect(page.locator("#trang-thai-bao-cao")).to_have_text("Đã gửi")
    sign_out(page)

    # 4. The coordinator finds it on "Việc của tôi" and returns it with the reason.
    sign_in(page, base, "vhxh.tonghop")
    page.goto(f"{base}/viec-cua-toi/")
    page.get_by_role("link", name=re.compile(f"Tiếp nhận: {UNIT_NAME}")).click()
    page.get_by_label("Ý kiến (bắt buộc khi trả lại)").fill("Bổ sung số hồ sơ trực tuyến.")
    page.get_by_role("button", name="Trả lại").click()
    expect(page.locator("#trang-thai-bao-cao")).to_have_text("Trả lại")
    sign_out(page)

    # 5. The reporter is told why (in the app and by e-mail) and sends it again.
    assert any("bị trả lại" in s for s in inbox.subjects_to(MAIL))
    sign_in(page, base, "tthcc.baocao")
    page.goto(f"{base}/viec-cua-toi/")
    expect(page.locator("#thong-bao")).to_contain_text("Bổ sung số hồ sơ trực tuyến.")
    expect(page.locator("#can-bao-cao")).to_contain_text("Bị trả lại")
    screenshot(page, "bi-tra-lai")
    page.locator("#thong-bao a", has_text="bị trả lại").first.click()
    page.get_by_role("button", name=re.compile("Gửi báo cáo tiến độ")).click()
    expect(page.locator("#trang-thai-bao-cao")).to_have_text("Đã gửi")
    sign_out(page)
    sign_in(page, base, "vhxh.tonghop")
    page.goto(f"{base}/viec-cua-toi/")
    page.get_by_role("link", name=re.compile(f"Tiếp nhận: {UNIT_NAME}")).click()
    page.get_by_role("button", name="Tiếp nhận").click()
    expect(page.locator("#trang-thai-bao-cao")).to_have_text("Đã tiếp nhận")
    sign_out(page)

    # 6. The leader approves from the notification.
    sign_in(page, base, "lanhdao")
    page.goto(f"{base}/viec-cua-toi/")
    page.locator("#thong-bao a", has_text="Chờ phê duyệt").first.click()
    page.get_by_role("button", name="Phê duyệt và khóa kỳ").click()
    expect(page.locator("#trang-thai-bao-cao")).to_have_text("Đã phê duyệt")
    sign_out(page)

    # 7. An off-track indicator of the centre: explanation asked, answered, in the draft.
    sign_in(page, base, "vhxh.tonghop")
    page.goto(f"{base}/cham-bao-cao/?ky={PERIOD}")
    screenshot(page, "ai-cham")
    no_axe_violations(page)
    section = page.locator("#chi-tieu-nguy-co")
    section.locator("h3", has_text=UNIT_NAME).locator(
        "xpath=following-sibling::ul[1]//a"
    ).first.click()
    page.get_by_label("Kỳ", exact=True).select_option(PERIOD)
    page.get_by_label("Lý do yêu cầu").fill("Chậm so với lộ trình năm 2026")
    page.get_by_role("button", name="Yêu cầu giải trình").click()
    expect(page.locator(".alert-success")).to_contain_text(
        f"Đã gửi yêu cầu giải trình đến {UNIT_NAME}"
    )
    asked = page.url
    sign_out(page)
    sign_in(page, base, "tthcc.baocao")
    page.goto(f"{base}/viec-cua-toi/")
    page.locator("#can-giai-trinh a").first.click()
    assert page.url == asked
    page.get_by_label("Nguyên nhân").fill("Người dân chưa quen nộp hồ sơ trực tuyến")
    page.get_by_label("Giải pháp khắc phục, thời hạn").fill(
        "Cử đoàn viên hướng dẫn tại bộ phận một cửa từ tháng 5"
    )
    page.get_by_role("button", name="Gửi giải trình").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã gửi giải trình")
    sign_out(page)
    sign_in(page, base, "vhxh.tonghop")
    page.goto(f"{base}/bao-cao/du-thao/?don-vi=CATHAI&ky={PERIOD}")
    expect(page.locator("body")).to_contain_text("người dân chưa quen nộp hồ sơ trực tuyến")
    expect(page.locator("body")).to_contain_text("cử đoàn viên hướng dẫn tại bộ phận một cửa")
    screenshot(page, "du-thao-co-giai-trinh")
