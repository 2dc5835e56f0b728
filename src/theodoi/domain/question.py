"""Reading a question typed in Vietnamese: what is asked (a count, a list, a figure, who, which
document), about what (a unit, a figure, a plan, a task, an indicator), for which period.

The parser is deterministic and reads only the project's own vocabulary, given as data
(:class:`Vocabulary`: unit names and aliases, figure names and their synonyms, plan symbols,
task codes) and the fixed words of the questions themselves (statuses, "bao nhiêu", "ai phụ
trách"). It folds the text (diacritics optional), expands the offices' abbreviations (CĐS,
TTHC, VNeID …) and lets a word match despite a typo or an OCR confusion. It never guesses:
two readings that fit equally well are returned as :class:`Unclear`, with both offered.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from theodoi.domain import periods as p
from theodoi.domain.question_periods import (
    DATE_LIKE,
    Compare,
    find_compare,
    find_period,
    no_such_period,
    period_phrase,
)
from theodoi.domain.question_terms import (
    Found,
    Term,
    Vocabulary,
    expand,
    find_terms,
    words_of,
)


class Kind(StrEnum):
    """What a question asks for."""

    TASKS = "tasks"  # tasks counted or listed by status, unit, period
    TASKS_DUE = "tasks_due"  # tasks whose deadline falls in a period
    LATE_UNITS = "late_units"  # units that have not sent a period's report
    FIGURE = "figure"  # a figure or a share for a unit and period
    INDICATORS = "indicators"  # indicators by evaluation status
    WHO = "who"  # the lead unit of a task, an indicator or a figure
    TASK_SOURCE = "task_source"  # the document that assigns a task
    PLAN_BASIS = "plan_basis"  # the documents a plan implements
    NUMBER_SOURCE = "number_source"  # the documents that state a number


@dataclass(frozen=True)
class Question:
    """A question understood: what is asked and every filter it carries."""

    kind: Kind
    listing: bool = False  # "những … nào", "liệt kê": the rows are the answer
    statuses: tuple[str, ...] = ()
    status_phrase: str = ""
    unit: Term | None = None
    element: Term | None = None
    plan: Term | None = None
    indicator_words: tuple[str, ...] = ()
    task_code: str = ""
    number: Decimal | None = None
    number_text: str = ""
    period: p.Period | None = None
    compare: Compare | None = None
    compare_with: p.Period | None = None  # the period named after "so với"
    year: int | None = None  # an indicator's milestone year: "không đạt năm 2030"

    def understood(self) -> str:
        """What was understood, in Vietnamese, to show beside the answer."""
        parts = [KIND_LABELS[self.kind]]
        if self.status_phrase:
            parts.append(f"tình trạng “{self.status_phrase}”")
        if self.element is not None:
            parts.append(f"số liệu “{self.element.label}”")
        if self.unit is not None:
            parts.append(f"đơn vị “{self.unit.label}”")
        if self.plan is not None:
            parts.append(f"kế hoạch “{self.plan.label}”")
        if self.task_code:
            parts.append(f"nhiệm vụ {self.task_code}")
        if self.indicator_words:
            parts.append(f"chỉ tiêu có “{' '.join(self.indicator_words)}”")
        if self.number_text:
            parts.append(f"con số {self.number_text}")
        if self.period is not None:
            parts.append(f"kỳ: {period_phrase(self.period)}")
        if self.year:
            parts.append(f"mốc năm {self.year}")
        if self.compare is Compare.PREVIOUS:
            parts.append("so với kỳ trước")
        elif self.compare is Compare.LAST_YEAR:
            parts.append("so với cùng kỳ năm trước")
        elif self.compare is Compare.PERIOD and self.compare_with is not None:
            parts.append(f"so với {period_phrase(self.compare_with)}")
        return "; ".join(parts)


@dataclass(frozen=True)
class Unclear:
    """A question not answered: what was understood, why, and questions that can be."""

    reason: str
    understood: str = ""
    suggestions: tuple[str, ...] = ()


KIND_LABELS = {
    Kind.TASKS: "nhiệm vụ theo tình trạng",
    Kind.TASKS_DUE: "nhiệm vụ đến hạn",
    Kind.LATE_UNITS: "đơn vị chưa gửi báo cáo",
    Kind.FIGURE: "số liệu",
    Kind.INDICATORS: "chỉ tiêu theo kết quả đánh giá",
    Kind.WHO: "đơn vị phụ trách",
    Kind.TASK_SOURCE: "văn bản giao nhiệm vụ",
    Kind.PLAN_BASIS: "văn bản làm căn cứ của kế hoạch",
    Kind.NUMBER_SOURCE: "văn bản nêu con số",
}

EXAMPLES = (
    "Bao nhiêu nhiệm vụ quá hạn của Phòng Văn hóa - Xã hội quý I?",
    "Những đơn vị nào chưa gửi báo cáo quý I?",
    "Nhiệm vụ nào đến hạn tháng này?",
    "Tỷ lệ hồ sơ trực tuyến quý I năm 2026",
    "Số tài khoản VNeID đã kích hoạt",
    "Chỉ tiêu nào có nguy cơ không đạt năm 2030?",
    "Văn bản nào giao nhiệm vụ 2.8?",
    "Kế hoạch 96 căn cứ vào văn bản nào?",
    "Báo cáo nào đã nêu số hồ sơ 1.495?",
    "Ai phụ trách chỉ tiêu phủ sóng 5G?",
)

# ------------------------------------------------------------------ the words of questions
# (folded; longer phrases are tried first, so "hoàn thành quá hạn" is not read as "quá hạn")
TASK_STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "hoan thanh dung han": ("completed_on_time",),
    "hoan thanh dung tien do": ("completed_on_time",),
    "hoan thanh trong han": ("completed_on_time",),
    "hoan thanh qua han": ("completed_late",),
    "hoan thanh cham": ("completed_late",),
    "hoan thanh tre": ("completed_late",),
    "chua hoan thanh qua han": ("overdue",),
    "chua hoan thanh ma da qua han": ("overdue",),
    "chua hoan thanh da qua han": ("overdue",),
    "chua hoan thanh va qua han": ("overdue",),
    "chua hoan thanh": ("in_progress", "overdue", "not_started"),
    "khong hoan thanh": ("in_progress", "overdue", "not_started"),
    "da hoan thanh": ("completed_on_time", "completed_late"),
    "hoan thanh": ("completed_on_time", "completed_late"),
    "xong": ("completed_on_time", "completed_late"),
    "qua han": ("overdue",),
    "tre han": ("overdue",),
    "cham tien do": ("overdue",),
    "cham": ("overdue",),
    "dang thuc hien": ("in_progress",),
    "dang trien khai": ("in_progress",),
    "trong han": ("in_progress",),
    "chua trien khai": ("not_started",),
    "chua thuc hien": ("not_started",),
    "chua bat dau": ("not_started",),
}
INDICATOR_STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "co nguy co khong dat": ("at_risk", "not_achieved"),
    "nguy co khong dat": ("at_risk", "not_achieved"),
    "co the khong dat": ("at_risk", "not_achieved"),
    "kho dat": ("at_risk", "not_achieved"),
    "nguy co": ("at_risk", "not_achieved"),
    "cham": ("at_risk", "not_achieved"),
    "khong dat": ("not_achieved",),
    "chua dat": ("not_achieved",),
    "dung lo trinh": ("on_track",),
    "dung tien do": ("on_track",),
    "chua co so lieu": ("no_data",),
    "chua nhap so lieu": ("no_data",),
    "khong co so lieu": ("no_data",),
    "chua bao cao so lieu": ("no_data",),
    "thieu so lieu": ("no_data",),
    "da dat": ("achieved",),
    "dat": ("achieved",),
    "hoan thanh": ("achieved",),
}
_STATUS_LABELS = {
    "completed_on_time": "hoàn thành đúng hạn",
    "completed_late": "hoàn thành quá hạn",
    "in_progress": "đang thực hiện, trong hạn",
    "overdue": "chưa hoàn thành, quá hạn",
    "not_started": "chưa triển khai",
    "achieved": "đạt",
    "not_achieved": "không đạt",
    "on_track": "đúng lộ trình",
    "at_risk": "có nguy cơ không đạt",
    "no_data": "chưa có số liệu",
}

_CODE = r"(pl\d+(?:\.(?:[ivx]+|\d{1,2})){0,3}|\d{1,2}(?:\.\d{1,2}){0,3})"
_TASK_CODE = re.compile(rf"\bnhiem vu (?:so |ma )?{_CODE}(?![\w.])")
_NUMBER = re.compile(r"(?<![\d.,/])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d+)(?![\d/])")
_PLAN_NUMBER = re.compile(r"\b(?:ke hoach|kh|chuong trinh|ctr)(?: so)? (\d{1,4})\b")

# words that carry no subject of their own when an indicator is named by its words
_STOP = frozenset(
    "ai la gi nao nhung cac co khong duoc cua cho ve voi va the sao bao nhieu so luong hien "
    "nay dang da chi tieu nhiem vu don vi co quan la ky nam quy "
    "thang trong tren o tai thi".split()
)


def _pick(found: list[Found], what: str) -> Term | Unclear | None:
    """The one best term, or Unclear when two different ones fit as well."""
    if not found:
        return None
    top = found[0]
    rivals = [
        f
        for f in found[1:]
        if f.score >= top.score - 0.05
        and f.term.key != top.term.key
        and f.term.kind == top.term.kind
    ]
    if rivals:
        names = (top.term.label, *(f.term.label for f in rivals[:3]))
        return Unclear(
            f"Chưa rõ {what} nào: có thể là " + "; ".join(f"“{n}”" for n in names) + ".",
            suggestions=names,
        )
    return top.term


def _statuses(text: str, table: dict[str, tuple[str, ...]]) -> tuple[tuple[str, ...], str]:
    for phrase in sorted(table, key=len, reverse=True):
        if re.search(rf"\b{phrase}\b", text):
            return table[phrase], ", ".join(_STATUS_LABELS[s] for s in table[phrase])
    return (), ""


def parse_number(text: str) -> Decimal:
    """A number as Vietnamese writes it: "1.495" → 1495, "98,39" → 98.39."""
    return Decimal(text.replace(".", "").replace(",", "."))


def parse(
    text: str, vocabulary: Vocabulary, today: dt.date, previous: Question | None = None
) -> Question | Unclear:
    """What ``text`` asks, or why it cannot be answered. ``previous`` is the question answered
    before, which a follow-up ("so với quý trước thì sao?", "còn quý II?") continues."""
    folded = expand(text, vocabulary.abbreviations)
    if not words_of(folded):
        return Unclear("Câu hỏi trống.", suggestions=EXAMPLES[:4])
    if re.search(r"\b(du bao|du doan|se dat|se la|se co|uoc tinh|tuong lai)\b", folded):
        return Unclear(
            "Hệ thống chỉ trả lời theo số liệu đã có, không dự báo.", suggestions=EXAMPLES[3:6]
        )
    wrong_period = no_such_period(folded)
    if wrong_period:
        return Unclear(f"Không có kỳ “{wrong_period}”.", suggestions=EXAMPLES[:4])
    compare = find_compare(folded, today)
    rest = folded
    if compare is not None:
        rest = folded[: compare[1]] + " " + folded[compare[2] :]
    period_match = find_period(rest, today)
    words = words_of(rest)
    units = find_terms(words, vocabulary.terms, ("unit",))
    unit = _pick(units, "đơn vị")
    if isinstance(unit, Unclear):
        return unit
    if unit is None:
        unknown = _unknown_unit(rest)
        if unknown:
            return Unclear(f"Không có đơn vị “{unknown}” trong dữ liệu.", suggestions=EXAMPLES[:3])
    kind = _kind(rest)
    if kind is None:
        element = _element(rest, vocabulary)
        if isinstance(element, Unclear):
            return element
        if element is not None:
            kind = Kind.FIGURE
        elif previous is not None and (compare or period_match or unit):
            return _follow_up(previous, compare, period_match, unit)
        else:
            return Unclear(
                "Chưa hiểu câu hỏi hỏi về điều gì (nhiệm vụ, chỉ tiêu, số liệu, văn bản).",
                suggestions=EXAMPLES,
            )
    if kind in PERIOD_KINDS and _unread_date(rest, period_match):
        return Unclear(
            "Chưa đọc được kỳ hỏi: hãy viết ngày đủ ngày/tháng/năm, ví dụ “từ 01/07/2025 đến "
            "04/11/2025”, hoặc “quý I năm 2026”.",
            suggestions=EXAMPLES[:4],
        )
    question = Question(
        kind=kind,
        unit=unit,
        compare=compare[0] if compare else None,
        compare_with=compare[3] if compare else None,
    )
    return _fill(question, rest, words, vocabulary, period_match)


PERIOD_KINDS = (Kind.TASKS, Kind.TASKS_DUE, Kind.LATE_UNITS, Kind.FIGURE, Kind.INDICATORS)

# a place named by its kind ("phường Lê Chân", "xã Hiền Hào") that no unit of the data is
_PLACE = re.compile(
    r"(?<!dia )\b(phuong|xa|huyen|thi tran|thi xa) "
    r"(?!hoi\b|an\b|thuc\b|tien\b|huong\b|phap\b|nao\b)([a-z]+(?: [a-z]+)?)"
)


def _unknown_unit(text: str) -> str:
    m = _PLACE.search(text)
    return m.group(0) if m else ""


def _unread_date(text: str, period_match) -> bool:
    """A date left unread once the period is found: better unclear than another period."""
    for m in DATE_LIKE.finditer(text):
        if period_match is None or not (period_match.start <= m.start() < period_match.end):
            if not re.search(r"\b(quy|q)\s*$", text[: m.start()]):
                return True
    return False


# words of the question, not of a figure's name: left out before figures are matched
_FILLER = re.compile(
    r"\b(bao nhieu|bao nhiu|tong cong|tat ca|hien co|hien nay|la bao nhieu|co may)\b"
)


def _fits(term: Term, noun: str) -> bool:
    """The noun asked for ("thành viên", "hồ sơ") is the figure's unit or in its name."""
    first = noun.split()[0]
    if first in term.measure.split() or term.measure == "%":
        return True
    return any(
        re.search(rf"\b{re.escape(n)}\b", " ".join(ph))
        for ph in term.phrases
        for n in (noun, first)
    )


