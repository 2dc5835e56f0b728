"""Asking in a real browser (Debian's Chromium) against `theodoi serve`: the leader types a
question without diacritics in the box of the dashboard, reads the answer in place, follows up
("so với quý trước thì sao?"), then asks where a figure comes from and opens the source."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.web.test_journey import sign_in


def test_ask_follow_up_and_open_a_source(demo_server, new_page, screenshot):
    base = demo_server.base_url
    page = new_page()
    sign_in(page, base, "lanhdao")
    box = page.locator("#hoi")
    box.fill("ty le ho so truc tuyen quy 1 nam 2026")
    box.press("Enter")
    answer = page.locator("#cau-tra-loi")
    expect(answer).to_contain_text("Tỷ lệ hồ sơ tiếp nhận trực tuyến")
    expect(answer).to_contain_text("quý I năm 2026")
    expect(page.locator(".ask-answer")).to_contain_text("Dữ liệu minh họa")
    # answered in place: still the dashboard
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tổng quan")
    screenshot(page, "hoi-ty-le")

    box.fill("so voi quy truoc thi sao?")
    box.press("Enter")
    expect(answer).to_contain_text("So với quý IV năm 2025")
    expect(page.locator(".ask-answer tbody tr")).to_have_count(2)
    screenshot(page, "hoi-so-voi-quy-truoc")

    box.fill("so ho so tiep nhan tu 01/07/2025 den 04/11/2025")
    box.press("Enter")
    expect(answer).to_contain_text("5.092 hồ sơ")
    source = page.locator("a.ask-source").first
    expect(source).to_contain_text("dòng 389")
    source.click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/van-ban/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Báo cáo")
    screenshot(page, "hoi-nguon")
