"""Parsing references to documents out of Vietnamese text.

"Kế hoạch số 96/KH-UBND ngày 22/10/2025", "Kế hoạch hành động số 09-KH/ĐU, ngày
03/10/2025", "Nghị quyết 57-NQ/TW", "Thông tư số 02/2025/TT-BGDĐT ngày 24/01/2025".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from theodoi.domain.text import fold

# Type words as they precede a number, folded, longest first; the value is the type code.
TYPE_WORDS: list[tuple[str, str]] = [
    ("ke hoach hanh dong", "KH"),
    ("chuong trinh hanh dong", "CTr"),
    ("nghi quyet", "NQ"),
    ("ke hoach", "KH"),
    ("chuong trinh", "CTr"),
    ("quyet dinh", "QĐ"),
    ("cong van", "CV"),
    ("thong bao ket luan", "TB"),
    ("thong bao", "TB"),
    ("bao cao", "BC"),
    ("huong dan", "HD"),
    ("chi thi", "CT"),
    ("thong tu", "TT"),
    ("nghi dinh", "NĐ"),
    ("ket luan", "KL"),
    ("de an", "ĐA"),
    ("luat", "L"),
]

# Type codes as they appear inside a symbol ("96/KH-UBND", "09-KH/ĐU").
SYMBOL_TYPES = {
    "NQ": "NQ",
    "KH": "KH",
    "CTR": "CTr",
    "QĐ": "QĐ",
    "QD": "QĐ",
    "CV": "CV",
    "TB": "TB",
    "BC": "BC",
    "HD": "HD",
    "CT": "CT",
    "TT": "TT",
    "NĐ": "NĐ",
    "ND": "NĐ",
    "KL": "KL",
    "ĐA": "ĐA",
    "TTR": "TTr",
}

_SEG = r"[A-ZĐ][A-ZĐa-z0-9&]*"
SYMBOL_RE = re.compile(
    rf"(?<![\w/])(?P<number>\d{{1,5}})(?:/(?P<year>\d{{4}}))?"
    rf"(?P<sep>[/-])\s?(?P<rest>{_SEG}(?:\s?[-/]\s?{_SEG})+)"
)
DATE_AFTER_RE = re.compile(
    r"^[,\s]*(?:ngày|ngay)\s+(\d{1,2})\s*(?:/|\s+tháng\s+|\s+thang\s+)\s*(\d{1,2})"
    r"\s*(?:/|\s+năm\s+|\s+nam\s+)\s*(\d{4})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DocumentReference:
    symbol: str
    number: str
    doc_type: str | None
    issued_on: dt.date | None
    start: int  # offset of the match in the text
    end: int


def normalize_symbol(symbol: str) -> str:
    """Canonical symbol: no inner spaces, "Đ" restored in common OCR'd type codes."""
    s = re.sub(r"\s+", "", symbol)
    s = re.sub(r"(?<=[/-])QD(?=[-/]|$)", "QĐ", s)
    s = re.sub(r"(?<=[/-])DU$", "ĐU", s)
    s = re.sub(r"(?<=[/-])BCD$", "BCĐ", s)
    return s


def symbol_key(symbol: str) -> str:
    """The key two writings of one symbol share, however OCR read its "Đ": "09-KH/ĐU",
    "09-KH/PU", "09-kh/du" and "09-KH/BU" all give "09-kh/du". The number keeps two
    documents apart; the letters only need to survive a scanner."""
    return re.sub(r"[pbđ]", "d", fold(re.sub(r"\s+", "", symbol)))


def _type_from_symbol(number_sep: str, rest: str) -> str | None:
    parts = re.split(r"[-/]", rest)
    # "96/KH-UBND": the type is the first part; "09-KH/ĐU": also the first part after "-".
    first = parts[0].upper() if parts else ""
    return SYMBOL_TYPES.get(first)


def _type_before(text: str, start: int) -> str | None:
    window = fold(text[max(0, start - 40) : start])
    window = re.sub(r"\s*(so|số)\s*$", "", window).rstrip(" :")
    for words, code in TYPE_WORDS:
        if window.endswith(words):
            return code
    return None


def find_references(text: str) -> list[DocumentReference]:
    """Every document symbol in ``text`` with its type and date where the text gives them."""
    found: list[DocumentReference] = []
    for m in SYMBOL_RE.finditer(text):
        rest = m["rest"]
        if not re.search(r"[A-ZĐ]{2,}", rest):
            continue
        year = f"/{m['year']}" if m["year"] else ""
        symbol = normalize_symbol(f"{m['number']}{year}{m['sep']}{rest}")
        doc_type = _type_from_symbol(m["sep"], rest) or _type_before(text, m.start())
        issued_on = None
        after = DATE_AFTER_RE.match(text[m.end() : m.end() + 40])
        if after:
            try:
                issued_on = dt.date(int(after[3]), int(after[2]), int(after[1]))
            except ValueError:
                issued_on = None
        found.append(
            DocumentReference(symbol, m["number"], doc_type, issued_on, m.start(), m.end())
        )
    return found


def parse_reference(text: str) -> DocumentReference:
    """The single reference in ``text``; ValueError in Vietnamese when there is none."""
    refs = find_references(text)
    if not refs:
        raise ValueError(f"Không tìm thấy số, ký hiệu văn bản trong “{text}”.")
    return refs[0]


def document_key(
    symbol: str | None, issued_on: dt.date | None, seed: str | None = None, description: str = ""
) -> str:
    """The natural key of a document: symbol and date, the seed name, or for a document
    without a number its type, issuer and subject folded."""
    if symbol:
        return f"{symbol}@{issued_on.isoformat()}" if issued_on else symbol
    if seed:
        return f"seed:{seed}"
    if description.strip(": "):
        return "nosymbol:" + fold(description)[:110]
    raise ValueError("Văn bản không có số, ký hiệu phải có loại, cơ quan ban hành hoặc trích yếu.")
