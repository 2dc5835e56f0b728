"""The text of a file the offices give: plain text, Word (.docx), PDF — with a text layer, or
scanned and read by OCR (:mod:`theodoi.scans`) — or a photo or scan of a page —
read for the archive (old reports) and for the report draft edited in Word (so it sits below
both, beside :mod:`theodoi.ooxml`).

Every file that cannot be read, whatever is wrong with it, raises :class:`UnreadableFile`
with a Vietnamese message naming the file and the fault; nothing else leaves this module.

Bounds, for the old reports this software reads (a report is a few to a few hundred pages):

- ``.txt`` up to 16 MB; ``.docx`` and ``.pdf`` up to 100 MB on disk (photos make Word and
  PDF files large while their text stays small).
- A Word file is opened with :mod:`theodoi.ooxml` (at most 2,000 parts, no DOCTYPE) and only
  its main document part is read, through a cap of 32 MB inflated: a 300-page report's
  ``word/document.xml`` is a few megabytes, and lxml holds several times that while it reads.
  The parts python-docx would load too (pictures, fonts) are never inflated, so a zip bomb
  among them costs nothing.
- A PDF of at most 1,000 pages. pypdf raises many kinds of error on a damaged file (and
  bounds its own decompression); any of them means “this PDF cannot be read”.

Control characters: form feed and vertical tab (page and line breaks from converters) become
line breaks; the other control characters except tab and line breaks (NUL above all) are
removed. None of them is something a person wrote, PostgreSQL cannot store NUL in text at
all, and a stray one (a broken conversion, a truncated write) should not cost the user the
document. A file where they are more than one character in twenty is not text in an encoding
this reader knows (a binary file renamed .txt holds about one in four, UTF-16 without its byte
order mark up to one in two): it is refused rather than stored as garbage.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from theodoi.domain.formatting import format_number
from theodoi.ooxml import Package, PackageError, local_name, megabytes, parse_xml
from theodoi.scans import IMAGE_SUFFIXES, ScanError, ocr_image, ocr_pdf

SUFFIXES = (".txt", ".docx", ".pdf", *IMAGE_SUFFIXES)
MAX_TEXT_BYTES = 16 * 1024 * 1024
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_DOCX_MEMBERS = 2_000
MAX_DOCUMENT_XML_BYTES = 32 * 1024 * 1024
MAX_RELATIONSHIP_BYTES = 1024 * 1024
MAX_PDF_PAGES = 1_000
MAX_CONTROL_SHARE = 0.05
# Reading figures out of a text costs more than linear time on hostile input: beyond this
# (about 500 pages of a report) a file is refused rather than hold a server for minutes.
MAX_TEXT_CHARS = 1_000_000
MAIN_DOCUMENT = "word/document.xml"
OFFICE_DOCUMENT = "/officeDocument"  # the end of the main part's relationship type

_MOTTO = re.compile(r"C[ỘO]NG H[ÒO]A X[ÃA] H[ỘO]I|Độc lập|Doc lap", re.IGNORECASE)
# C0 and C1 control characters but tab, line feed, vertical tab, form feed, carriage return.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


class UnreadableFile(ValueError):
    """A file that cannot be read as a report; the message says which file and why."""


def check_file(path: Path) -> int:
    """The size of ``path`` once it is a report file this reader takes: the right kind,
    there, not empty, within the bounds; else :class:`UnreadableFile`."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        kind = suffix or "không có đuôi"
        raise UnreadableFile(
            f"{path.name}: chỉ nạp được tệp .txt, .docx, .pdf hoặc ảnh chụp .png, .jpg, .tif "
            f"(tệp này là “{kind}”)."
        )
    if not path.is_file():
        raise UnreadableFile(f"{path.name}: không có tệp này.")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableFile(f"{path.name}: không đọc được tệp ({exc.strerror}).") from None
    limit = MAX_TEXT_BYTES if suffix == ".txt" else MAX_FILE_BYTES
    if size == 0:
        raise UnreadableFile(f"{path.name}: tệp rỗng.")
    if size > limit:
        raise UnreadableFile(
            f"{path.name}: tệp nặng {megabytes(size)}, vượt giới hạn {megabytes(limit)} của một "
            "văn bản được nạp."
        )
    return size


def read_text(path: Path) -> str:
    """The text of ``path`` with its line structure kept (one paragraph or table row a line)."""
    check_file(path)
    suffix = path.suffix.lower()
    if suffix == ".txt":
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableFile(f"{path.name}: không đọc được tệp ({exc.strerror}).") from None
        if not data.strip():
            raise UnreadableFile(f"{path.name}: tệp rỗng.")
        text = _decode(data, path.name)
    elif suffix == ".docx":
        text = _docx_text(path)
    elif suffix in IMAGE_SUFFIXES:
        try:
            text = ocr_image(path)
        except ScanError as exc:
            raise UnreadableFile(str(exc)) from None
    else:
        text = _pdf_text(path)
    text = _without_controls(text, path.name)
    if not text.strip():
        raise UnreadableFile(f"{path.name}: tệp không có chữ nào đọc được.")
    if len(text) > MAX_TEXT_CHARS:
        raise UnreadableFile(
            f"{path.name}: văn bản dài {format_number(len(text))} ký tự, quá giới hạn "
            f"{format_number(MAX_TEXT_CHARS)} ký tự (khoảng 500 trang) của một văn bản nạp vào "
            "hệ thống; hãy tách thành nhiều tệp."
        )
    # One form for the same text whatever the machine wrote it with: NFC, "\n" line ends.
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableFile(
                f"{name}: tệp ghi theo bảng mã UTF-16 nhưng bị hỏng (cắt cụt hoặc sai ký tự)."
            ) from None
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(f"{name}: không nhận ra bảng mã của tệp (cần UTF-8).")


