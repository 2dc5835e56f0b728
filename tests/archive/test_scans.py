"""Scanned paper: a PDF without a text layer, or an image of a page, read by OCR (Tesseract with
its Vietnamese data) — on scans these tests make themselves — then searchable, its figures
queued for review, and never a value the clean text does not state."""

from __future__ import annotations

from pathlib import Path

import pytest

from theodoi import scans
from theodoi.bench.scans import LINES, make_scan, score, tools_missing
from theodoi.domain.extract import extract
from theodoi.filetext import UnreadableFile, read_text

MISSING = tools_missing()
needs_ocr = pytest.mark.skipif(bool(MISSING), reason=f"không đọc được bản chụp ở đây: {MISSING}")


@pytest.fixture(scope="module")
def clean_figures():
    return {(f.element, f.value) for f in extract("\n".join(LINES)).figures}


@pytest.fixture(scope="module")
def light_scan(tmp_path_factory) -> Path:
    return make_scan(LINES, tmp_path_factory.mktemp("ban-chup"))


@needs_ocr
def test_light_scan_yields_every_figure_of_the_clean_text(light_scan, clean_figures):
    assert len(clean_figures) >= 8
    read = {(f.element, f.value) for f in extract(read_text(light_scan)).figures}
    assert read == clean_figures


@needs_ocr
def test_poor_scan_states_no_value_the_clean_text_does_not(tmp_path):
    scores = {s.name: s for s in score(tmp_path)}
    assert scores["nhẹ"].recall == 1.0
    for s in scores.values():
        assert s.wrong == [], s.name


@needs_ocr
def test_image_of_a_page_is_read(tmp_path, clean_figures):
    image = make_scan(LINES, tmp_path, image="png")
    text = read_text(image)
    assert "hồ sơ" in text
    read = {(f.element, f.value) for f in extract(text).figures}
    assert read and read <= clean_figures


@needs_ocr
@pytest.mark.django_db
def test_ingested_scan_is_searchable_and_its_figures_wait_for_review(light_scan, dataset):
    from django.contrib.auth import get_user_model

    from theodoi.archive.models import ExtractedFigure
    from theodoi.archive.services import document_ingest
    from theodoi.search.selectors import search

    user = get_user_model().objects.get(username="quantri")
    result = document_ingest(path=light_scan, user=user)
    assert "Tổ công nghệ số cộng đồng" in result.document.full_text
    hits = search(user=None, query="to cong nghe so cong dong", kinds=["document"])
    assert any(h.object == result.document for h in hits)
    queued = ExtractedFigure.objects.filter(document=result.document)
    assert {(f.element.code, f.value) for f in queued} >= {("dossiers.received", 1624)}


def test_without_tesseract_the_user_is_told_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(scans.shutil, "which", lambda name: None)
    image = tmp_path / "trang.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(UnreadableFile, match="tesseract-ocr-vie"):
        read_text(image)


def test_ocr_split_numbers_are_not_read():
    figures = extract(
        "Tổng số hồ sơ tiếp nhận: 1 624 hồ sơ.\nSố hồ sơ đã giải quyết: 1. 590 hồ sơ.\n"
        "Số hồ sơ trực tuyến: 1.543 hồ sơ."
    ).figures
    assert {(f.element, f.value) for f in figures} == {("dossiers.online", 1543)}
