"""``theodoi bench ocr``: scans made here — a report's text set in Times New Roman by
LibreOffice, drawn as a grey page image by poppler, turned a little and speckled, and put
back into a PDF with no text layer (what an office's scanner gives, without any file from
outside) — read back through OCR, and the figures extracted from the scan compared with those
extracted from the clean text: recall, and wrong values (target 0)."""

from __future__ import annotations

import math
import random
import shutil
import struct
import subprocess
import time
import zlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from docx import Document
from docx.shared import Pt

from theodoi.domain.text import fold

# A report of a commune written for these tests: its figures are the answer key.
LINES = [
    "ỦY BAN NHÂN DÂN ĐẶC KHU CÁT HẢI",
    "BÁO CÁO",
    "Kết quả thực hiện chuyển đổi số quý I năm 2026",
    "1. Kết quả giải quyết thủ tục hành chính",
    "Tổng số hồ sơ tiếp nhận: 1.624 hồ sơ.",
    "Số hồ sơ trực tuyến: 1.543 hồ sơ, tỷ lệ đạt: 95,01%.",
    "Số hồ sơ trực tiếp, qua bưu chính: 81 hồ sơ.",
    "Số hồ sơ đã giải quyết: 1.590 hồ sơ.",
    "Số hồ sơ đang giải quyết: 34 hồ sơ.",
    "Số hồ sơ quá hạn: 0 hồ sơ.",
    "2. Chuyển đổi số cộng đồng",
    "Toàn đặc khu có 58 Tổ công nghệ số cộng đồng với 386 thành viên.",
    "Trong kỳ đã tập huấn cho 125 lượt cán bộ, công chức.",
]


def tools_missing() -> str:
    """Why scans cannot be made or read here, or ""."""
    for tool in ("soffice", "pdftoppm", "tesseract"):
        if shutil.which(tool) is None:
            return f"thiếu {tool} (make setup cài LibreOffice, poppler-utils, Tesseract)."
    listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True)
    if "vie" not in listed.stdout.split():
        return "thiếu dữ liệu tiếng Việt của Tesseract (tesseract-ocr-vie)."
    return ""


def _docx(lines: list[str], path: Path) -> None:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))


def _pdf_of(docx: Path) -> Path:
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)],
        capture_output=True,
        timeout=180,
        check=True,
    )
    return docx.with_suffix(".pdf")


def _grey_page(pdf: Path, dpi: int) -> tuple[int, int, bytearray]:
    stem = pdf.with_name(pdf.stem + "-page")
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-gray",
            "-singlefile",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(stem),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    data = stem.with_suffix(".pgm").read_bytes()
    # P5 header: magic, width, height, maxval, each separated by whitespace
    fields, at = [], 0
    while len(fields) < 4:
        while data[at : at + 1].isspace():
            at += 1
        end = at
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[at:end])
        at = end
    width, height = int(fields[1]), int(fields[2])
    return width, height, bytearray(data[at + 1 : at + 1 + width * height])


def _turned(width: int, height: int, pixels: bytearray, degrees: float) -> bytearray:
    """The page turned by ``degrees`` about its centre (nearest pixel, white outside)."""
    angle = math.radians(degrees)
    cos, sin = math.cos(angle), math.sin(angle)
    cx, cy = width / 2, height / 2
    out = bytearray(b"\xff" * (width * height))
    for y in range(height):
        dy = y - cy
        base_x = cx - dy * sin
        base_y = cy + dy * cos
        row = y * width
        for x in range(width):
            dx = x - cx
            sx = int(base_x + dx * cos)
            sy = int(base_y + dx * sin)
            if 0 <= sx < width and 0 <= sy < height:
                out[row + x] = pixels[sy * width + sx]
    return out


def _speckled(pixels: bytearray, share: float, seed: int) -> bytearray:
    rng = random.Random(seed)
    for _ in range(int(len(pixels) * share)):
        at = rng.randrange(len(pixels))
        pixels[at] = 0 if rng.random() < 0.5 else 255
    return pixels


def _image_pdf(width: int, height: int, pixels: bytearray, dpi: int, path: Path) -> None:
    """A one-page PDF holding only the grey image: no text layer."""
    image = zlib.compress(bytes(pixels))
    page_w, page_h = width * 72 / dpi, height * 72 / dpi
    content = f"q {page_w:.2f} 0 0 {page_h:.2f} 0 0 cm /Im0 Do Q".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page_w:.2f} {page_h:.2f}] "
        "/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>".encode(),
        f"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} "
        f"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode "
        f"/Length {len(image)} >>\nstream\n".encode()
        + image
        + b"\nendstream",
        f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    path.write_bytes(bytes(out))


def _png(width: int, height: int, pixels: bytearray, path: Path) -> None:
    """The grey image as a PNG (one filter byte before each row)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes(pixels[y * width : (y + 1) * width]) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def make_scan(
    lines: list[str],
    folder: Path,
    *,
    degrees: float = 0.5,
    noise: float = 0.002,
    dpi: int = 200,
    image: str = "pdf",
) -> Path:
    """A scanned PDF of ``lines`` in ``folder``: set, drawn, turned, speckled, image only."""
    source = folder / "bao-cao.docx"
    _docx(lines, source)
    width, height, pixels = _grey_page(_pdf_of(source), dpi)
    pixels = _speckled(_turned(width, height, pixels, degrees), noise, seed=57)
    scan = folder / f"ban-chup.{image}"
    if image == "png":
        _png(width, height, pixels, scan)
    else:
        _image_pdf(width, height, pixels, dpi, scan)
    return scan


# Two scans of the same page: a light one (an office scanner, a page laid a little askew) and
# a poor one (a photocopy of a photocopy). Figures: every one of the clean text's is the key.
SCANS = {"nhẹ": {"degrees": 0.5, "noise": 0.002}, "kém": {"degrees": 0.7, "noise": 0.01}}


@dataclass
class ScanScore:
    name: str
    clean: int  # figures extracted from the clean text
    found: int  # of those, extracted with the same value from the scan
    wrong: list[tuple[str, Decimal]]  # values the scan gave that the clean text does not
    seconds: float

    @property
    def recall(self) -> float:
        return self.found / self.clean if self.clean else 0.0


def score(folder: Path) -> list[ScanScore]:
    """Make each scan in ``folder``, read it back, and compare its figures with the clean
    text's."""
    from theodoi.domain.extract import extract
    from theodoi.filetext import read_text

    clean = {(f.element, f.value) for f in extract("\n".join(LINES)).figures}
    scores = []
    for name, how in SCANS.items():
        place = folder / fold(name)
        place.mkdir(parents=True, exist_ok=True)
        scan = make_scan(LINES, place, **how)
        started = time.perf_counter()
        text = read_text(scan)
        seconds = time.perf_counter() - started
        read = {(f.element, f.value) for f in extract(text).figures}
        scores.append(ScanScore(name, len(clean), len(clean & read), sorted(read - clean), seconds))
    return scores
