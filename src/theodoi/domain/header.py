"""A document's header read from its text, clean or OCR'd: type, number and symbol, issuer,
place and date, subject, signer, and the documents it cites.

Vietnamese administrative documents lay the header out the same way (Nghị định 30/2020/NĐ-CP):
issuing body top left, the national motto top right, "Số: 276/BC-UBND" under the issuer,
"Cát Hải, ngày 25 tháng 11 năm 2025" under the motto, then the type in capitals ("BÁO CÁO")
and the subject on the lines below it. OCR flattens the two columns into one line
("UY BAN NHAN DAN CONG HOA XA HOI CHU NGHIA VIET NAM"), so the motto is cut out by its keys.

OCR'd words get their diacritics back from a lexicon of correctly written text (unit names,
document subjects, task titles the system already holds): a word is replaced by the lexicon
word with the same OCR-tolerant key that fits its neighbours best (``Restorer``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable

from theodoi.domain.extraction import DocumentMeta
from theodoi.domain.ocr import tokens
from theodoi.domain.reading import any_of, fold_keep, normalize_lines
from theodoi.domain.references import (
    find_references,
    normalize_symbol,
)
from theodoi.domain.text import fold

# Words every administrative document uses, correctly written: the lexicon's base.
BASE_LEXICON = """
Ủy ban nhân dân Hội đồng nhân dân Đảng ủy Ban Thường vụ Ban Chấp hành Ban Chỉ đạo Văn phòng
đặc khu xã phường thị trấn tỉnh thành phố huyện quận thôn tổ dân phố Cát Hải Cát Bà Hải Phòng
Báo cáo Kế hoạch Quyết định Công văn Thông báo Tờ trình Nghị quyết Chương trình Hướng dẫn
Chỉ thị Kết luận Đề án Thông tư Nghị định kết quả thực hiện tình hình công tác triển khai
chuyển đổi số năm quý tháng trên địa bàn về việc của và các trong phát triển khoa học công nghệ
đổi mới sáng tạo chính quyền số kinh tế số xã hội số quốc gia đột phá Bộ Chính trị Chính phủ
nhiệm vụ giải pháp phương hướng trọng tâm tháng đầu cuối sơ kết tổng kết ứng dụng thông tin
cải cách hành chính thủ tục dịch vụ công trực tuyến Đề án 06 dữ liệu dân cư định danh điện tử
lãnh đạo chỉ đạo tổ chức Nghị quyết số hai cấp mô hình chính quyền địa phương cấp
Cộng hòa xã hội chủ nghĩa Việt Nam Độc lập Tự do Hạnh phúc
"""

_MOTTO = any_of(
    "cộng hòa xã hội chủ nghĩa việt nam",
    "độc lập tự do hạnh phúc",
    "độc lập - tự do - hạnh phúc",
)
_TYPE_LINES = {
    "BC": ("báo cáo",),
    "KH": ("kế hoạch",),
    "QĐ": ("quyết định",),
    "TB": ("thông báo",),
    "TTr": ("tờ trình",),
    "NQ": ("nghị quyết",),
    "CTr": ("chương trình",),
    "HD": ("hướng dẫn",),
    "CT": ("chỉ thị",),
    "KL": ("kết luận",),
    "ĐA": ("đề án",),
}
_TYPE_LINE_RE = {code: any_of(*words) for code, words in _TYPE_LINES.items()}
_SYMBOL_RE = re.compile(
    r"(?<![\w])S\S{0,2}\s*[:;.]?\s*(?P<number>\d{1,5})\s*(?:/(?P<year>\d{4}))?"
    # OCR noise between the number and its symbol: "209 ' /BC-UBND", "209, /BC", "209 -/BC"
    r"\s*(?:[',.·_‘’`\"\-:;]\s*){0,2}(?P<sep>[/-])\s*"
    r"(?P<rest>[A-ZĐPĐa-z][A-Za-zĐđ0-9&]*(?:\s?[-/]\s?[A-ZĐ][A-Za-zĐđ0-9&]*)*)"
)
_PLACE_DATE_RE = re.compile(
    r"(?P<place>[^\W\d][^,\n]{1,40}?)\s*,\s*ng\w{1,3}\s+(?P<d>\d{1,2})\s+th\w{1,4}\s+(?P<m>\d{1,2})"
    r"\s+n\w{1,3}\s+(?P<y>(?:19|20)\d{2})"
)
_LEAD_IN = any_of("thực hiện", "căn cứ", "kính gửi", "thi hành", "theo", "phần thứ")
_HEADING = re.compile(r"^\s*(?:[IVX]+|[A-Z]|\d+)[.)]\s")
_SIGN_OFF = any_of("TM.", "KT.", "chủ tịch", "phó chủ tịch", "nơi nhận", "TL.", "Q.")


class Restorer:
    """Puts diacritics back on OCR'd words using a lexicon of correctly written text."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.unigrams: Counter[str] = Counter()
        self.bigrams: Counter[tuple[str, str]] = Counter()
        self.by_key: dict[str, Counter[str]] = {}
        self.capitalised: Counter[str] = Counter()
        for text in [BASE_LEXICON, *texts]:
            previous = None
            for t in tokens(text or ""):
                if t.kind != "word":
                    previous = None
                    continue
                word = t.text.lower()
                self.unigrams[word] += 1
                if t.text[:1].isupper() and not t.text.isupper():
                    self.capitalised[word] += 1
                self.by_key.setdefault(t.key, Counter())[word] += 1
                if previous:
                    self.bigrams[(previous, word)] += 1
                previous = word

    def restore(self, text: str, *, names: bool = False) -> str:
        """``text`` with diacritics put back; ``names``: every word is part of a name."""
        toks = tokens(_ocr_symbols(text))
        text = _ocr_symbols(text)
        options = [
            self._candidates(t.text, t.key, name=names or _in_name(toks, i))
            if t.kind == "word" and not _in_symbol(toks, i)
            else []
            for i, t in enumerate(toks)
        ]
        out = []
        last = 0
        previous = None
        for i, t in enumerate(toks):
            out.append(text[last : t.start])
            last = t.end
            if not options[i]:
                out.append(t.text)
                previous = None
                continue
            following = options[i + 1] if i + 1 < len(options) else []
            choice = max(options[i], key=lambda w: self._score(t.text, w, previous, following))
            previous = choice
            out.append(_case_like(t.text, choice))
        out.append(text[last:])
        return "".join(out)

    def _candidates(self, raw: str, key: str, *, name: bool = False) -> list[str]:
        found = set(self.by_key.get(key, ()))
        folded = _ocr_fold(raw)
        if name:
            # Inside a name: only names the lexicon writes with a capital, and a well-formed
            # word only gets its marks back ("Lang" stays, it does not become "Lượng").
            found = {w for w in found if self.capitalised.get(w, 0) * 5 >= self.unigrams[w] * 4}
            if _SYLLABLE.fullmatch(folded):
                found = {w for w in found if fold(w) == folded}
        if key.endswith("z") and folded[-1:] in "aeiouy":
            # OCR added a vowel after a final consonant ("thuce" for "thực").
            for final in ("c", "t", "n", "m", "p", "ng", "nh", "ch"):
                found |= {w for w in self.by_key.get(key + final, ()) if folded.startswith(fold(w))}
        if not found:
            return []
        if key == folded and not any(fold(w) == folded for w in found):
            return []  # an acronym or a name the lexicon does not know
        return sorted(found)

    def _score(
        self, raw: str, word: str, previous: str | None, following: list[str]
    ) -> tuple[int, int, int, int]:
        return (
            int(fold(word) == _ocr_fold(raw)),
            (self.bigrams.get((previous, word), 0) if previous else 0)
            + max((self.bigrams.get((word, nxt), 0) for nxt in following), default=0),
            int(word == raw.lower()),
            self.unigrams[word],
        )


