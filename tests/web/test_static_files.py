"""Pages light on slow office lines: the front-end packages are sent compressed (Brotli or
gzip, prepared by ``make setup``) to a browser that accepts it, and as they are otherwise."""

from __future__ import annotations

import brotli
import pytest
from django.test import Client

from theodoi.settings import NODE_MODULES

pytestmark = pytest.mark.skipif(
    not (NODE_MODULES / "bootstrap/dist/css/bootstrap.min.css.br").exists(),
    reason="chưa chạy make setup (theodoi static-compress)",
)


def _css() -> str:
    from django.templatetags.static import static

    return static("vendor/bootstrap/css/bootstrap.min.css")


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_package_file_is_sent_compressed_to_a_browser_that_accepts_it():
    plain = Client().get(_css())
    assert plain.status_code == 200 and "Content-Encoding" not in plain
    original = _body(plain)
    squeezed = Client().get(_css(), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert squeezed["Content-Encoding"] == "br"
    body = _body(squeezed)
    assert len(body) < len(original) / 4
    assert brotli.decompress(body) == original
    gzipped = Client().get(_css(), HTTP_ACCEPT_ENCODING="gzip")
    assert gzipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in squeezed["Vary"]


def test_a_package_file_is_kept_a_year_under_its_versioned_name_and_ours_a_minute():
    """A front-end package's address carries its version: the browser keeps it a year and
    a warm page asks only for the HTML; the project's own files are checked after a minute."""
    from theodoi.settings import _vendor_version

    css = _css()
    assert css == f"/static/vendor/bootstrap/{_vendor_version('bootstrap')}/css/bootstrap.min.css"
    kept = Client().get(css)
    assert "max-age=315360000" in kept["Cache-Control"] and "immutable" in kept["Cache-Control"]
    ours = Client().get("/static/web/dashboard.js")
    assert ours["Cache-Control"] == "max-age=60, public"
    assert Client().get("/static/vendor/bootstrap/css/bootstrap.min.css").status_code == 404


def test_the_projects_own_files_are_sent_as_they_are():
    response = Client().get("/static/web/dashboard.js", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200 and "Content-Encoding" not in response


@pytest.mark.django_db
def test_pages_are_sent_gzipped_to_a_browser_that_accepts_it(dataset):
    import gzip

    from tests.web.test_views import login

    leader = login("lanhdao")
    plain = leader.get("/dang-nhap/")
    squeezed = leader.get("/?don-vi=CATHAI&ky=2026-Q1", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in plain
    assert squeezed["Content-Encoding"] == "gzip"
    html = gzip.decompress(squeezed.content).decode()
    assert "Tổng quan" in html and len(squeezed.content) < len(html.encode()) / 3


@pytest.mark.django_db
def test_files_already_compressed_are_sent_as_they_are(dataset):
    from tests.web.test_views import login

    leader = login("lanhdao")
    workbook = leader.get("/cham-bao-cao/?ky=2026-Q1&xuat=xlsx", HTTP_ACCEPT_ENCODING="gzip")
    assert workbook.status_code == 200 and "Content-Encoding" not in workbook
    assert workbook.content[:2] == b"PK"
