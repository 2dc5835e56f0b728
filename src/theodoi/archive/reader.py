"""The text of a report file: plain text, Word (.docx) or PDF with a text layer."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

SUFFIXES = (".txt", ".docx", ".pdf")
_MOTTO = re.compile(r"C[ỘO]NG H[ÒO]A X[ÃA] H[ỘO]I|Độc lập|Doc lap", re.IGNORECASE)


class UnreadableFile(ValueError):
    """A file that cannot be read as a report; the message says which file and why."""


def read_text(path: Path) -> str:
    """The text of ``path`` with its line structure kept (one paragraph or table row a line)."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        kind = suffix or "không có đuôi"
        raise UnreadableFile(
            f"{path.name}: chỉ nạp được tệp .txt, .docx hoặc .pdf (tệp này là “{kind}”)."
        )
    if not path.is_file():
        raise UnreadableFile(f"{path.name}: không có tệp này.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"{path.name}: không đọc được tệp ({exc.strerror}).") from None
    if not data.strip():
        raise UnreadableFile(f"{path.name}: tệp rỗng.")
    if suffix == ".txt":
        text = _decode(data, path.name)
    elif suffix == ".docx":
        text = _docx_text(path)
    else:
        text = _pdf_text(path)
    if not text.strip():
        raise UnreadableFile(f"{path.name}: tệp không có chữ nào đọc được.")
    # One form for the same text whatever the machine wrote it with: NFC, "\n" line ends.
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(f"{name}: không nhận ra bảng mã của tệp (cần UTF-8).")


def _docx_text(path: Path) -> str:
    from docx import Document as WordDocument
    from docx.opc.exceptions import PackageNotFoundError

    try:
        word = WordDocument(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise UnreadableFile(
            f"{path.name}: không phải tệp Word (.docx) hợp lệ hoặc tệp bị hỏng."
        ) from None
    lines: list[str] = []
    body = word.element.body
    # Paragraphs and tables in document order; a table row becomes "cell | cell | cell".
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(
                "".join(node.text or "" for node in child.iter() if node.tag.endswith("}t"))
            )
        elif tag == "tbl":
            rows = []
            for row in child.iter():
                if not row.tag.endswith("}tr"):
                    continue
                cells = []
                for cell in row.iterchildren():
                    if cell.tag.endswith("}tc"):
                        text = "\n".join(_text_of(p) for p in cell.iter() if p.tag.endswith("}p"))
                        cells.append(text.strip())
                rows.append(cells)
            if any(_MOTTO.search(cell) for cells in rows for cell in cells):
                # The header table of an administrative document (issuer | motto, number |
                # place and date): each cell on its own lines, row by row.
                lines.extend(line for cells in rows for cell in cells for line in cell.split("\n"))
            else:
                lines.extend(" | ".join(c.replace("\n", " ") for c in cells) for cells in rows)
    return "\n".join(lines)


def _text_of(element) -> str:
    """A paragraph's text with its line breaks and tabs (Word's w:br, w:tab, w:cr)."""
    parts = []
    for node in element.iter():
        tag = node.tag.rsplit("}", 1)[-1]
        if tag == "t":
            parts.append(node.text or "")
        elif tag in ("br", "cr"):
            parts.append("\n")
        elif tag == "tab":
            parts.append("\t")
    return "".join(parts)


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError, KeyError):
        raise UnreadableFile(f"{path.name}: tệp PDF bị hỏng hoặc không đọc được.") from None
    text = "\n".join(pages)
    if not text.strip():
        raise UnreadableFile(
            f"{path.name}: tệp PDF không có lớp chữ (bản chụp chưa qua nhận dạng chữ OCR); "
            "hãy nhận dạng chữ trước rồi nạp tệp văn bản."
        )
    return text
