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
from dataclasses import replace
from decimal import Decimal

from theodoi.domain import question_guards as guards
from theodoi.domain.question_periods import (
    DATE_LIKE,
    find_compare,
    find_period,
    no_such_period,
)
from theodoi.domain.question_terms import (
    Found,
    Term,
    Vocabulary,
    as_typed,
    expand,
    find_terms,
    words_of,
)
from theodoi.domain.question_words import (
    EXAMPLES,
    INDICATOR_STATUS_WORDS,
    KIND_LABELS,
    TASK_STATUS_WORDS,
    Kind,
    Question,
    Unclear,
    status_label,
)

_CODE = r"(pl\d+(?:\.(?:[ivx]+|\d{1,2})){0,3}|\d{1,2}(?:\.\d{1,2}){0,3})"
_TASK_CODE = re.compile(rf"\bnhiem vu (?:so |ma )?{_CODE}(?![\w.])")
_NUMBER = re.compile(r"(?<![\d.,/])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d+)(?![\d/])")
_PLAN_NUMBER = re.compile(r"\b(?:ke hoach|kh|chuong trinh|ctr)(?: so)? (\d{1,4})\b")

# words that carry no subject of their own when an indicator is named by its words
_STOP = frozenset(
    "ai la gi nao nhung cac co khong duoc cua cho ve voi va the sao bao nhieu luong hien "
    "nay dang da chi tieu nhiem vu don vi co quan la nam quy "
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


def _status_spans(text: str, table: dict[str, tuple[str, ...]]) -> list[tuple[int, int, str]]:
    """Every status phrase of ``table`` in ``text``, longest first, none overlapping."""
    spans: list[tuple[int, int, str]] = []
    for phrase in sorted(table, key=len, reverse=True):
        for m in re.finditer(rf"\b{phrase}\b", text):
            if not any(a < m.end() and m.start() < b for a, b, _ in spans):
                spans.append((m.start(), m.end(), phrase))
    return sorted(spans)


def _statuses(text: str, table: dict[str, tuple[str, ...]]) -> tuple[tuple[str, ...], str]:
    spans = _status_spans(text, table)
    if not spans:
        return (), ""
    phrase = spans[0][2]
    return table[phrase], ", ".join(status_label(s) for s in table[phrase])


def parse_number(text: str) -> Decimal:
    """A number as Vietnamese writes it: "1.495" → 1495, "98,39" → 98.39."""
    return Decimal(text.replace(".", "").replace(",", "."))


# a yes-no question's end, not a negation: "… đã hoàn thành chưa?", "… phải không?"
_YES_NO_END = re.compile(r"\b(phai khong|dung khong|hay khong|hay chua|co khong|khong|chua)\W*$")
# the resolution's subject, never a unit ("chuyển đổi số y tế" is not "Sở Y tế")
_TOPIC = re.compile(r"\bchuyen doi so\b")


def _guard(text: str, kind: Kind, today: dt.date, period_match, compare) -> str:
    """Why the question is not safe to answer (see :mod:`theodoi.domain.question_guards`)."""
    body = _YES_NO_END.sub(" ", text)
    table = INDICATOR_STATUS_WORDS if kind is Kind.INDICATORS else TASK_STATUS_WORDS
    spans = (
        _status_spans(body, table) if kind in (Kind.TASKS, Kind.TASKS_DUE, Kind.INDICATORS) else []
    )
    if len({phrase for _, _, phrase in spans}) > 1:
        return "Câu hỏi nêu nhiều tình trạng cùng lúc: hãy hỏi từng tình trạng một."
    reason = guards.negated(body, [(a, b) for a, b, _ in spans])
    if reason:
        return reason
    if kind in PERIOD_KINDS:
        reason = guards.several_periods(text, today) or (
            guards.qualified_period(text, period_match.start) if period_match else ""
        )
        if reason:
            return reason
    if kind in (Kind.TASKS, Kind.TASKS_DUE, Kind.INDICATORS) and re.search(
        r"\bty le\b|\bphan tram\b", text
    ):
        return "Hệ thống chưa tính tỷ lệ nhiệm vụ, chỉ tiêu; hãy hỏi số nhiệm vụ, chỉ tiêu."
    if compare is not None and kind is not Kind.FIGURE:
        return "So sánh giữa hai kỳ chỉ áp dụng cho số liệu (hồ sơ, tài khoản, tỷ lệ …)."
    codes = set(_TASK_CODE.findall(text)) | set(
        re.findall(r"(?<![\d.,/])\d{1,2}\.\d{1,2}(?![\d.,/])", text)
    )
    if len(codes) > 1:
        return "Câu hỏi nêu nhiều nhiệm vụ: hãy hỏi từng nhiệm vụ một."
    return ""


def parse(
    text: str, vocabulary: Vocabulary, today: dt.date, previous: Question | None = None
) -> Question | Unclear:
    """What ``text`` asks, or why it cannot be answered. ``previous`` is the question answered
    before, which a follow-up ("so với quý trước thì sao?", "còn quý II?") continues. A
    reason quotes the question's words as they were typed, with their diacritics."""
    read = _parse(text, vocabulary, today, previous)
    if isinstance(read, Unclear):
        quoted = re.sub(r"“([^”]*)”", lambda m: f"“{as_typed(text, m.group(1))}”", read.reason)
        return replace(read, reason=quoted)
    return read


def _parse(
    text: str, vocabulary: Vocabulary, today: dt.date, previous: Question | None
) -> Question | Unclear:
    long = guards.too_long(text)
    if long:
        return Unclear(long)
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
    units = find_terms(words_of(_TOPIC.sub(" ", rest)), vocabulary.terms, ("unit",))
    named = {f.term.key: f for f in units}
    if len(named) > 1 and _apart(list(named.values())):
        labels = tuple(f.term.label for f in named.values())
        return Unclear(
            "Câu hỏi nêu nhiều đơn vị (" + "; ".join(labels) + "): hãy hỏi từng đơn vị một.",
            suggestions=labels,
        )
    unit = _pick(units, "đơn vị")
    if isinstance(unit, Unclear):
        return unit
    if unit is None:
        unknown = _unknown_unit(rest)
        if unknown:
            return Unclear(
                f"Không có đơn vị “{as_typed(text, unknown)}” trong dữ liệu.",
                suggestions=EXAMPLES[:3],
            )
        named_unit = guards.unit_not_found(_TOPIC.sub(" ", rest))
        if named_unit:
            return Unclear(
                f"Chưa rõ “{as_typed(text, named_unit)}…” là đơn vị nào trong dữ liệu.",
                suggestions=EXAMPLES[:3],
            )
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
    unsafe = _guard(rest, kind, today, period_match, compare)
    if unsafe:
        return Unclear(unsafe, suggestions=EXAMPLES[:4])
    if (
        compare is not None
        and compare[3] is not None
        and period_match is not None
        and compare[3].kind is not period_match.period.kind
    ):
        return Unclear("Hai kỳ đem so sánh phải cùng loại (quý với quý, năm với năm).")
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
    filled = _fill(question, rest, words, vocabulary, period_match)
    if isinstance(filled, Question) and filled.indicator_words:
        filled = replace(filled, indicator_phrase=as_typed(text, " ".join(filled.indicator_words)))
    if isinstance(filled, Question) and filled.kind in _WHOLE_KINDS:
        said = _FILLER.sub(" ", _YES_NO_END.sub(" ", rest))
        dropped = guards.left_over(words_of(said), _taken(filled))
        if dropped:
            return Unclear(
                f"Chưa hiểu phần “{_typed_words(text, dropped)}” của câu hỏi, nên chưa trả "
                "lời: hãy hỏi "
                "gọn theo một loại câu hỏi có sẵn.",
                understood=filled.understood(),
                suggestions=EXAMPLES[:5],
            )
    return filled


# the kinds whose every word must be understood: a word left over is a condition dropped
_WHOLE_KINDS = (Kind.TASKS, Kind.TASKS_DUE, Kind.LATE_UNITS, Kind.FIGURE, Kind.INDICATORS)
_KIND_WORDS = {
    Kind.TASKS: "nhiem vu",
    Kind.TASKS_DUE: "nhiem vu den toi het han thoi co phai xong hoan thanh chot",
    Kind.LATE_UNITS: "chua gui nop bao cao cham co tre no",
    Kind.FIGURE: "",
    Kind.INDICATORS: "chi tieu",
}


def _taken(question: Question) -> set[str]:
    """The words the reader took for what the question asks."""
    taken = set(_KIND_WORDS[question.kind].split())
    if question.plan is not None:
        taken |= {"ke", "hoach", "so"} | {w for phrase in question.plan.phrases for w in phrase}
    for term in (question.unit, question.element):
        if term is not None:
            taken |= {w for phrase in term.phrases for w in phrase}
    table = INDICATOR_STATUS_WORDS if question.kind is Kind.INDICATORS else TASK_STATUS_WORDS
    for phrase, statuses in table.items():
        if statuses == question.statuses:
            taken |= set(phrase.split())
    if question.kind is Kind.FIGURE and question.element is not None:
        # its unit ("bao nhiêu người"), and "tỷ lệ" for a share
        taken |= set(question.element.measure.split())
        taken |= {"ty", "le", "phan", "tram"} if question.element.measure == "%" else set()
    return taken


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


def _typed_words(original: str, folded_words: list[str]) -> str:
    """Words of a question quoted back as they were typed."""
    return " ".join(as_typed(original, w) for w in folded_words)


def _apart(found: list[Found]) -> bool:
    """Whether two of the terms found lie apart in the question (not one inside another)."""
    for i, a in enumerate(found):
        for b in found[i + 1 :]:
            if a.end <= b.start or b.end <= a.start:
                return True
    return False


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
        if statuses == ("unclear",):
            return Unclear(
                "“Chưa đạt” có thể là “không đạt” (đã qua mốc mà không đạt) hoặc “chưa đạt "
                "được” (có nguy cơ, đúng lộ trình, chưa có số liệu): hãy hỏi một trong các tình "
                "trạng đó.",
                suggestions=(
                    "Chỉ tiêu nào không đạt?",
                    "Chỉ tiêu nào có nguy cơ không đạt?",
                    "Chỉ tiêu nào đúng lộ trình?",
                ),
            )
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
            changes["indicator_words"] = _indicator_words(text, vocabulary)
            if not changes["indicator_words"]:
                return Unclear(
                    "Chưa rõ hỏi người phụ trách nhiệm vụ hay chỉ tiêu nào.",
                    understood=KIND_LABELS[kind],
                    suggestions=("Ai phụ trách nhiệm vụ 2.8?", EXAMPLES[9]),
                )
    if kind in (Kind.PLAN_BASIS, Kind.TASKS, Kind.TASKS_DUE, Kind.INDICATORS):
        plan = _plan_named(text, words, vocabulary)
        if isinstance(plan, Unclear):
            return plan
        if plan is None and kind is Kind.PLAN_BASIS:
            return Unclear(
                "Chưa rõ hỏi căn cứ của kế hoạch nào.",
                understood=KIND_LABELS[kind],
                suggestions=("Kế hoạch 96/KH-UBND căn cứ vào văn bản nào?",),
            )
        if plan is None and re.search(r"\bke hoach (so )?\d", text):
            return Unclear("Không có kế hoạch số đó trong các kế hoạch bạn được xem.")
        changes["plan"] = plan
    if kind is Kind.NUMBER_SOURCE:
        numbers = [m for m in _NUMBER.finditer(text) if not _is_year_or_code(text, m)]
        if not numbers:
            return Unclear("Chưa rõ con số cần tìm.", suggestions=(EXAMPLES[8],))
        written = numbers[-1].group(1)
        if len(re.sub(r"\D", "", written)) > 15:
            return Unclear(f"Con số “{written}” quá dài để tìm.")
        changes["number_text"] = written
        changes["number"] = parse_number(written)
        changes.pop("period", None)
    if kind is Kind.FIGURE:
        element = _element(text, vocabulary)
        if isinstance(element, Unclear):
            return element
        changes["element"] = element
    return replace(question, **changes)


def _plan_named(text: str, words: list[str], vocabulary: Vocabulary) -> Term | Unclear | None:
    """The plan the question names, by its symbol ("96/KH-UBND") or its number ("kế hoạch 96")."""
    plan = _pick(find_terms(words, vocabulary.terms, ("plan",)), "kế hoạch")
    if plan is not None:
        return plan
    number = _PLAN_NUMBER.search(text)
    if number is None:
        return None
    matching = [
        t for t in vocabulary.terms if t.kind == "plan" and t.key.split("/")[0] == number.group(1)
    ]
    if len(matching) > 1:
        return Unclear(
            f"Có {len(matching)} kế hoạch số {number.group(1)}: hãy ghi đủ số, ký hiệu.",
            suggestions=tuple(t.label for t in matching),
        )
    return matching[0] if matching else None


def _is_year_or_code(text: str, m: re.Match) -> bool:
    """A number that names a period, a level or a task rather than the figure looked for."""
    before = text[max(0, m.start() - 10) : m.start()]
    return bool(re.search(r"\b(nam|quy|thang|q|muc|nhiem vu)\s*$", before))


_WHO_WORDS = re.compile(
    r"\b(?:do )?(?:ai|don vi nao|co quan nao|phong nao)\b|"
    r"\b(?:phu trach|chu tri|chiu trach nhiem|theo doi|thuc hien)\b"
)


def _indicator_words(text: str, vocabulary: Vocabulary) -> tuple[str, ...]:
    """The words that name an indicator, after "chỉ tiêu": "phủ sóng 5G"."""
    m = re.search(r"\bchi tieu\b(.*)", text)
    tail = _WHO_WORDS.sub(" | ", m.group(1) if m else text)
    # the longest run of words between the question's own words: "phủ sóng 5G", "tỷ lệ người
    # dân có tài khoản định danh điện tử" (inner words kept, for the name is matched as said)
    runs = [words_of(part) for part in tail.split("|")]
    words = max(runs, key=len) if runs else []
    while words and (words[0] in _STOP or re.fullmatch(r"20\d\d", words[0])):
        words = words[1:]
    while words and (words[-1] in _STOP or re.fullmatch(r"20\d\d", words[-1])):
        words = words[:-1]
    return tuple(words)
