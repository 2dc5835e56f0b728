"""axe-core (from npm, served from node_modules, never downloaded) finds no accessibility
violation on the pages each role uses, at 1366×768 and on a phone: the menu fits, contrast,
labels, headings, tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.web.test_journey import sign_in

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "vhxh.tonghop": [
        "/",
        "/ke-hoach/",
        "/ke-hoach/1/",
        "/nhiem-vu/1/",
        "/chi-tieu/1/",
        "/duyet/",
        "/bao-cao/?lap=1&ky=2026-Q1",
        "/bao-cao/du-thao/?don-vi=CATHAI&ky=2026-Q1",
        "/bao-cao/dan-y/",
        "/van-ban/",
        "/don-vi/",
        "/tim-kiem/?q=chuyen+doi+so",
        "/viec-cua-toi/",
        "/cham-bao-cao/?ky=2026-Q1",
        "/tai-khoan/",
        "/huong-dan/",
        "/nhap-excel/",
        "/so-lieu-trich/",
    ],
    "tthcc.baocao": ["/", "/tien-do/", "/tien-do/CATHAI-TTHCC/2026-Q1/", "/viec-cua-toi/"],
    "kiemtra": ["/", "/bao-cao/", "/viec-cua-toi/"],
}


def violations(page: Page) -> list[str]:
    if not AXE.exists():
        pytest.fail("Thiếu axe-core (node_modules/axe-core): hãy chạy make setup")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"
    )


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_no_accessibility_violation_on_the_pages_of_each_role(demo_server, new_page, viewport):
    found = {}
    for user, paths in PAGES.items():
        page = new_page(viewport)
        sign_in(page, demo_server.base_url, user)
        for path in paths:
            response = page.goto(demo_server.base_url + path)
            assert response is not None and response.status == 200, path
            problems = violations(page)
            if problems:
                found[f"{user} {path}"] = problems
        page.close()
    assert found == {}