def _element(text: str, vocabulary: Vocabulary) -> Term | Unclear | None:
    """The figure (or share) the question names. The noun asked for decides between two that
    fit ("bao nhiêu thành viên" of a team is its members, not its count); a share is asked
    with "tỷ lệ" and a count without."""
    asked = re.search(r"\b(?:bao nhieu|bao nhiu|may|so luong)\s+([a-z]+(?: [a-z]+)?)", text)
    asked = asked or re.match(r"\s*(?:tong )?so\s+([a-z]+(?: [a-z]+)?)", text)
    words = words_of(_FILLER.sub(" ", text))
    found = find_terms(words, vocabulary.terms, ("ratio", "element"))
    if asked and found and not _fits(found[0].term, asked.group(1)):
        fitting = {f.term.key: f.term for f in found if _fits(f.term, asked.group(1))}
        if len(fitting) == 1:
            return next(iter(fitting.values()))
        # the noun asked for is not the figure's: a figure that says more, and fits, may be
        # meant ("tổ công nghệ số … bao nhiêu thành viên" is the teams' members); else none
        top = set(w for ph in found[0].term.phrases for w in ph)
        present = set(words)
        wider = [
            t
            for t in vocabulary.terms
            if t.kind in ("element", "ratio")
            and _fits(t, asked.group(1))
            and any(
                top <= set(ph)
                and (
                    set(ph) <= present | set(asked.group(1).split())
                    or asked.group(1).split()[0] in t.measure.split()
                )
                for ph in t.phrases
            )
        ]
        if len(wider) == 1:
            return wider[0]
        return Unclear(
            f"Câu hỏi hỏi số “{asked.group(1)}” nhưng số liệu tìm thấy là "
            f"“{found[0].term.label}”: chưa trả lời chắc chắn được.",
            suggestions=(found[0].term.label,),
        )
    picked = _pick(found, "số liệu")
    if isinstance(picked, Term):
        asks_share = bool(re.search(r"\bty le\b|\bphan tram\b", text))
        if asks_share != (picked.measure == "%"):
            what = "tỷ lệ" if asks_share else "số"
            return Unclear(
                f"Câu hỏi hỏi {what} nhưng số liệu tìm thấy là “{picked.label}”: chưa trả lời "
                "chắc chắn được.",
                suggestions=(picked.label,),
            )
    return picked


