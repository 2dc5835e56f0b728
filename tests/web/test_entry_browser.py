"""On the entry page, in a real browser: figures typed are never lost without a word.

One wrong cell among many: "Lưu số liệu" saves nothing, and says so beside the button, with
the focus on the wrong cell (no green "khớp" line beside it). Typed, unsaved figures hold back
"Gửi báo cáo" with a message, and leaving the page asks first. A progress field takes what
was typed ("5O" is refused, not read as 5).
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.web.test_journey import sign_in

UNIT = "CATHAI-VHXH"
PERIOD = "2026-Q1"


def test_a_wrong_cell_is_shown_where_the_user_looks_and_nothing_is_lost(
    demo_server, new_page, screenshot
):
    page = new_page()
    sign_in(page, demo_server.base_url, "vhxh.baocao")
    page.goto(f"{demo_server.base_url}/tien-do/{UNIT}/{PERIOD}/")
    cells = page.locator("#kiem-tra-so-lieu input")
    assert cells.count() >= 3
    cells.nth(0).fill("12")
    cells.nth(1).fill("12,5,7")  # not a number
    cells.nth(2).fill("30")
    page.get_by_role("button", name="Lưu số liệu").click()

    summary = page.locator("#ket-qua-luu")
    expect(summary).to_contain_text("Chưa lưu số liệu nào: 1 ô có lỗi")
    wrong = page.locator("#kiem-tra-so-lieu input").nth(1)
    expect(wrong).to_have_class(re.compile("is-invalid"))
    expect(wrong).to_be_focused()
    expect(page.get_by_text("Số liệu khớp các quy tắc kiểm tra")).to_have_count(0)
    # What was typed is still there, to correct rather than retype.
    expect(page.locator("#kiem-tra-so-lieu input").nth(0)).to_have_value("12")
    screenshot(page, "o-sai-ben-nut-luu")

    # Sending the report now would drop the unsaved figures: held back, with the reason.
    page.get_by_role("button", name=re.compile("Gửi báo cáo tiến độ")).click()
    notice = page.locator("#con-chua-luu")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("chưa lưu")
    assert page.url.endswith(f"/tien-do/{UNIT}/{PERIOD}/")
    screenshot(page, "gui-khi-con-chua-luu")

    # Leaving the page asks first.
    dialogs: list[str] = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.get_by_role("link", name="Tổng quan").first.click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(f"/tien-do/{UNIT}/{PERIOD}/")


def test_a_progress_typed_with_a_letter_is_refused_not_read(demo_server, new_page):
    page = new_page()
    sign_in(page, demo_server.base_url, "vhxh.baocao")
    page.goto(f"{demo_server.base_url}/tien-do/{UNIT}/{PERIOD}/")
    page.get_by_role("link", name=re.compile(r"^Nhập tiến độ nhiệm vụ")).first.click()
    page.get_by_label("Tình hình thực hiện").select_option("in_progress")
    field = page.get_by_label("Tiến độ (%)")
    field.fill("5O")
    expect(field).to_have_value("5O")  # the browser keeps what was typed
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.get_by_label("Tiến độ (%)")).to_have_class(re.compile("is-invalid"))
    expect(page.locator(".invalid-feedback").first).to_contain_text("số nguyên từ 0 đến 100")
