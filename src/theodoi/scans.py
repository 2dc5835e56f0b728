"""Reading scanned paper: a PDF without a text layer, or a photo or scan of a page, put through
OCR — Tesseract with its Vietnamese data, from Debian's packages (``tesseract-ocr``,
``tesseract-ocr-vie``; ``make setup`` installs them where the machine allows), the pages of a
PDF drawn by poppler's ``pdftoppm``. Nothing is downloaded: where either is missing the user
is told what to install.

The text OCR gives is read like any other, by the OCR-tolerant readers of
:mod:`theodoi.domain.ocr` and :mod:`theodoi.domain.search`.

Bounds: at most :data:`MAX_SCAN_PAGES` pages, each drawn at 300 dpi and read within
:data:`PAGE_SECONDS`; one Tesseract thread, so that a scan being read leaves the server its
other core.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
MAX_SCAN_PAGES = 100
PAGE_SECONDS = 120
DPI = 300
LANGUAGE = "vie"


class ScanError(ValueError):
    """A scan that cannot be read; the message says why, in Vietnamese."""


def ocr_missing() -> str:
    """What is missing to read scans, as a sentence for the user; "" when nothing is."""
    if shutil.which("tesseract") is None:
        return (
            "máy chưa cài Tesseract để nhận dạng chữ (OCR) bản chụp; cài bằng: "
            "sudo apt-get install tesseract-ocr tesseract-ocr-vie (hoặc chạy make setup)."
        )
    try:
        listed = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return "không chạy được Tesseract trên máy này."
    if LANGUAGE not in listed.stdout.split():
        return (
            "Tesseract chưa có dữ liệu tiếng Việt; cài bằng: "
            "sudo apt-get install tesseract-ocr-vie."
        )
    return ""


def _tesseract(image: Path, name: str) -> str:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            ["tesseract", str(image), "stdout", "-l", LANGUAGE, "--psm", "3"],
            capture_output=True,
            text=True,
            timeout=PAGE_SECONDS,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ScanError(
            f"{name}: nhận dạng chữ một trang quá {PAGE_SECONDS} giây; tệp quá lớn hoặc hỏng."
        ) from None
    except OSError as exc:
        raise ScanError(f"{name}: không chạy được Tesseract ({exc.strerror}).") from None
    if done.returncode != 0:
        raise ScanError(f"{name}: không nhận dạng được chữ (ảnh hỏng hoặc không phải ảnh).")
    return done.stdout


def ocr_image(path: Path) -> str:
    """The text of one scanned page (an image file)."""
    missing = ocr_missing()
    if missing:
        raise ScanError(f"{path.name}: {missing}")
    return _tesseract(path, path.name)


def ocr_pdf(path: Path, pages: int) -> str:
    """The text of a PDF's ``pages`` pages, drawn as images and put through OCR, page after
    page separated by a form feed."""
    missing = ocr_missing()
    if missing:
        raise ScanError(f"{path.name}: tệp PDF không có lớp chữ (bản chụp) và {missing}")
    if shutil.which("pdftoppm") is None:
        raise ScanError(
            f"{path.name}: tệp PDF không có lớp chữ; cần pdftoppm để đọc bản chụp: "
            "sudo apt-get install poppler-utils."
        )
    if pages > MAX_SCAN_PAGES:
        raise ScanError(
            f"{path.name}: bản chụp có {pages} trang, vượt giới hạn {MAX_SCAN_PAGES} trang "
            "nhận dạng chữ một lần; hãy tách tệp."
        )
    texts = []
    with tempfile.TemporaryDirectory(prefix="theodoi-scan-") as folder:
        for number in range(1, pages + 1):
            stem = Path(folder) / f"page-{number}"
            try:
                subprocess.run(
                    [
                        "pdftoppm", "-r", str(DPI), "-gray", "-png", "-singlefile",
                        "-f", str(number), "-l", str(number), str(path), str(stem),
                    ],
                    capture_output=True,
                    timeout=PAGE_SECONDS,
                    check=True,
                )  # fmt: skip
            except (subprocess.SubprocessError, OSError):
                raise ScanError(f"{path.name}: không vẽ được trang {number} của tệp PDF.") from None
            image = stem.with_suffix(".png")
            texts.append(_tesseract(image, f"{path.name}, trang {number}"))
            image.unlink(missing_ok=True)
    return "\f".join(texts)