def _follow_up(previous: Question, compare, period_match, unit) -> Question | Unclear:
    changes: dict = {}
    if compare is not None:
        changes["compare"] = compare[0]
        changes["compare_with"] = compare[3]
    if period_match is not None:
        changes["period"] = period_match.period
        changes.setdefault("compare", None)
        changes.setdefault("compare_with", None)
    if unit is not None:
        changes["unit"] = unit
    return replace(previous, **changes)


def _kind(text: str) -> Kind | None:
    """The kind of question, from its fixed words."""
    asks_document = re.search(
        r"\b(van ban|bao cao|ke hoach|quyet dinh|nghi quyet)(?: [a-z]+){0,2} nao\b", text
    )
    where_from = re.search(
        r"\b(nguon|lay tu dau|o dau ra|tu dau(?! (?:nam|thang|quy|ky))|trich tu)\b", text
    )
    if where_from and _NUMBER.search(re.sub(_TASK_CODE, "", text)) and not _TASK_CODE.search(text):
        return Kind.NUMBER_SOURCE
    if (
        asks_document
        and _NUMBER.search(re.sub(_TASK_CODE, "", text))
        and re.search(r"\b(neu|ghi|co so|noi|dua ra|bao cao)\b", text)
    ):
        if not _TASK_CODE.search(text) and not re.search(r"\bgiao\b", text):
            return Kind.NUMBER_SOURCE
    if (asks_document or re.search(r"\b(xuat phat|giao theo|theo van ban)\b", text)) and (
        _TASK_CODE.search(text)
    ):
        return Kind.TASK_SOURCE
    if re.search(r"\bcan cu\b", text) or (
        asks_document and re.search(r"\b(thuc hien|trien khai|cu the hoa)\b", text)
    ):
        return Kind.PLAN_BASIS
    if re.search(r"\b(ai|don vi nao|co quan nao|phong nao|noi nao)\b", text) and re.search(
        r"\b(phu trach|chu tri|chiu trach nhiem|thuc hien|lam|theo doi|giao cho)\b", text
    ):
        if re.search(r"\b(chua gui|chua nop|chua bao cao|cham bao cao|chua co bao cao)\b", text):
            return Kind.LATE_UNITS
        return Kind.WHO
    if re.search(r"\b(don vi|co quan|phong|noi|ai)\b", text) and re.search(
        r"\b(chua gui|chua nop|chua bao cao|cham gui|cham nop|cham bao cao|chua co bao cao|"
        r"no bao cao|tre bao cao)\b",
        text,
    ):
        return Kind.LATE_UNITS
    if re.search(r"\bchi tieu\b", text) and not re.search(r"\bnhiem vu\b", text):
        return Kind.INDICATORS
    if re.search(r"\bnhiem vu\b|\b(?:cong )?viec nao\b|\bviec\b.*\bnao\b", text):
        if re.search(
            r"\b(den han|toi han|het han|phai xong|phai hoan thanh|han chot|thoi han|co han|"
            r"han trong|han hoan thanh|han la)\b",
            text,
        ):
            return Kind.TASKS_DUE
        return Kind.TASKS
    return None