# Vowel nuclei of Vietnamese syllables, diacritics removed.
_NUCLEI = (
    "oai|oay|oeo|uay|uoi|uou|uya|uye|uyu|yeu|ieu|"
    "ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy|ye|a|e|i|o|u|y"
)
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    rf"(?:{_NUCLEI})(?:ng|nh|ch|[cmnpt])?"
)


def _ocr_fold(word: str) -> str:
    """``fold`` with OCR's "P" for "Đ" at the start of a word undone."""
    folded = fold(word)
    return "d" + folded[1:] if folded.startswith("p") and not folded.startswith("ph") else folded


def _in_name(toks: list, i: int) -> bool:
    """A capitalised word that does not start a sentence: part of a name."""
    t = toks[i]
    if not t.text[:1].isupper() or (t.text.isupper() and len(t.text) > 1):
        return False
    before = [x for x in toks[:i] if x.kind != "punct" or x.text in ".:;"]
    return bool(before) and before[-1].text not in ".:;"


def _in_symbol(toks: list, i: int) -> bool:
    """Part of a document symbol ("KH/ĐU", "QĐ-UBND") or a Roman numeral: never restored."""
    t = toks[i]
    if re.fullmatch(r"[IVX]+", t.text):
        return True
    if not (t.text.isupper() and len(t.text) <= 6):
        return False
    before = toks[i - 1].text if i > 0 else ""
    after = toks[i + 1].text if i + 1 < len(toks) else ""
    return before in ("/", "-") or after in ("/", "-")


