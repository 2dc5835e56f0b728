"""The browser reaches the real server, and the server hands out the npm-installed front-end
libraries (from node_modules, through whitenoise) that the pages load."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"


def _vendor(path: str) -> str:
    """The address a page names a front-end package file by (its version in it)."""
    from django.templatetags.static import static

    return static("vendor" + path)


def _installed_version(package: str) -> str:
    return json.loads((NODE_MODULES / package / "package.json").read_text())["version"]


@pytest.mark.parametrize(
    ("path", "content_type", "package", "banner"),
    [
        pytest.param(
            "/bootstrap/css/bootstrap.min.css",
            "text/css",
            "bootstrap",
            "Bootstrap  v{version}",
            id="bootstrap-css",
        ),
        pytest.param(
            "/bootstrap/js/bootstrap.bundle.min.js",
            "javascript",
            "bootstrap",
            "Bootstrap v{version}",
            id="bootstrap-js",
        ),
        pytest.param(
            "/bootstrap-icons/bootstrap-icons.min.css",
            "text/css",
            "bootstrap-icons",
            "Bootstrap Icons v{version}",
            id="bootstrap-icons-css",
        ),
        pytest.param(
            "/htmx/htmx.min.js",
            "javascript",
            "htmx.org",
            'version:"{version}"',
            id="htmx",
        ),
        pytest.param(
            "/chartjs/chart.umd.min.js",
            "javascript",
            "chart.js",
            "Chart.js v{version}",
            id="chartjs",
        ),
    ],
)
def test_server_serves_installed_front_end_library(
    demo_server, new_page, path, content_type, package, banner
):
    page = new_page()
    response = page.goto(demo_server.base_url + _vendor(path))

    assert response is not None
    assert response.status == 200
    assert content_type in response.headers["content-type"]
    # The file served is the one package-lock.json pinned, not a stale copy from elsewhere.
    assert banner.format(version=_installed_version(package)) in response.text()


def test_icon_font_referenced_by_the_icon_stylesheet_is_served(demo_server, new_page):
    page = new_page("phone")
    response = page.goto(demo_server.base_url + _vendor("/bootstrap-icons/bootstrap-icons.min.css"))
    assert response is not None
    stylesheet = response.text()
    assert "fonts/bootstrap-icons.woff2" in stylesheet

    # The stylesheet names its font relative to itself, so it must sit beside it.
    font = page.request.get(
        demo_server.base_url + _vendor("/bootstrap-icons/fonts/bootstrap-icons.woff2")
    )

    assert font.status == 200
    assert font.headers["content-type"] == "font/woff2"
    assert font.body()[:4] == b"wOF2"