def _fill(
    question: Question, text: str, words: list[str], vocabulary: Vocabulary, period_match
) -> Question | Unclear:
    kind = question.kind
    listing = bool(
        re.search(r"\b(nao|nhung|liet ke|danh sach|cac|gom|ke ten|la gi)\b", text)
    ) and not re.search(r"\b(bao nhieu|so luong|may)\b", text)
    changes: dict = {"listing": listing}
    if period_match is not None:
        if kind is Kind.INDICATORS and period_match.bare_year:
            changes["year"] = period_match.period.year
        else:
            changes["period"] = period_match.period
    if kind in (Kind.TASKS, Kind.TASKS_DUE):
        plain = re.sub(r"\b(thoi han|han) hoan thanh\b|\bphai hoan thanh\b", " ", text)
        statuses, phrase = _statuses(plain, TASK_STATUS_WORDS)
        changes.update(statuses=statuses, status_phrase=phrase)
    elif kind is Kind.INDICATORS:
        statuses, phrase = _statuses(text, INDICATOR_STATUS_WORDS)
        changes.update(statuses=statuses, status_phrase=phrase)
    if kind in (Kind.TASK_SOURCE, Kind.WHO, Kind.TASKS, Kind.TASKS_DUE):
        code = _TASK_CODE.search(text)
        if code:
            changes["task_code"] = code.group(1).upper()
            if code.group(1) not in vocabulary.task_codes:
                return Unclear(
                    f"Không có nhiệm vụ mã {code.group(1).upper()} trong các kế hoạch bạn được "
                    "xem.",
                    understood=replace(question, **changes).understood(),
                    suggestions=EXAMPLES[6:8],
                )
    if kind is Kind.WHO and not changes.get("task_code"):
        found = _pick(find_terms(words, vocabulary.terms, ("ratio", "element")), "số liệu")
        if (
            isinstance(found, Term)
            and re.search(r"\bso lieu\b|\bso\b", text)
            and not re.search(r"\bchi tieu\b", text)
        ):
            changes["element"] = found
        else:
            changes["indicator_words"] = _indicatorwords_of(text, vocabulary)
            if not changes["indicator_words"]:
                return Unclear(
                    "Chưa rõ hỏi người phụ trách nhiệm vụ hay chỉ tiêu nào.",
                    understood=KIND_LABELS[kind],
                    suggestions=("Ai phụ trách nhiệm vụ 2.8?", EXAMPLES[9]),
                )
    if kind is Kind.PLAN_BASIS:
        plans = find_terms(words, vocabulary.terms, ("plan",))
        plan = _pick(plans, "kế hoạch")
        if plan is None:
            number = _PLAN_NUMBER.search(text)
            matching = [
                t
                for t in vocabulary.terms
                if t.kind == "plan" and number and t.key.split("/")[0] == number.group(1)
            ]
            plan = matching[0] if len(matching) == 1 else None
        if isinstance(plan, Unclear):
            return plan
        if plan is None:
            return Unclear(
                "Chưa rõ hỏi căn cứ của kế hoạch nào.",
                understood=KIND_LABELS[kind],
                suggestions=("Kế hoạch 96/KH-UBND căn cứ vào văn bản nào?",),
            )
        changes["plan"] = plan
    if kind is Kind.NUMBER_SOURCE:
        numbers = [m for m in _NUMBER.finditer(text) if not _is_year_or_code(text, m)]
        if not numbers:
            return Unclear("Chưa rõ con số cần tìm.", suggestions=(EXAMPLES[8],))
        changes["number_text"] = numbers[-1].group(1)
        changes["number"] = parse_number(numbers[-1].group(1))
        changes.pop("period", None)
    if kind is Kind.FIGURE:
        element = _element(text, vocabulary)
        if isinstance(element, Unclear):
            return element
        changes["element"] = element
    return replace(question, **changes)


def _is_year_or_code(text: str, m: re.Match) -> bool:
    """A number that names a period, a level or a task rather than the figure looked for."""
    before = text[max(0, m.start() - 10) : m.start()]
    return bool(re.search(r"\b(nam|quy|thang|q|muc|nhiem vu)\s*$", before))


_WHO_WORDS = re.compile(
    r"\b(?:do )?(?:ai|don vi nao|co quan nao|phong nao)\b|"
    r"\b(?:phu trach|chu tri|chiu trach nhiem|theo doi|thuc hien)\b"
)


def _indicatorwords_of(text: str, vocabulary: Vocabulary) -> tuple[str, ...]:
    """The words that name an indicator, after "chỉ tiêu": "phủ sóng 5G"."""
    m = re.search(r"\bchi tieu\b(.*)", text)
    tail = _WHO_WORDS.sub(" ", m.group(1) if m else text)
    words = [w for w in words_of(tail) if w not in _STOP and not re.fullmatch(r"20\d\d", w)]
    return tuple(words)


def status_label(status: str) -> str:
    """A status's name in a sentence, lower-case."""
    return _STATUS_LABELS[status]