def _case_like(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _is_ocr(text: str) -> bool:
    """Whether the text has lost its diacritics: few accented letters among many words."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    accented = sum(1 for ch in letters if fold(ch) != ch.lower())
    return accented / len(letters) < 0.12


def read_header(text: str, *, lexicon: Iterable[str] = ()) -> DocumentMeta:
    """The header of ``text``; parts the text does not state are None."""
    text = normalize_lines(text)
    lines = text.split("\n")
    restorer = Restorer(lexicon)
    ocr = _is_ocr(text[:4000])

    def clean(s: str, *, names: bool = False) -> str:
        s = re.sub(r"\s+", " ", s).strip(" ,;:-")
        s = re.sub(r"(?<=\d)- (?=[A-ZĐ])", "-", s)  # "57-\nNQ/TW" wrapped at the hyphen
        return restorer.restore(s, names=names) if ocr else s

    head = [(n, line) for n, line in enumerate(lines[:40], start=1) if line.strip()]
    # Cut the motto out of the header lines (OCR runs it into the issuer's lines).
    stripped: list[tuple[int, str]] = []
    for n, line in head:
        keys_line = _cut_motto(line)
        stripped.append((n, keys_line))

    symbol = number = None
    doc_type = None
    symbol_line = None
    for n, line in stripped[:15]:
        m = _SYMBOL_RE.search(line)
        if m:
            year = f"/{m['year']}" if m["year"] else ""
            rest = re.sub(r"\s+", "", m["rest"])
            symbol = normalize_symbol(f"{m['number']}{year}{m['sep']}{rest}")
            number = m["number"]
            symbol_line = n
            first = re.split(r"[-/]", rest)[0].upper().replace("Đ", "D")
            doc_type = {
                "BC": "BC",
                "KH": "KH",
                "QD": "QĐ",
                "QP": "QĐ",
                "TB": "TB",
                "TTR": "TTr",
                "NQ": "NQ",
                "CTR": "CTr",
                "HD": "HD",
                "CT": "CT",
                "KL": "KL",
            }.get(first)
            break

    place = issued_on = None
    joined = " ".join(line for _, line in stripped[:15])
    # PDF text may wrap "năm\n2026": read the date from the joined header when no line has it.
    stripped_for_date = [*stripped[:15], (0, joined)]
    for n, line in stripped_for_date:
        m = _PLACE_DATE_RE.search(fold_keep(line))
        if m:
            try:
                issued_on = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                issued_on = None
            raw_place = line[m.start("place") : m.end("place")]
            if symbol and symbol_line == n:
                sm = _SYMBOL_RE.search(line)
                if sm and sm.end() < m.end("place"):
                    raw_place = line[max(sm.end(), m.start("place")) : m.end("place")]
            place = clean(raw_place, names=True)
            break

    # The issuer: capitalised lines above the symbol (or above the type line), motto removed.
    type_index = None
    for index, (_n, line) in enumerate(stripped[:25]):
        folded_keys = " ".join(t.key for t in tokens(line) if t.kind == "word")
        for code, pattern in _TYPE_LINE_RE.items():
            m = pattern.search(folded_keys)
            if m and m.start() == 0 and len(line.split()) <= 4 and _mostly_upper(line):
                type_index = index
                doc_type = doc_type or code
                break
        if type_index is not None:
            break
    issuer_lines = []
    limit = symbol_line or (stripped[type_index][0] if type_index is not None else 0)
    for n, line in stripped:
        if n >= limit:
            break
        piece = _SYMBOL_RE.sub("", line).strip(" -_*")
        piece = _PLACE_DATE_RE.sub("", piece).strip()
        if piece and _mostly_upper(piece):
            issuer_lines.append(piece)
    issuer = _clean_issuer(" ".join(issuer_lines), clean) if issuer_lines else None
    if issuer is None:
        issuer = _issuer_from_signature(text, restorer)
    if issuer:
        issuer = _name_case(issuer[:1].upper() + issuer[1:].lower(), restorer)

    # The subject: the lines after the type line up to a lead-in, a heading or a blank gap.
    subject = None
    if type_index is not None:
        parts = []
        last_n = stripped[type_index][0]
        for n, line in stripped[type_index + 1 : type_index + 6]:
            keys_line = " ".join(t.key for t in tokens(line))
            if _HEADING.match(line) or (_LEAD_IN.match(keys_line) and parts):
                break
            if n - last_n > 3 or re.search(r":\s*\d", line) or line.lstrip()[:1] in "-+*":
                break  # a body line ("Số hồ sơ tiếp nhận: 4.825 hồ sơ"), not the subject
            parts.append(line.strip())
            last_n = n
            if line.rstrip().endswith("."):
                break
        subject = clean(" ".join(parts)) if parts else None
    elif head:
        # No header survived (a scanned plan missing its first page): the opening paragraph
        # ("Thực hiện Kế hoạch hành động số 09-KH/ĐU …") stands for the subject.
        parts = []
        for line in lines:
            if not line.strip():
                if parts:
                    break
                continue
            parts.append(line.strip())
        subject = clean(" ".join(parts))[:400] if parts else None
        if doc_type is None:
            opening = fold(" ".join(lines[:60]))
            if re.search(r"xay dung k\S{0,2} hoach|ban hanh k\S{0,2} hoach", opening):
                doc_type = "KH"
    if subject:
        subject = subject[:1].upper() + subject[1:]

    return DocumentMeta(
        doc_type=doc_type,
        symbol=symbol,
        number=number,
        issuer=issuer,
        place=place,
        issued_on=issued_on,
        subject=subject,
        signer=_signer(lines),
        references=cited_documents(text),
    )


def _cut_motto(line: str) -> str:
    toks = tokens(line)
    keys = " ".join(t.key for t in toks)
    m = _MOTTO.search(keys)
    if not m:
        return line
    # Map key offsets back to tokens.
    offset = 0
    first = last = None
    for i, t in enumerate(toks):
        if offset >= m.start() and first is None:
            first = i
        if offset + len(t.key) <= m.end():
            last = i
        offset += len(t.key) + 1
    if first is None or last is None:
        return line
    return (line[: toks[first].start] + line[toks[last].end :]).strip()


def _mostly_upper(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) / len(letters) > 0.6


def _proper_names(text: str, restorer: Restorer) -> str:
    """Capitalise the words the lexicon always writes with a capital (place names, "Đảng")."""
    out = []
    for i, word in enumerate(text.split(" ")):
        lower = word.lower()
        total = restorer.unigrams.get(lower, 0)
        if i > 0 and total and restorer.capitalised.get(lower, 0) / total >= 0.8:
            word = word[:1].upper() + word[1:]
        out.append(word)
    return " ".join(out)


_UNIT_KINDS = re.compile(
    r"\b(?:xã|phường|thị trấn|đặc khu|huyện|quận|thị xã|tỉnh|thành phố)\s+", re.IGNORECASE
)


def _clean_issuer(issuer: str, clean) -> str:
    """The body's words restored as words, the unit's name after its kind as a name."""
    kinds = list(
        re.finditer(
            r"\b(?:xa|phuong|thi tran|dac khu|huyen|quan|thi xa|tinh|thanh pho)\b",
            fold_keep(issuer).lower(),
        )
    )
    if not kinds:
        return clean(issuer)
    cut = kinds[-1].end()
    return f"{clean(issuer[:cut])} {clean(issuer[cut:], names=True)}"


def _name_case(issuer: str, restorer: Restorer) -> str:
    """ "Ủy ban nhân dân xã an bình" → "Ủy ban nhân dân xã An Bình": the words after the
    last unit kind are the unit's name."""
    issuer = _proper_names(issuer, restorer)
    kinds = list(_UNIT_KINDS.finditer(issuer))
    if not kinds:
        return issuer
    cut = kinds[-1].end()
    name = " ".join(w[:1].upper() + w[1:] for w in issuer[cut:].split())
    return issuer[:cut] + name


def _issuer_from_signature(text: str, restorer: Restorer) -> str | None:
    """No header: "TM. ỦY BAN NHÂN DÂN" under the text names the body; the unit it belongs to
    is the one the text most often writes after that body ("Ủy ban nhân dân đặc khu Cát Hải")."""
    m = re.search(r"^\s*TM\.?\s+(.+)$", text, re.MULTILINE)
    if not m:
        return None
    body = m.group(1).strip()
    pattern = re.compile(
        "(?i:" + re.escape(body) + r")\s+((?i:xã|phường|thị trấn|đặc khu|huyện|tỉnh|thành phố)"
        r"(?:\s+[A-ZĐ][a-zà-ỹđ]*){1,3})",
    )
    places = Counter(p.group(1) for p in pattern.finditer(text))
    if not places:
        return body
    return f"{body} {places.most_common(1)[0][0]}"


def _signer(lines: list[str]) -> str | None:
    """The name under the signature block: the last short line of capitalised words after
    "TM."/"KT."/"CHỦ TỊCH" near the end."""
    tail = [line.strip() for line in lines[-40:] if line.strip()]
    seen_block = False
    name = None
    for line in tail:
        keys_line = " ".join(t.key for t in tokens(line))
        if _SIGN_OFF.search(keys_line):
            seen_block = True
            continue
        words = line.split()
        if (
            seen_block
            and 2 <= len(words) <= 5
            and all(w[:1].isupper() and w[1:].islower() for w in words if w.isalpha())
            and all(w.isalpha() for w in words)
        ):
            name = line
    return name


def cited_documents(text: str) -> list[dict]:
    """Every document the text cites, once per symbol, with type, date and first line."""
    seen: dict[str, dict] = {}
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    import bisect

    for ref in find_references(_ocr_symbols(text)):
        if ref.symbol in seen:
            if seen[ref.symbol]["issued_on"] is None and ref.issued_on:
                seen[ref.symbol]["issued_on"] = ref.issued_on.isoformat()
            continue
        seen[ref.symbol] = {
            "symbol": ref.symbol,
            "doc_type": ref.doc_type,
            "issued_on": ref.issued_on.isoformat() if ref.issued_on else None,
            "line": bisect.bisect_right(line_starts, ref.start),
        }
    return list(seen.values())


# OCR reads "Đ" inside symbols as P, b or D: "09-KH/PU", "749/Qb-TTg", "942/QP-TTg".
_SYMBOL_FIXES = [
    (re.compile(r"(?<=[/-])(?:DP|P|B|D)U\b"), "ĐU"),
    (re.compile(r"(?<=[/-])Q[PbD]\b"), "QĐ"),
    (re.compile(r"(?<=[/-])Q[PbD](?=[-/])"), "QĐ"),
    (re.compile(r"(?<=[/-])BC[PD]\b"), "BCĐ"),
    (re.compile(r"(?<=[/-])Qb\s?-"), "QĐ-"),
    (re.compile(r"(?<=[/-])QP(?=UBND)"), "QĐ-"),
]


def _ocr_symbols(text: str) -> str:
    for pattern, repl in _SYMBOL_FIXES:
        text = pattern.sub(repl, text)
    text = re.sub(r"(?<=\d)\s+(?=/[A-ZĐ])", "", text)  # "276 /BC-UBND"
    text = re.sub(r"(?<=\d/)\s*([A-ZĐ]{1,4})\s*-\s*(?=[A-ZĐ])", r"\1-", text)  # "505/Qb- TTg"
    return text