def _without_controls(text: str, name: str) -> str:
    """Page and line breaks kept as line breaks, other control characters removed; a text
    made largely of them refused (see the module's docstring)."""
    text = text.replace("\x0b", "\n").replace("\x0c", "\n")
    found = len(_CONTROL.findall(text))
    if found and found > MAX_CONTROL_SHARE * len(text):
        raise UnreadableFile(
            f"{name}: {found} trong {len(text)} ký tự là ký tự điều khiển (như NUL), không "
            "phải chữ: đây không phải tệp văn bản, hoặc tệp lưu theo bảng mã khác (UTF-16 "
            "không có dấu BOM). Hãy mở tệp và lưu lại dạng văn bản UTF-8."
        )
    return _CONTROL.sub("", text) if found else text


def _docx_text(path: Path) -> str:
    from lxml import etree

    broken = f"{path.name}: không phải tệp Word (.docx) hợp lệ hoặc tệp bị hỏng"
    try:
        with Package(
            path,
            max_file_bytes=MAX_FILE_BYTES,
            max_members=MAX_DOCX_MEMBERS,
            max_total_bytes=MAX_DOCUMENT_XML_BYTES + MAX_RELATIONSHIP_BYTES,
        ) as package:
            main = package.find(_main_part(package))
            if main is None:
                raise PackageError(f"không có phần văn bản chính “{MAIN_DOCUMENT}”.")
            xml = package.read(main, limit=MAX_DOCUMENT_XML_BYTES)
    except PackageError as exc:
        raise UnreadableFile(f"{broken}: {exc}") from None
    # python-docx's own parser settings (so the text is the same), with no entity
    # substitution, no network and libxml2's default bounds (depth, text node size).
    parser = etree.XMLParser(
        remove_blank_text=True, resolve_entities=False, no_network=True, load_dtd=False
    )
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or "?"
        raise UnreadableFile(
            f"{broken}: phần “{main.filename}” không phải XML hợp lệ (hỏng ở dòng {line})."
        ) from None
    if root.getroottree().docinfo.doctype:
        raise UnreadableFile(f"{broken}: có khai báo DOCTYPE, điều tệp Word không có.")
    body = next((c for c in root.iterchildren() if _tag(c) == "body"), None)
    if body is None:
        raise UnreadableFile(f"{broken}: phần “{main.filename}” không có thân văn bản.")
    return _body_text(body)


def _main_part(package: Package) -> str:
    """The main document part named by the package's relationships (``word/document.xml``
    unless the file says otherwise), as Word and python-docx find it."""
    relations = package.find("_rels/.rels")
    if relations is None:
        return MAIN_DOCUMENT
    found: list[str] = []

    def relation(tag: str, attrs: dict[str, str]) -> None:
        if local_name(tag) == "Relationship" and attrs.get("Type", "").endswith(OFFICE_DOCUMENT):
            found.append(attrs.get("Target", ""))

    data = package.read(relations, limit=MAX_RELATIONSHIP_BYTES)
    parse_xml(iter([data]), part=relations.filename, start=relation)
    target = found[0].lstrip("/") if found else ""
    return target or MAIN_DOCUMENT


def _tag(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _body_text(body) -> str:
    lines: list[str] = []
    # Paragraphs and tables in document order; a table row becomes "cell | cell | cell".
    for child in body.iterchildren():
        tag = _tag(child)
        if tag == "p":
            lines.append(_text_of(child))
        elif tag == "tbl":
            rows = []
            for row in child.iter():
                if _tag(row) != "tr":
                    continue
                cells = []
                for cell in row.iterchildren():
                    if _tag(cell) == "tc":
                        text = "\n".join(_text_of(p) for p in cell.iter() if _tag(p) == "p")
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
        tag = _tag(node)
        if tag == "t":
            parts.append(node.text or "")
        elif tag in ("br", "cr"):
            parts.append("\n")
        elif tag == "tab":
            parts.append("\t")
    return "".join(parts)


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    broken = f"{path.name}: tệp PDF bị hỏng hoặc không đọc được."
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFile(f"{path.name}: tệp PDF có đặt mật khẩu; hãy gỡ mật khẩu trước.")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise UnreadableFile(
                f"{path.name}: tệp PDF có {len(reader.pages)} trang, vượt giới hạn "
                f"{MAX_PDF_PAGES} trang của một văn bản được nạp."
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableFile:
        raise
    except Exception:
        # pypdf raises PdfReadError, but also KeyError, TypeError, ValueError, zlib and
        # struct errors, RecursionError… on a damaged file: each means the same to the user.
        raise UnreadableFile(broken) from None
    text = "\n".join(pages)
    if not text.strip():
        # a scan: no text layer, only pictures of the pages
        try:
            text = ocr_pdf(path, len(pages))
        except ScanError as exc:
            raise UnreadableFile(str(exc)) from None
    return text
