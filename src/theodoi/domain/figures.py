"""Reading the figures a report states, clean or OCR'd.

Every number in the text is a candidate. A figure is kept only when the words around it say
what it counts: the *family* (dossiers, procedures, certificates, tasks …) from the unit after
the number or the clause it sits in (or the item that introduced that clause), and the
*qualifier* (received, online, completed …) from the words between the previous number and
this one — the label a report writes before a figure ("Số hồ sơ đã giải quyết: 4.998") — or
the verb it follows ("đã hoàn thành 29 nhiệm vụ"). A number with no family or no qualifier is
left out: a missed figure costs a reviewer a minute, a wrong one costs trust.

All matching is on OCR-tolerant keys (``domain/ocr.py``), so the phrases below are written in
plain Vietnamese and also find "ho so truc tuyén" or "Chtng thu s".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from theodoi.domain.extraction import ExtractedFigure
from theodoi.domain.ocr import parse_number, text_keys
from theodoi.domain.reading import Clause, Reading, any_of, fold_keep
from theodoi.domain.text import fold

# ---------------------------------------------------------------------------- the catalogue
CATALOGUE: dict[str, str] = {
    "procedures.total": "thủ tục",
    "procedures.full_online": "thủ tục",
    "procedures.partial_online": "thủ tục",
    "procedures.direct": "thủ tục",
    "executed.full_online": "thủ tục",
    "executed.partial_online": "thủ tục",
    "executed.direct": "thủ tục",
    "executed.full_online_rate": "%",
    "executed.partial_online_rate": "%",
    "executed.direct_rate": "%",
    "dossiers.received": "hồ sơ",
    "dossiers.online": "hồ sơ",
    "dossiers.direct": "hồ sơ",
    "dossiers.resolved": "hồ sơ",
    "dossiers.resolved_on_time": "hồ sơ",
    "dossiers.withdrawn": "hồ sơ",
    "dossiers.in_progress": "hồ sơ",
    "dossiers.overdue": "hồ sơ",
    "dossiers.online_rate": "%",
    "vneid.level2.collected": "hồ sơ",
    "vneid.level2.activated": "tài khoản",
    "vneid.level2.base": "người",
    "vneid.orgs.registered": "tổ chức",
    "vneid.orgs.total": "tổ chức",
    "vneid.orgs.registered_rate": "%",
    "vneid.residents_rate": "%",
    "certificates.changed.individuals": "chứng thư",
    "certificates.changed.orgs": "chứng thư",
    "certificates.new.individuals": "chứng thư",
    "certificates.new.orgs": "chứng thư",
    "certificates.revoked.individuals": "chứng thư",
    "certificates.revoked.orgs": "chứng thư",
    "digital_certificates.in_use": "chứng thư",
    "tasks.assigned": "nhiệm vụ",
    "tasks.completed": "nhiệm vụ",
    "tasks.completed_on_time": "nhiệm vụ",
    "tasks.late": "nhiệm vụ",
    "tasks.in_progress": "nhiệm vụ",
    "tasks.overdue": "nhiệm vụ",
    "tasks.not_started": "nhiệm vụ",
    "tasks.completed_rate": "%",
    "tasks.in_progress_rate": "%",
    "indicators.assigned": "chỉ tiêu",
    "indicators.completed": "chỉ tiêu",
    "community_tech_team.members": "người",
    "community_tech_team.count": "tổ",
    "community_tech_team.members_trained": "người",
    "training.officials": "người",
    "budget.proposed_million_vnd": "triệu đồng",
    "budget.allocated_vnd": "đồng",
    "service_index.transparency": "điểm",
    "service_index.progress": "điểm",
    "service_index.online_service": "điểm",
    "service_index.online_payment": "điểm",
    "service_index.satisfaction": "điểm",
    "service_index.digitization": "điểm",
    "admin_reform.rank": "hạng",
}


# Figures that count what exists at a moment (procedures in force, teams, certificates in
# use), not what happened during a period: the report's period does not apply to them unless
# their own sentence gives one.
STOCKS = (
    "procedures.",
    "community_tech_team.count",
    "community_tech_team.members",
    "digital_certificates.",
    "vneid.orgs.",
    "vneid.level2.base",
)


# How the scopes the reader gives are named to a person.
SCOPE_LABELS = {
    "city": "Hệ thống giải quyết TTHC của tỉnh, thành phố",
    "ministries": "Hệ thống của các Bộ, ngành",
    "agencies": "Cơ quan, đơn vị",
    "enterprises_cooperatives": "Doanh nghiệp, hợp tác xã",
}


# ---------------------------------------------------------------------------- words
def P(*phrases: str) -> re.Pattern[str]:
    """Phrases over keys; a phrase of several words tolerates lost final consonants
    ("thue hien" for "thực hiện"), a single word does not (too many short words share it)."""
    multi = [p for p in phrases if len(p.split()) > 1]
    single = [p for p in phrases if len(p.split()) <= 1]
    parts = []
    if multi:
        parts.append(any_of(*multi, loose=True).pattern)
    if single:
        parts.append(any_of(*single).pattern)
    return re.compile("|".join(f"(?:{p})" for p in parts))


U_DOSSIER = P("hồ sơ", "bộ hồ sơ", "hồ sơ TTHC")
U_PROCEDURE = P("thủ tục", "TTHC", "dịch vụ công", "DVC")
U_TASK = P("nhiệm vụ")
U_INDICATOR = P("chỉ tiêu")
U_INDIVIDUAL = P("cá nhân")
U_ORG = any_of("tổ chức", "cơ quan", "đơn vị", loose=True)
U_MEMBER = P("thành viên")
U_TEAM = P("tổ", "tổ công nghệ số", "tổ CNSCĐ")
U_POINTS = P("điểm")
U_ACCOUNT = P("tài khoản")
U_PERSON = P("cán bộ", "công chức", "lượt", "học viên", "người", "đại biểu", "viên chức")

F_DOSSIER = P("hồ sơ")
F_PROCEDURE = P("thủ tục hành chính", "TTHC", "thủ tục")
F_EXECUTED = P(
    "đã thực hiện",
    "đã phát sinh",
    "phát sinh hồ sơ",
    "có phát sinh",
    "thực hiện theo hình thức",
    "tỷ lệ thực hiện",
)
F_CERT = P("chứng thư số", "chứng thư", "chữ ký số", "chứng thư chữ ký số")
F_VNEID = P("định danh", "VNeID", "định danh điện tử", "mức 2", "mức độ 2")
F_TASK = P("nhiệm vụ")
F_CTT = P(
    "tổ công nghệ số",
    "công nghệ số cộng đồng",
    "CNSCĐ",
    "tổ CNS",
    "thành viên của tổ",
    "thành viên tổ",
    "tổ CNSCP",
    "tổ CNSCD",
    "tổ CNSCB",
)
F_TRAINING = P("tập huấn", "bồi dưỡng", "đào tạo")
F_BUDGET = P("kinh phí", "ngân sách", "nguồn lực tài chính", "nguồn vốn")
F_INDEX = P("bộ chỉ số", "chỉ số", "766")
F_RANK = P("cải cách hành chính", "CCHC", "PAR INDEX", "chỉ số cải cách")

Q_RATE = P("tỷ lệ", "chiếm", "đạt tỷ lệ", "tỉ lệ", "đạt")
# Procedures and executed procedures by mode.
Q_FULL = P("toàn trình")
Q_PARTIAL = P("một phần")
Q_DIRECT = P("trực tiếp")
Q_TOTAL_PROC = P("thuộc thẩm quyền", "tổng số", "số lượng", "tổng")
# Dossiers.
Q_RECEIVED = P("tiếp nhận", "tổng số hồ sơ", "tổng hồ sơ", "nhận")
Q_ONLINE = P("trực tuyến", "qua mạng", "dịch vụ công trực tuyến")
Q_DIRECT_D = P("trực tiếp", "bưu chính", "qua bưu điện")
Q_RESOLVED = P("đã giải quyết", "giải quyết xong", "đã trả kết quả", "đã xử lý", "hoàn thành")
Q_ON_TIME = P("đúng hạn", "trước hạn", "trước và đúng hạn", "đúng và trước hạn")
Q_WITHDRAWN = P("rút", "từ chối", "trả lại", "không đủ điều kiện")
Q_IN_PROGRESS = P("đang giải quyết", "đang xử lý", "chưa đến hạn", "trong hạn", "trong thời hạn")
Q_OVERDUE = P("quá hạn", "trễ hạn", "chậm trả", "chậm so với")
# Certificates.
Q_CHANGED = P("thay đổi thông tin", "thay đổi", "điều chỉnh thông tin", "gia hạn")
Q_NEW = P("cấp mới", "cấp")
Q_REVOKED = P("thu hồi")
Q_IN_USE = P("đang sử dụng", "đang hoạt động", "còn hiệu lực")
# VNeID.
Q_COLLECTED = P("thu nhận", "tiếp nhận hồ sơ", "thu thập")
Q_ACTIVATED = P("kích hoạt", "đã kích hoạt")
Q_BASE = P("tổng số", "trên tổng số", "đủ điều kiện", "thuộc diện", "trong độ tuổi")
Q_REGISTERED = P("đăng ký", "cài đặt", "đã đăng ký")
Q_RESIDENTS = P("người dân", "công dân", "dân số")
# Tasks and indicators.
Q_ASSIGNED = P(
    "được giao", "giao", "tổng số", "tổng cộng", "gồm", "có tổng", "đề ra", "đặt ra", "theo dõi"
)
Q_COMPLETED = P("hoàn thành", "đã hoàn thành", "đã thực hiện xong", "đạt")
Q_LATE = P("quá hạn", "trễ hạn", "chậm", "không đúng hạn")
Q_ONGOING = P("đang thực hiện", "đang triển khai", "đang tiếp tục", "đang làm", "chưa đến hạn")
Q_NOT_STARTED = P("chưa triển khai", "chưa thực hiện", "chưa bắt đầu")
Q_NOT_DONE = P("chưa hoàn thành")
# Community technology teams, training.
Q_TRAINED = P("được tập huấn", "tập huấn", "được bồi dưỡng", "bồi dưỡng", "được tập")
# Budget.
Q_PROPOSED = P("đề xuất", "đề nghị", "dự kiến")
Q_ALLOCATED = P("bố trí", "cấp", "phân bổ", "giao", "được cấp", "đầu tư")
# Service index (Bộ chỉ số 766).
Q_TRANSPARENCY = P("công khai", "minh bạch")
Q_PROGRESS = P("tiến độ")
Q_ONLINE_SERVICE = P("dịch vụ công trực tuyến", "cung cấp dịch vụ trực tuyến")
Q_PAYMENT = P("thanh toán trực tuyến", "thanh toán")
Q_SATISFACTION = P("hài lòng")
Q_DIGITIZATION = P("số hóa")
Q_RANK = P("xếp hạng", "xếp thứ", "đứng thứ", "hạng")

# Words that make a number something else: document numbers, years, decree names.
# Headings of sections about what is still to do: their numbers are plans, not results.
_FUTURE = P(
    "phương hướng",
    "nhiệm vụ trọng tâm",
    "nhiệm vụ quý",
    "nhiệm vụ năm",
    "nhiệm vụ thời gian tới",
    "nhiệm vụ, giải pháp",
    "kế hoạch năm",
    "thời gian tới",
)
_TARGET = P("phấn đấu", "mục tiêu", "đạt trên", "đạt ít nhất", "tối thiểu")
_LEVEL_WORDS = {"muc", "level"}
_TAIL_STOPS = {",", ";", "(", ")", ".", ":", "|", "/"}
# "tăng 120", "giảm 3", "nhiều hơn 5": a change, not the figure
_CHANGE_BEFORE = re.compile(
    r"(?:^| )(?:tang|giam|tang them|giam di|nhieu hon|it hon|cao hon|thap hon)$"
)
_NOT_DOSSIER_COUNT = P("thanh toán", "số hóa hồ sơ", "số hóa kết quả", "liên thông", "ký số")
_DOC_WORDS = P(
    "nghị định",
    "nghị quyết",
    "quyết định",
    "kế hoạch",
    "công văn",
    "thông báo",
    "thông tư",
    "chỉ thị",
    "kết luận",
    "báo cáo",
    "đề án",
    "mô hình",
    "hướng dẫn",
    "chương trình",
    "tờ trình",
    "luật",
)
# Units after a number that make it a date, a duration, a rating or a size, compared folded.
_NOT_COUNT_AFTER = {
    "nam",
    "nim",
    "thang",
    "ngay",
    "gio",
    "tuan",
    "sao",
    "km",
    "ha",
    "m",
    "km2",
    "m2",
}
_MONEY = re.compile(
    r"^\s?(?:(?P<dong>d|dong|vnd)(?![a-z])|(?P<scale>trieu|ty)\s+(?:dong|d)(?![a-z]))"
)


@dataclass
class Candidate:
    index: int  # token index of the number
    value: Decimal
    raw: str
    unit_keys: str  # keys of the words right after the number
    label_keys: str  # keys between the previous number (or clause start) and this one
    percent: bool
    ratio_total: Decimal | None  # "316/316": the second number
    tail: str = ""  # keys after the number up to the next punctuation: "hồ sơ nộp trực tuyến"


def _search(pattern: re.Pattern[str], keys: str) -> re.Match[str] | None:
    return pattern.search(keys)


def _last(pattern: re.Pattern[str], keys: str) -> tuple[int, int]:
    """Where the last match of ``pattern`` in ``keys`` ends, and its length (a longer phrase
    ending at the same place wins: "chưa hoàn thành" over "hoàn thành"); (-1, 0) for none."""
    best = (-1, 0)
    for m in _overlapping(pattern, keys):
        best = max(best, (m.end(), m.end() - m.start()))
    return best


def _overlapping(pattern: re.Pattern[str], keys: str):
    at = 0
    while True:
        m = pattern.search(keys, at)
        if m is None:
            return
        yield m
        at = m.start() + 1


def _labelled(label: str) -> bool:
    """The label ends the way a figure is introduced: "…: 369", "… là 1.436"."""
    return bool(re.search(r"(?:^| )(?::|lz|gzm|cz)$", label.rstrip()))


def _starts(pattern: re.Pattern[str], keys: str) -> bool:
    m = pattern.search(keys)
    return m is not None and m.start() == 0


class FigureReader:
    """Reads the catalogue figures out of one document."""

    def __init__(self, reading: Reading) -> None:
        self.r = reading
        self._counts: set[int] = set()
        self._offsets: dict[int, int] = {}
        self._from_table: set[int] = set()  # figures a table row already scoped

    # ------------------------------------------------------------------ candidates
    def candidates(self) -> list[Candidate]:
        r = self.r
        found: list[Candidate] = []
        toks = r.tokens
        last_count: int | None = None  # the previous number that is a count, not a reference
        prev_tail = ""
        for i, t in enumerate(toks):
            if t.kind != "number" and not (t.kind == "word" and t.key == "khzng"):
                continue
            if t.kind == "word":
                # "Số hồ sơ quá hạn: Không." — "Không" after a colon states zero.
                if not (i > 0 and toks[i - 1].text == ":"):
                    continue
                nxt = toks[i + 1].text if i + 1 < len(toks) else "."
                if nxt not in (".", ";", ",", ")") and r.token_lines[i + 1] == r.token_lines[i]:
                    continue
                value = Decimal(0)
            else:
                value = parse_number(t.text)
                if value is None or self._is_reference(i):
                    continue
                if (
                    i >= 2
                    and toks[i - 1].text == "/"
                    and toks[i - 2].kind == "number"
                    and (toks[i - 2].end == toks[i - 1].start == t.start - 1)
                ):
                    continue  # the "y" of "x/y": read with x
            clause = r.clause_of[i]
            since = clause.start
            if last_count is not None and last_count >= clause.start:
                since = last_count + 1
            last_count = i
            label_keys = r.keys(since, i - 1)
            if since > clause.start and prev_tail and label_keys.startswith(prev_tail):
                # "1.702 hồ sơ nộp trực tuyến và 122 …": what follows the previous number
                # describes that number, not this one.
                label_keys = label_keys[len(prev_tail) :].strip()
            if " ; " in f" {label_keys} ":
                label_keys = label_keys[label_keys.rindex(";") + 1 :].strip()
            after = r.keys(i + 1, self._unit_end(i, clause))
            percent = after.startswith("%")
            ratio_total = None
            if (
                after.startswith("/")
                and i + 2 < len(toks)
                and toks[i + 2].kind == "number"
                and toks[i + 1].end == toks[i + 2].start
            ):
                ratio_total = parse_number(toks[i + 2].text)
                after = r.keys(i + 3, self._unit_end(i + 2, clause))
            tail = self._tail(i + 3 if ratio_total is not None else i + 1, clause)
            prev_tail = tail
            if self._is_comparison(i, tail):
                continue  # "tăng 120 hồ sơ so với quý II": a change, not the figure
            found.append(Candidate(i, value, t.text, after, label_keys, percent, ratio_total, tail))
        return found

    def _tail(self, start: int, clause: Clause) -> str:
        """Keys of the words after a number up to the next punctuation or number."""
        r = self.r
        keys = []
        for k in range(start, min(start + 12, clause.end)):
            tok = r.tokens[k]
            if tok.kind in ("number", "date") or tok.text in _TAIL_STOPS:
                break
            if r.token_lines[k] != r.token_lines[k - 1] and tok.text[:1].isupper():
                break  # a new line starting with a capital: a new row or sentence
            keys.append(tok.key)
        return " ".join(keys)

    def _is_comparison(self, i: int, tail: str) -> bool:
        before = " ".join(fold(t.text) for t in self.r.tokens[max(0, i - 2) : i])
        if _CHANGE_BEFORE.search(before):
            return True
        return bool(P("so với", "so cùng kỳ").search(tail))

    def _unit_end(self, i: int, clause: Clause) -> int:
        """Last token of the words after number ``i`` that may name its unit: up to three,
        not past a table cell or a new line that starts with a capital (a new row)."""
        r = self.r
        last = i
        for k in range(i + 1, min(i + 4, clause.end)):
            tok = r.tokens[k]
            if tok.text == "|":
                break
            if r.token_lines[k] != r.token_lines[k - 1] and tok.text[:1].isupper():
                break
            last = k
        return last

    def _is_reference(self, i: int) -> bool:
        """A document number, a year, a list number or a decree name, not a count."""
        toks, r = self.r.tokens, self.r
        t = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        prv = toks[i - 1] if i > 0 else None
        if nxt is not None and nxt.start == t.end and nxt.text in ("/", "-"):
            after = toks[i + 2] if i + 2 < len(toks) else None
            if after is not None and after.kind == "word" and after.text[:1].isupper():
                return True  # 96/KH-UBND, 57-NQ/TW
            if after is not None and after.kind == "number" and nxt.text == "-":
                return True  # 2021-2025
        if prv is not None and prv.start == t.start - 1 and prv.text in ("/", "-", ".", ":"):
            before = toks[i - 2] if i >= 2 else None
            if before is not None and before.kind == "number" and prv.text != "/":
                return True
        if re.fullmatch(r"(?:19|20)\d{2}", t.text):
            return True
        if prv is not None and (
            fold(prv.text) in _LEVEL_WORDS
            or (i >= 2 and fold(f"{toks[i - 2].text} {prv.text}") == "muc do")
        ):
            return True  # "mức 2", "mức độ 4": a level, not a count
        if (
            nxt is not None
            and nxt.text == "/"
            and i + 2 < len(toks)
            and re.fullmatch(r"(?:19|20)\d{2}", toks[i + 2].text)
        ):
            return True  # "8/2025", "quý II/2025": a month or a quarter
        if nxt is not None and nxt.kind == "word" and nxt.start == t.end:
            if fold(nxt.text) not in ("d", "dong", "vnd", "tr", "ty", "k"):
                return True  # "4U27", "3G": part of a code
        if r.is_line_start(i) and nxt is not None and nxt.text in ("|", ")", "."):
            return True  # table row or list number
        if r.is_line_start(i) and nxt is not None and nxt.kind == "word" and nxt.text[:1].isupper():
            # "2 X N …" OCR'd table row numbers before a label
            return self.r.clause_of[i].start == i
        # "Nghị định số 178", "Đề án 06", "Mô hình 22", "Kế hoạch số 52 ngày …"
        for width in (2, 3, 4):
            back = r.keys(max(i - width, 0), i - 1)
            m = _DOC_WORDS.search(back)
            if m and re.fullmatch(r" ?(?:sz)?", back[m.end() :]):
                return True
        if nxt is not None and nxt.kind == "word" and fold(nxt.text) in _NOT_COUNT_AFTER:
            return True
        if any(start <= t.start < end for start, end in r.period_spans):
            return True
        return False

    # ------------------------------------------------------------------ context
    def context(self, clause: Clause, i: int) -> str:
        """Keys of the clause up to token ``i`` with its parent's lead: where a figure's
        family is stated."""
        own = self.r.keys(clause.start, i)
        lead = ""
        parent = clause.parent
        if parent is not None:
            lead = self.r.keys(parent.start, min(parent.end - 1, parent.start + 60))
        return f"{lead} | {own}"

    # ------------------------------------------------------------------ reading
    def figures(self) -> list[ExtractedFigure]:
        figures: list[ExtractedFigure] = []
        previous: dict[int, tuple[str, str | None]] = {}  # clause id → (element, qualifier)
        candidates = self.candidates()
        self._counts = {c.index for c in candidates}
        by_index = {c.index: c for c in candidates}
        tables = TableReader(self.r)
        for index, element, value, unit, scope in tables.figures():
            c = by_index.get(index)
            if c is not None and not self._in_future_section(index):
                figure = self._figure(c, self.r.clause_of[index], element, value, unit)
                figures.append(ExtractedFigure(**{**figure.__dict__, "scope": scope}))
                self._offsets[id(figures[-1])] = self.r.tokens[index].start
                self._from_table.add(id(figures[-1]))
        for c in candidates:
            if c.index in tables.consumed:
                continue
            clause = self.r.clause_of[c.index]
            found = self.classify(c, clause, previous.get(id(clause)))
            for element, value, unit in found:
                previous[id(clause)] = (element, None)
                figures.append(self._figure(c, clause, element, value, unit))
        return _dedupe(self._scoped(figures))

    def classify(
        self, c: Candidate, clause: Clause, previous: tuple[str, str | None] | None
    ) -> list[tuple[str, Decimal, str]]:
        label, unit = c.label_keys, c.unit_keys
        context = self.context(clause, c.index)
        future = self._in_future_section(c.index)
        found = self._classify(c, clause, previous, label, unit, context)
        if future:
            return [f for f in found if f[0] == "budget.proposed_million_vnd"]
        if c.percent and _search(_TARGET, label):
            return []
        return found

    def _recent(self, pattern: re.Pattern[str], c: Candidate, lines: int = 12) -> bool:
        """Whether ``pattern`` occurs in the few lines before the figure (a table's title)."""
        line = self.r.token_lines[c.index]
        text = "\n".join(self.r.line_text(n) for n in range(max(1, line - lines), line + 1))
        return bool(pattern.search(text_keys(text)))

    def _in_future_section(self, i: int) -> bool:
        heading = None
        for clause in self.r.clauses:
            if clause.start > i:
                break
            if clause.level == 0 and self._is_top_heading(clause):
                heading = clause
        if heading is None:
            return False
        line = self.r.token_lines[heading.start]
        return bool(_FUTURE.search(text_keys(self.r.line_text(line))))

    def _is_top_heading(self, clause: Clause) -> bool:
        line = self.r.line_text(self.r.token_lines[clause.start]).lstrip()
        return bool(re.match(r"(?:[IVX]+|[A-Z])[.)]\s", line))

    def _classify(self, c, clause, previous, label, unit, context):
        ahead = self.r.keys(c.index + 1, min(c.index + 12, clause.end - 1))
        prev_element = previous[0] if previous else None

        # --- certificates: "cấp mới 25 cá nhân, 05 tổ chức"
        if _search(Q_IN_USE, label) and _search(F_CERT, ahead[:40]):
            return [("digital_certificates.in_use", c.value, "chứng thư")]
        if _search(F_CERT, context + " " + ahead[:30]) or (prev_element or "").startswith(
            "certificates"
        ):
            holder = unit
            cert = F_CERT.match(ahead)
            if cert:  # "09 chứng thư số cá nhân", "12 chứng thư số cho cá nhân"
                holder = ahead[cert.end() :].replace("chzn dzng", "").strip()
                holder = re.sub(r"^(?:chz|czp chz|czzz) ", "", holder)
            who = (
                "individuals"
                if _starts(U_INDIVIDUAL, holder)
                else "orgs"
                if _starts(U_ORG, holder)
                else None
            )
            if _search(Q_IN_USE, label) or _starts(Q_IN_USE, unit):
                return [("digital_certificates.in_use", c.value, "chứng thư")]
            if who:
                action = self._latest(
                    label,
                    {"revoked": Q_REVOKED, "changed": Q_CHANGED, "new": Q_NEW},
                    tail=c.tail,
                )
                if action is None and prev_element and prev_element.startswith("certificates."):
                    action = prev_element.split(".")[1]
                if action:
                    return [(f"certificates.{action}.{who}", c.value, "chứng thư")]
            if not _search(F_DOSSIER, context):
                return []

        if _starts(U_POINTS, unit):
            return self._index(c, label, unit, context)

        # --- dossiers
        if _starts(U_DOSSIER, unit) or (
            _search(F_DOSSIER, label)
            and not _search(F_VNEID, context)
            and (c.percent or label.rstrip().endswith(":") or _search(Q_RESOLVED, label))
        ):
            if _search(F_VNEID, label) or _search(F_VNEID, ahead):
                return self._vneid(c, label, unit, context)
            if _search(_NOT_DOSSIER_COUNT, self.r.keys(clause.start, c.index)):
                return []
            return self._dossier(c, label, unit, prev_element)
        if (
            c.percent
            and prev_element
            and prev_element.startswith("dossiers.")
            and _search(Q_RATE, label)
            and not _search(F_PROCEDURE, label)
        ):
            if prev_element in ("dossiers.online", "dossiers.online_rate"):
                return [("dossiers.online_rate", c.value, "%")]
            return []
        if c.raw and c.value == 0 and c.unit_keys == "" and _search(F_DOSSIER, label):
            return self._dossier(c, label, unit, prev_element)
        if self.r.tokens[c.index].kind == "word":  # "Không" stated zero
            if _search(F_TASK, label):
                return self._task(c, label, unit, prev_element)
            if _search(F_DOSSIER, label) or _search(F_DOSSIER, context[-200:]):
                return self._dossier(c, label, unit, prev_element)
            return []

        # --- procedures by mode, and procedures carried out
        if _starts(U_PROCEDURE, unit) or (
            (
                _search(F_PROCEDURE, context)
                or (prev_element or "").startswith(("procedures", "executed"))
            )
            and (_labelled(label) or c.percent or _starts(P("lượt"), unit))
            and not _search(F_DOSSIER, label)
        ):
            found = self._procedure(c, label, context, prev_element)
            if found:
                return found

        # --- VNeID
        if _search(F_VNEID, context) and not _search(F_CERT, context):
            found = self._vneid(c, label, unit, context)
            if found:
                return found

        # --- tasks and indicators
        if (
            _starts(U_TASK, unit)
            or (c.percent and (prev_element or "").startswith("tasks."))
            or (c.percent and _search(F_TASK, label) and _search(Q_RATE, label))
            or (_search(F_TASK, label) and _labelled(label))
        ):
            return self._task(c, label, unit, prev_element)
        if _starts(U_INDICATOR, unit) or (
            _search(U_INDICATOR, label) and label.rstrip().endswith(":")
        ):
            if c.ratio_total is not None:
                return [
                    ("indicators.completed", c.value, "chỉ tiêu"),
                    ("indicators.assigned", c.ratio_total, "chỉ tiêu"),
                ]
            qualifier = self._latest(
                label, {"completed": Q_COMPLETED, "assigned": Q_ASSIGNED}, tail=c.tail
            )
            if qualifier is None and prev_element in ("tasks.assigned", "tasks.completed"):
                qualifier = prev_element.split(".")[1]  # "27 nhiệm vụ và 09 chỉ tiêu"
            after = self.r.keys(c.index + 1, c.index + 4)
            if qualifier and not _search(P("chưa đạt", "chưa hoàn thành"), after):
                return [(f"indicators.{qualifier}", c.value, "chỉ tiêu")]
            return []

        # --- community technology teams
        if _search(F_CTT, context) or _search(F_CTT, ahead[:60]):
            if _starts(U_MEMBER, unit) or (
                _search(U_MEMBER, label) and label.rstrip().endswith(("thzn", ":"))
            ):
                if _search(Q_TRAINED, label):
                    return [("community_tech_team.members_trained", c.value, "người")]
                return [("community_tech_team.members", c.value, "người")]
            if _search(U_MEMBER, label) and _search(Q_TRAINED, label):
                return [("community_tech_team.members_trained", c.value, "người")]
            if (_starts(U_TEAM, unit) and _starts(F_CTT, ahead)) or (
                _starts(P("tổ", "tổ CNSCĐ"), unit) and _search(F_CTT, context[-120:] + " " + ahead)
            ):
                return [("community_tech_team.count", c.value, "tổ")]
            if _search(U_TEAM, label) and label.rstrip().endswith(("dzp", "ngz", ":")):
                tail = label.split(" ")[-4:]
                if "tz" in tail or _search(F_CTT, " ".join(tail)):
                    return [("community_tech_team.count", c.value, "tổ")]

        # --- training of officials
        if (
            (
                _search(F_TRAINING, self.r.keys(clause.start, c.index)[-120:])
                or _search(F_TRAINING, ahead)
            )
            and _starts(U_PERSON, unit)
            and c.ratio_total is None
        ):
            if not _search(U_MEMBER, label) and not _search(P("người dân", "thí sinh"), unit):
                return [("training.officials", c.value, "người")]

        # --- budget
        tok = self.r.tokens[c.index]
        following = fold_keep(self.r.text[tok.end : tok.end + 30])
        money = _MONEY.match(following)
        if money and _search(F_BUDGET, context):
            if following[money.end() :].lstrip().startswith("/"):
                return []  # per school, per unit
            value = c.value
            if money["scale"] == "trieu":
                million = value
                value = value * 1_000_000
            elif money["scale"] == "ty":
                million = value * 1000
                value = value * 1_000_000_000
            else:
                million = value / 1_000_000
            before = self.r.keys(clause.start, c.index)
            near = self.r.keys(max(clause.start, c.index - 8), c.index - 1)
            if _search(P("tổng chi", "tổng thu", "dự toán", "chiếm"), near):
                return []  # the whole budget a share is taken of
            if _search(Q_PROPOSED, label):
                return [("budget.proposed_million_vnd", million, "triệu đồng")]
            if _search(P("trong đó"), label) and (prev_element or "").startswith("budget."):
                return []  # a part of the amount just stated
            if _search(Q_ALLOCATED, label):
                return [("budget.allocated_vnd", value, "đồng")]
            if _search(Q_PROPOSED, before):
                return []  # a part of a proposal ("trong đó … 1.120 triệu đồng")
            if _search(Q_ALLOCATED, before):
                return [("budget.allocated_vnd", value, "đồng")]
            return []

        # --- service index (Bộ chỉ số 766) and reform ranking
        if _search(F_INDEX, context) and (label.rstrip().endswith(":") or c.ratio_total):
            found = self._index(c, label, unit, context)
            if found:
                return found
        if (
            _search(Q_RANK, label[-40:])
            and (_search(F_RANK, context) or _search(F_INDEX, context) or self._recent(F_INDEX, c))
            and not c.percent
        ):
            return [("admin_reform.rank", c.value, "hạng")]
        return []

    # ------------------------------------------------------------------ families
    def _index(
        self, c: Candidate, label: str, unit: str, context: str
    ) -> list[tuple[str, Decimal, str]]:
        element = self._latest(label, _INDEX_ROWS, tail=c.tail)
        return [(element, c.value, "điểm")] if element else []

    def _latest(self, keys: str, options: dict[str, re.Pattern[str]], tail: str = "") -> str | None:
        """The option whose phrase ends last in ``keys`` (the nearest to the number), looking
        first after the last separator ("…, trực tiếp 82"), then in the words after the
        number ("1.702 hồ sơ nộp trực tuyến"), then in the whole label."""
        cut = max(keys.rfind(sep) for sep in (",", ";", "(", ")"))
        for part in (keys[cut + 1 :], tail, keys):
            best, best_at = None, (-1, 0)
            for name, pattern in options.items():
                at = _last(pattern, part)
                if at > best_at:
                    best, best_at = name, at
            if best is not None:
                return best
        return None

    def _dossier(
        self, c: Candidate, label: str, unit: str, prev: str | None
    ) -> list[tuple[str, Decimal, str]]:
        if c.percent:
            if _search(Q_ONLINE, label) or prev == "dossiers.online":
                return [("dossiers.online_rate", c.value, "%")]
            return []
        qualifier = self._latest(
            label,
            {
                "withdrawn": Q_WITHDRAWN,
                "in_progress": Q_IN_PROGRESS,
                "overdue": Q_OVERDUE,
                "resolved_on_time": Q_ON_TIME,
                "resolved": Q_RESOLVED,
                "online": Q_ONLINE,
                "direct": Q_DIRECT_D,
                "received": Q_RECEIVED,
            },
            tail=c.tail,
        )
        if qualifier == "in_progress" and _search(P("trong hạn"), label):
            # "đang giải quyết …(trong hạn)": the nearest phrase is still "đang giải quyết".
            if not _search(P("đang giải quyết", "đang xử lý"), label):
                qualifier = None
        if (
            qualifier == "resolved"
            and _search(P("hoàn thành"), label)
            and not _search(P("giải quyết", "trả kết quả", "xử lý"), label)
        ):
            qualifier = None
        if qualifier is None and _search(P("tổng số", "tổng"), label):
            qualifier = "received"
        if qualifier is None:
            return []
        return [(f"dossiers.{qualifier}", c.value, "hồ sơ")]

    def _procedure(
        self, c: Candidate, label: str, context: str, prev: str | None
    ) -> list[tuple[str, Decimal, str]]:
        executed = bool(_search(F_EXECUTED, context))
        if (
            not executed
            and prev
            and prev.startswith("executed")
            and not _search(Q_TOTAL_PROC, label)
        ):
            executed = True
        mode = self._latest(
            label,
            {"full_online": Q_FULL, "partial_online": Q_PARTIAL, "direct": Q_DIRECT},
            tail=c.tail,
        )
        family = "executed" if executed else "procedures"
        if mode is None and prev and prev.startswith(f"{family}.") and not prev.endswith("total"):
            mode = prev.split(".")[1].removesuffix("_rate")  # "1.436 lượt, chiếm 52,1%"
        if c.percent:
            if family == "executed" and mode:
                return [(f"executed.{mode}_rate", c.value, "%")]
            return []
        if mode:
            return [(f"{family}.{mode}", c.value, "thủ tục")]
        if not executed and _search(Q_TOTAL_PROC, label) and _search(F_PROCEDURE, label):
            return [("procedures.total", c.value, "thủ tục")]
        return []

    def _vneid(
        self, c: Candidate, label: str, unit: str, context: str
    ) -> list[tuple[str, Decimal, str]]:
        if c.percent:
            if _search(Q_RESIDENTS, context[-200:]) and not _search(
                P("doanh nghiệp", "tổ chức", "cơ quan"), label
            ):
                return [("vneid.residents_rate", c.value, "%")]
            if _search(Q_REGISTERED, context[-200:]) and _search(
                P("tổ chức", "cơ quan", "doanh nghiệp", "đơn vị"), context[-300:]
            ):
                return [("vneid.orgs.registered_rate", c.value, "%")]
            return []
        return self._vneid_orgs(c, label, unit, context)

    def _vneid_orgs(
        self, c: Candidate, label: str, unit: str, context: str
    ) -> list[tuple[str, Decimal, str]]:
        orgs = _search(
            P("tổ chức", "cơ quan", "doanh nghiệp", "hợp tác xã", "đơn vị"), context[-240:]
        )
        if orgs and (
            _starts(U_ACCOUNT, unit) or c.ratio_total is not None or _search(Q_REGISTERED, label)
        ):
            out = [("vneid.orgs.registered", c.value, "tổ chức")]
            if c.ratio_total is not None:
                out.append(("vneid.orgs.total", c.ratio_total, "tổ chức"))
            return out
        return self._vneid_people(c, label, unit)

    def _vneid_people(self, c: Candidate, label: str, unit: str) -> list[tuple[str, Decimal, str]]:
        qualifier = self._latest(
            label,
            {"activated": Q_ACTIVATED, "collected": Q_COLLECTED, "base": Q_BASE},
            tail=c.tail,
        )
        if qualifier == "collected" or (qualifier is None and _starts(U_DOSSIER, unit)):
            return [("vneid.level2.collected", c.value, "hồ sơ")]
        if qualifier == "activated":
            out = [("vneid.level2.activated", c.value, "tài khoản")]
            if c.ratio_total is not None:  # "11.204 tài khoản/13.560 công dân đủ điều kiện"
                out.append(("vneid.level2.base", c.ratio_total, "người"))
            return out
        if qualifier == "base" and _starts(P("công dân", "người", "nhân khẩu"), unit):
            return [("vneid.level2.base", c.value, "người")]
        return []

    def _task(
        self, c: Candidate, label: str, unit: str, prev: str | None
    ) -> list[tuple[str, Decimal, str]]:
        if c.percent:
            named = self._latest(
                label, {"completed": Q_COMPLETED, "in_progress": Q_ONGOING}, tail=c.tail
            )
            if named:
                return [(f"tasks.{named}_rate", c.value, "%")]
            if prev in ("tasks.completed", "tasks.in_progress"):
                return [(prev + "_rate", c.value, "%")]
            return []
        qualifier = self._latest(
            label,
            {
                "not_started": Q_NOT_STARTED,
                "overdue": Q_NOT_DONE,
                "in_progress": Q_ONGOING,
                "completed": Q_COMPLETED,
                "assigned": Q_ASSIGNED,
            },
            tail=c.tail,
        )
        if qualifier == "completed":
            tail = label[_last(Q_COMPLETED, label)[0] - 1 :]
            if _search(Q_ON_TIME, tail):
                qualifier = "completed_on_time"
            elif _search(Q_LATE, tail):
                qualifier = "late"
        elif qualifier == "overdue" and not _search(Q_LATE, label):
            qualifier = None  # "chưa hoàn thành" alone: in progress, overdue or not started
        elif qualifier is None:
            if _search(Q_ON_TIME, label) and prev and prev.startswith("tasks.completed"):
                qualifier = "completed_on_time"
            elif _search(Q_LATE, label):
                qualifier = "late" if prev and prev.startswith("tasks.completed") else "overdue"
        if qualifier is None:
            return []
        return [(f"tasks.{qualifier}", c.value, "nhiệm vụ")]

    # ------------------------------------------------------------------ output
    def _figure(
        self, c: Candidate, clause: Clause, element: str, value: Decimal, unit: str
    ) -> ExtractedFigure:
        r = self.r
        first = max(clause.start, c.index - 8)
        # Start the quote at the label: after the previous number, if any, in this clause.
        j = c.index - 1
        while j > first and j not in self._counts:
            j -= 1
        if j in self._counts:
            j += 1
        while j < c.index and r.tokens[j].kind == "punct":
            j += 1
        last = c.index
        for k in range(c.index + 1, min(c.index + 3, clause.end)):
            tok = r.tokens[k]
            if tok.kind == "punct" and tok.text not in ("%", "/"):
                break
            if tok.kind == "number" and r.tokens[k - 1].text != "/":
                break
            last = k
        scope = None
        if element.startswith(("tasks.", "indicators.")):
            scope = self._plan_scope(c, clause)
        elif element.startswith("vneid.orgs."):
            scope = self._latest(
                self.context(clause, c.index)[-300:],
                {
                    "agencies": P("cơ quan", "đơn vị"),
                    "enterprises_cooperatives": P("doanh nghiệp", "hợp tác xã"),
                },
            )
        figure = ExtractedFigure(
            element=element,
            value=_clean(value),
            unit=unit,
            scope=scope,
            period=r.period_for(c.index, report_wide=not element.startswith(STOCKS)),
            line=r.token_lines[c.index],
            quote=r.quote(j, last),
        )
        self._offsets[id(figure)] = r.tokens[c.index].start
        return figure

    def _plan_scope(self, c: Candidate, clause: Clause) -> str | None:
        """The plan a task count is stated for: the last document symbol in the clause (or
        its lead) before the figure."""
        from theodoi.domain.references import find_references

        start = clause.parent.start if clause.parent else clause.start
        text = self.r.text[self.r.tokens[start].start : self.r.tokens[c.index].start]
        refs = find_references(text)
        return refs[-1].symbol if refs else None

    def _scoped(self, figures: list[ExtractedFigure]) -> list[ExtractedFigure]:
        """Dossier and procedure figures under "Hệ thống … thành phố" / "… Bộ, ngành" headings
        get scope "city" / "ministries" when the text splits them both ways."""
        marks = []
        folded = fold_keep(self.r.text)
        ministries = [(m.start(), "ministries") for m in _MINISTRIES.finditer(folded)]
        for m in _CITY.finditer(folded):
            if not any(m.start() <= at < m.end() for at, _ in ministries):
                marks.append((m.start(), "city"))
        marks.extend(ministries)
        if not marks:
            return figures
        marks.sort()
        out = []
        scoped: dict[str, set[str]] = {}
        tentative = []
        for f in figures:
            if not f.element.startswith(("dossiers.", "procedures.", "executed.")):
                tentative.append((f, None))
                continue
            if id(f) in self._from_table:
                tentative.append((f, None))  # the row said which system (or the total)
                if f.scope:
                    scoped.setdefault(f.element.split(".")[0], set()).add(f.scope)
                continue
            offset = self._offsets[id(f)]
            scope = None
            for at, name in marks:
                if at <= offset and self._same_section(at, offset):
                    scope = name
            tentative.append((f, scope))
            if scope:
                scoped.setdefault(f.element.split(".")[0], set()).add(scope)
        for f, scope in tentative:
            if scope and len(scoped.get(f.element.split(".")[0], ())) > 1:
                f = ExtractedFigure(**{**f.__dict__, "scope": scope})
            out.append(f)
        return out

    def _same_section(self, at: int, offset: int) -> bool:
        for clause in self.r.clauses:
            if clause.level != 0:
                continue
            start = self.r.tokens[clause.start].start
            if at < start <= offset:
                return False
        return True


# Columns of a flattened dossier table, as their header words start.
_DOSSIER_COLUMNS: list[tuple[str, re.Pattern[str]]] = [
    ("received", P("tiếp nhận", "tổng số hồ sơ", "số hồ sơ tiếp nhận")),
    ("direct", P("trực tiếp", "bưu chính")),
    ("online", P("trực tuyến", "trực")),
    ("resolved_on_time", P("đúng hạn", "trước hạn")),
    ("resolved", P("đã giải", "đã giải quyết", "giải quyết xong")),
    ("withdrawn", P("rút", "từ chối", "trả lại")),
    ("in_progress", P("đang giải", "đang giải quyết", "đang xử lý")),
    ("overdue", P("quá hạn", "trễ hạn")),
]
_INDEX_ROWS = {
    "service_index.online_payment": Q_PAYMENT,
    "service_index.online_service": Q_ONLINE_SERVICE,
    "service_index.transparency": Q_TRANSPARENCY,
    "service_index.progress": Q_PROGRESS,
    "service_index.satisfaction": Q_SATISFACTION,
    "service_index.digitization": Q_DIGITIZATION,
}


class TableReader:
    """Tables flattened into lines, as Word exports and OCR leave them:

    - a dossier table: a header naming the columns (Tiếp nhận | Trực tuyến | Trực tiếp | Đã
      giải quyết | Rút | Đang giải quyết | Quá hạn), then one row per system ("Hệ thống … tỉnh",
      "… Bộ, ngành", "Tổng cộng") whose numbers fill the columns in order;
    - a Bộ chỉ số 766 table: one row per group of indicators, the points achieved last
      ("1 | Công khai, minh bạch | 18 | 16,85").
    """

    def __init__(self, reading: Reading) -> None:
        self.r = reading
        self.consumed: set[int] = set()

    def figures(self) -> list[tuple[int, str, Decimal, str, str | None]]:
        return self._dossier_tables() + self._index_rows()

    def _line_tokens(self) -> dict[int, list[int]]:
        lines: dict[int, list[int]] = {}
        for i, line in enumerate(self.r.token_lines):
            lines.setdefault(line, []).append(i)
        return lines

    def _columns(self, keys: str) -> list[str]:
        found: list[tuple[int, str]] = []
        taken: list[tuple[int, int]] = []
        for name, pattern in _DOSSIER_COLUMNS:
            for m in pattern.finditer(keys):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                found.append((m.start(), name))
                taken.append((m.start(), m.end()))
                break
        return [name for _, name in sorted(found)]

    def _dossier_tables(self) -> list[tuple[int, str, Decimal, str, str | None]]:
        r = self.r
        lines = self._line_tokens()
        out = []
        for line, idx in sorted(lines.items()):
            if any(r.tokens[i].kind == "number" and not self._is_stt(i) for i in idx):
                continue
            keys = " ".join(r.tokens[i].key for i in idx)
            columns = self._columns(keys)
            if len(columns) < 4 or len(set(columns)) != len(columns):
                continue
            out.extend(self._rows(line + 1, columns, lines))
        return out

    def _is_stt(self, i: int) -> bool:
        r = self.r
        return r.is_line_start(i) and r.tokens[i].kind == "number" and len(r.tokens[i].text) <= 2

    def _rows(self, line: int, columns: list[str], lines: dict[int, list[int]]):
        r = self.r
        out = []
        last = max(lines)
        numbers: list[int] = []
        label: list[int] = []
        while line <= last:
            idx = lines.get(line, [])
            line += 1
            for n, i in enumerate(idx):
                t = r.tokens[i]
                if t.kind == "number" and not (n == 0 and not numbers and self._is_stt(i)):
                    if t.text.isdigit() and len(t.text) == 4 and t.text.startswith("20"):
                        continue  # a year in the row label
                    numbers.append(i)
                elif t.kind == "word" and numbers:
                    if len(numbers) < len(columns):
                        return out  # words among the numbers: not a row of this table
                elif t.kind == "word":
                    label.append(i)
                if len(numbers) == len(columns):
                    label_keys = " ".join(r.tokens[j].key for j in label)
                    scope = _row_scope(label_keys)
                    for column, j in zip(columns, numbers, strict=True):
                        value = parse_number(r.tokens[j].text)
                        if value is not None:
                            out.append((j, f"dossiers.{column}", value, "hồ sơ", scope))
                            self.consumed.add(j)
                    numbers, label = [], []
            if (
                not numbers
                and not label
                and idx
                and not any(r.tokens[i].kind == "number" for i in idx)
            ):
                break  # a line of text after the last row
        return out

    def _index_rows(self) -> list[tuple[int, str, Decimal, str, str | None]]:
        r = self.r
        out = []
        lines = self._line_tokens()
        recent_index = -100
        for line, idx in sorted(lines.items()):
            keys = " ".join(r.tokens[i].key for i in idx)
            if F_INDEX.search(keys) or P("nhóm chỉ số", "điểm đạt", "điểm tối đa").search(keys):
                recent_index = line
            if line - recent_index > 12:
                continue
            numbers = [i for i in idx if r.tokens[i].kind == "number" and not self._is_stt(i)]
            if not numbers or len(numbers) > 2:
                continue
            head = " ".join(r.tokens[i].key for i in idx if i < numbers[0])
            element = None
            best = (-1, 0)
            for name, pattern in _INDEX_ROWS.items():
                at = _last(pattern, head)
                if at > best:
                    element, best = name, at
            if element is None:
                continue
            tail = r.keys(numbers[-1] + 1, idx[-1]) if numbers[-1] < idx[-1] else ""
            if tail and not re.fullmatch(r"[|;.,]*(?: ?dzm)?[|;., ]*", tail):
                continue  # words after the numbers: a sentence, not a table row
            value = parse_number(r.tokens[numbers[-1]].text)
            if value is not None:
                out.append((numbers[-1], element, value, "điểm", None))
                self.consumed.update(numbers)
        return out


def _row_scope(label_keys: str) -> str | None:
    """The system a table row counts for. The label may begin with the end of the row above
    ("… Tư pháp) Tổng cộng"): the phrase said last decides."""
    said = {
        None: _last(P("tổng", "tổng cộng", "cộng"), label_keys),
        "ministries": _last(P("bộ, ngành", "bộ ngành", "các bộ"), label_keys),
        "city": _last(P("tỉnh", "thành phố", "hệ thống thông tin giải quyết"), label_keys),
    }
    scope, at = max(said.items(), key=lambda item: item[1])
    return scope if at[0] >= 0 else None


# On folded text: "Hệ thống thông tin giải quyết TTHC tỉnh / của thành phố", "Cổng dịch vụ công
# của tỉnh"; "hệ thống (thông tin) của các Bộ, ngành".
_CITY = re.compile(
    r"h\w{0,2}\s*th\w{1,3}ng[^.;\n]{0,60}?(?:c\w{1,3}\s+)?(?:th\w{1,3}nh\s+ph\w{1,2}|t\w{1,2}nh)\b"
)
_MINISTRIES = re.compile(
    r"h\w{0,2}\s*th\w{1,3}ng[^.;\n]{0,60}?(?:c\w{1,3}\s+)?(?:c\w{1,2}c\s+)?[bdp]\w{1,2},?\s+ng\w{1,2}nh"
)


def _clean(value: Decimal) -> Decimal:
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal


def _dedupe(figures: list[ExtractedFigure]) -> list[ExtractedFigure]:
    """The same figure stated twice (a summary table repeating the text) is kept once."""
    seen: set[tuple] = set()
    out = []
    for f in figures:
        key = (f.element, f.value, f.scope, f.period)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out


def read_figures(text: str) -> list[ExtractedFigure]:
    """Every catalogue figure ``text`` states, in order."""
    return FigureReader(Reading(text)).figures()
