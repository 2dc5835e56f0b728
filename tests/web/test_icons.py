"""Only the icons the interface uses are sent: a subset of the Bootstrap Icons font built by
set-up (``theodoi static-compress``), naming every icon the project's files use."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from fontTools.ttLib import TTFont

import theodoi
from theodoi.web import icons

PACKAGE = settings.NODE_MODULES / "bootstrap-icons" / "font"
pytestmark = pytest.mark.skipif(
    not PACKAGE.is_dir(), reason="bootstrap-icons chưa cài (make setup chạy npm ci)"
)


def _used() -> set[str]:
    return icons.icons_used(Path(theodoi.__file__).parent, set(icons.codepoints(PACKAGE)))


def test_the_subset_holds_exactly_the_icons_used_and_is_small(tmp_path):
    used = _used()
    assert {"bell", "trash", "download"} <= used
    icons.build_subset(PACKAGE, tmp_path, used)
    assert icons.subset_names(tmp_path) == used
    font = tmp_path / icons.FONT
    assert (
        font.stat().st_size < 10_000 < (PACKAGE / "fonts" / "bootstrap-icons.woff2").stat().st_size
    )
    points = icons.codepoints(PACKAGE)
    assert set(TTFont(str(font)).getBestCmap()) == {points[name] for name in used}


def test_a_name_that_is_not_an_icon_is_left_out(tmp_path):
    (tmp_path / "page.html").write_text('<i class="bi bi-bell"></i> <p class="bi-rong">', "utf-8")
    assert icons.icons_used(tmp_path, set(icons.codepoints(PACKAGE))) == {"bell"}


def test_the_app_serves_the_subset_set_up_made_and_it_is_current(client):
    """On a set-up machine the app's icon style sheet is the subset, and it names every icon
    the project uses: an icon added since set-up last ran would be missing (run make setup)."""
    subset = settings.ICON_SUBSET
    if not (subset / icons.STYLE).is_file():
        pytest.skip("bộ biểu tượng rút gọn chưa được tạo (make setup chạy theodoi static-compress)")
    assert _used() <= icons.subset_names(subset)
    from django.templatetags.static import static

    response = client.get(static("vendor/bootstrap-icons/bootstrap-icons.min.css"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b".bi-bell::before" in body and b".bi-alarm::before" not in body
