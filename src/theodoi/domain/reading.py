"""A document's text read for extraction: tokens placed on lines, clauses, periods, scopes.

Shared by the figure reader (``domain/figures/``) and the arithmetic check
(``domain/arithmetic.py``). Everything works on OCR-tolerant keys (``domain/ocr.py``), so
the same phrases find "hồ sơ trực tuyến" and "ho so truc tuyén".
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from theodoi.domain.ocr import OCR_CHARS, Token, key_alternatives, tokens

# A line that opens a new item: bullets, numbered headings ("2.", "2.1.", "II.", "a)"), table
# rows ("3 | …").
_ITEM_START = re.compile(
    r"^\s*(?:[-+*•–—~>]|\d+(?:\.\d+)*[.)]\s|\d+(?:\.\d+)+\s|[IVXLivxl1]{1,4}[.)]\s|[a-zđA-ZĐ][.)]\s"
    r"|\d+\s*\|)"
)
_HEADING = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\.\s+\S|\d+(?:\.\d+)+\s+\S|[IVXLivx1l]{1,4}[.)]\s|[a-zđA-ZĐ][.)]\s|\*\s*\S)"
)


@lru_cache(maxsize=4096)
def phrase_regex(phrase: str, loose: bool = False) -> str:
    """A regex over the key string for ``phrase`` written in plain Vietnamese: each word's
    key (with "Đ" read as "B" allowed), words separated by single spaces. ``loose`` also
    lets each word lose its final consonant ("chức" read as "chire")."""
    parts = []
    for token in tokens(phrase):
        if token.kind == "word":
            alts = [re.escape(a) for a in key_alternatives(token.key)]
            if loose:
                alts = [re.sub(r"z(ch|c|p|t)$", r"z(?:\1)?", a) for a in alts]
            parts.append("(?:" + "|".join(alts) + ")" if len(alts) > 1 else alts[0])
        else:
            parts.append(re.escape(token.key))
    return r"(?<!\S)" + " ".join(parts) + r"(?!\S)"


def any_of(*phrases: str, loose: bool = False) -> re.Pattern[str]:
    """A compiled pattern matching any of the ``phrases`` in a key string."""
    return re.compile("|".join(f"(?:{phrase_regex(p, loose)})" for p in phrases))


@dataclass
class Clause:
    """A run of tokens between item starts and sentence ends; ``parent`` is the clause that
    introduced it (a "+" item's "-" item, a "- …trong đó:" lead)."""

    start: int  # token index
    end: int  # token index, exclusive
    level: int  # 0 heading, 1 "-" item, 2 "+" item, 3 plain sentence
    parent: Clause | None = None
    keys: str = ""


class Reading:
    """The text of a document ready for extraction."""

    def __init__(self, text: str) -> None:
        self.text = normalize_lines(text)
        self.tokens: list[Token] = tokens(self.text)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        self.token_lines = [self.line_of(t.start) for t in self.tokens]
        self.clauses = self._clauses()
        self.clause_of: list[Clause] = [None] * len(self.tokens)  # type: ignore[list-item]
        for clause in self.clauses:
            for i in range(clause.start, clause.end):
                self.clause_of[i] = clause
        self.periods = self._periods()

    # ------------------------------------------------------------------ positions
    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset)

    def line_text(self, line: int) -> str:
        start = self.line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start : end if end >= 0 else len(self.text)]

    def quote(self, first: int, last: int) -> str:
        """The original text from token ``first`` to token ``last``, line breaks as spaces."""
        raw = self.text[self.tokens[first].start : self.tokens[last].end]
        return re.sub(r"\s*\n\s*", " ", raw).strip()

    def keys(self, first: int, last: int) -> str:
        """Key string of tokens ``first``..``last`` (inclusive)."""
        return " ".join(t.key for t in self.tokens[max(first, 0) : last + 1])

    def is_line_start(self, i: int) -> bool:
        return i == 0 or self.token_lines[i - 1] != self.token_lines[i]

    # ------------------------------------------------------------------ clauses
    def _clauses(self) -> list[Clause]:
        clauses: list[Clause] = []
        current: Clause | None = None
        last_item: dict[int, Clause] = {}
        for i, token in enumerate(self.tokens):
            level = None
            if self.is_line_start(i):
                line = self.line_text(self.token_lines[i])
                if _ITEM_START.match(line):
                    stripped = line.lstrip()
                    if stripped[:1] in "+>":
                        level = 2
                    elif stripped[:1] in "-–—•~":
                        level = 1
                    elif _HEADING.match(line):
                        level = 0
                    else:
                        level = 1
            if level is None and i > 0 and self.tokens[i - 1].text == ".":
                nxt = token.text[:1]
                if nxt.isupper() and self.tokens[i - 1].end < token.start:
                    level = 3
            if current is None or level is not None:
                if current is not None:
                    current.end = i
                lvl = level if level is not None else 3
                parent = None
                if lvl == 2:
                    parent = last_item.get(1)
                elif lvl == 3 and current is not None:
                    parent = current if current.level in (1, 2) else current.parent
                current = Clause(start=i, end=len(self.tokens), level=lvl, parent=parent)
                clauses.append(current)
                if lvl in (0, 1):
                    last_item = {lvl: current}
                    if lvl == 0:
                        last_item = {}
                    else:
                        last_item[1] = current
        if current is not None:
            current.end = len(self.tokens)
        for clause in clauses:
            clause.keys = self.keys(clause.start, clause.end - 1)
        return clauses

    def section_of(self, line: int) -> int:
        """The line of the numbered heading the given line falls under (0 before any)."""
        section = 0
        for clause in self.clauses:
            start = self.token_lines[clause.start]
            if start > line:
                break
            if clause.level == 0:
                section = start
        return section

    # ------------------------------------------------------------------ periods
    def _periods(self) -> list[tuple[int, tuple[dt.date | None, dt.date | None], bool]]:
        """Each stated period with the token index it starts applying from; the text it
        covers goes to ``period_spans`` (its numbers are dates, not counts)."""
        found = []
        wide: list[tuple[bool, int, tuple[dt.date | None, dt.date | None]]] = []
        self.period_spans: list[tuple[int, int]] = []
        self.report_period: tuple[dt.date | None, dt.date | None] | None = None
        for m in _PERIOD_RE.finditer(fold_keep(self.text)):
            period = _period_from_match(m)
            if period is None:
                continue
            self.period_spans.append((m.start(), m.end()))
            index = bisect.bisect_left([t.start for t in self.tokens], m.start())
            if index >= len(self.tokens):
                continue
            # A statement that opens a list ("… từ ngày 01/7/2025 đến ngày 04/11/2025:") holds
            # for the items under it; otherwise only for the rest of its own sentence.
            clause = self.clause_of[index]
            last = self.tokens[clause.end - 1].text if clause.end > clause.start else ""
            found.append((index, period, last == ":"))
            if period[0] and period[1]:
                announced = _REPORT_WIDE.search(
                    fold_keep(self.text[max(0, m.start() - 120) : m.end()])
                )
                opening = m.start() < self._first_top_heading()
                if opening or (announced and index < len(self.tokens) * 0.2):
                    # A stated day range beats a named quarter or year ("quý III năm 2025"
                    # in the title, "số liệu từ ngày 15/6 đến ngày 14/9/2025" below it).
                    named = bool(m["year"] or m["year2"] or m["quarter"] or m["months"])
                    wide.append((named, len(wide), period))
        if wide:
            self.report_period = min(wide)[2]
        return found

    def _first_top_heading(self) -> int:
        """Offset of the first "I." heading: what comes before it is the report's opening."""
        m = re.search(r"^\s*I[.)]\s", self.text, re.MULTILINE)
        return m.start() if m else min(len(self.text), 1500)

    def period_for(
        self, i: int, *, report_wide: bool = True
    ) -> tuple[dt.date | None, dt.date | None] | None:
        """The period stated before token ``i``: in its own sentence, or by a statement that
        opened the list it belongs to, under the same heading; failing those, the period the
        whole report states for its figures (``report_wide``)."""
        section_start = 0
        for clause in self.clauses:
            if clause.start > i:
                break
            if clause.level == 0:
                section_start = clause.start
        chosen = None
        own = self.clause_of[i]
        for index, period, opens_list in self.periods:
            if index > i:
                break
            stated_in = self.clause_of[index]
            same_item = stated_in is own or own.parent is stated_in
            if same_item or (opens_list and index >= section_start):
                chosen = period
        return chosen or (self.report_period if report_wide else None)


def normalize_lines(text: str) -> str:
    """NFC text with Windows line ends and non-breaking spaces made plain; lines kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(normalize_keep(line) for line in text.split("\n"))


def normalize_keep(line: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFC", line).replace("\u00a0", " ").replace("\u202f", " ")


def fold_keep(text: str) -> str:
    """``fold`` one character at a time, so offsets stay those of ``text``."""
    import unicodedata

    out = []
    for ch in text.translate(OCR_CHARS):
        if ch in "đĐ":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base.lower() if len(base.lower()) == 1 else base)
    return "".join(out)


# "từ ngày 01/7/2025 đến ngày 04/11/2025", "Tính từ 01/7 đến 04/11/2025", "Tir 1/1/2025 dén
# 25/11/2025", "(tinh tir 01/01/2025 dén thoi diém béo cao)", "Đến tháng 10/2025", "Đến ngày
# 31/3/2025", "Tính đến ngày 22/10/2025".
_W = r"[a-z0-9$]{0,3}"
_FROM = rf"(?:t{_W}[ru]{_W}|t[iu]r)"
_TO = rf"[dbp]{_W}n"
_DAY = r"(?:ngay|ngiy|ngdy)"
_DATE = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*((?:19|20)\d{2}))?"
_PERIOD_RE = re.compile(
    rf"(?<![a-z]){_FROM}\s+(?:{_DAY}\s+)?{_DATE}\s*(?:[-–]|{_TO}(?:\s+{_TO})?)\s*(?:{_DAY}\s+)?"
    rf"(?:{_DATE}|(?P<report>thoi\s+\w+m\s+b\w*o\s+c\w*o))"
    rf"|(?<![a-z]){_TO}\s+(?:{_DAY}\s+)?(?P<until_d>\d{{1,2}})\s*/\s*(?P<until_m>\d{{1,2}})"
    rf"\s*/\s*(?P<until_y>(?:19|20)\d{{2}})"
    rf"|(?<![a-z]){_TO}\s+(?:th\w{{0,3}}ng\s+)(?P<month_m>\d{{1,2}})\s*/\s*(?P<month_y>(?:19|20)\d{{2}})"
    rf"|(?<![a-z])th\w{{0,3}}ng\s+(?P<in_month_m>\d{{1,2}})\s*/\s*(?P<in_month_y>(?:19|20)\d{{2}})"
    rf"|(?:^|(?<=[.;:\n])\s*|(?<![a-z])trong\s+)n\w{{1,3}}\s+(?P<year>(?:19|20)\d{{2}})(?=\s*,)"
    rf"|(?:^|(?<=[.;:\n-])\s*)n\w{{1,3}}\s+(?P<year2>(?:19|20)\d{{2}})\b"
    rf"|(?<![a-z])qu\w{{0,2}}\s+(?P<quarter>iv|iii|ii|i|[1-4])\s*(?:/|\s+n\w{{1,3}}\s+)"
    rf"(?P<quarter_y>(?:19|20)\d{{2}})"
    rf"|(?<![\d])(?P<months>6|9)\s+th\w{{0,3}}ng\s+(?:d\w{{0,3}}u\s+)?n\w{{1,3}}\s+"
    rf"(?P<months_y>(?:19|20)\d{{2}})"
)


# "Số liệu trong báo cáo tính từ …", "(kỳ báo cáo từ ngày …)", "(số liệu tính từ ngày …)"
_REPORT_WIDE = re.compile(r"s\w{0,2}\s+li\w{0,3}u|k\w{0,2}\s+b\w{0,2}o\s+c\w{0,2}o")


def _date(day: str, month: str, year: str | None, default_year: int | None) -> dt.date | None:
    y = int(year) if year else default_year
    if y is None:
        return None
    try:
        return dt.date(y, int(month), int(day))
    except ValueError:
        return None


def _period_from_match(m: re.Match[str]) -> tuple[dt.date | None, dt.date | None] | None:
    if m.group("year") or m.group("year2"):
        year = int(m["year"] or m["year2"])
        return (dt.date(year, 1, 1), dt.date(year, 12, 31))
    if m.group("quarter"):
        number = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(m["quarter"]) or int(m["quarter"])
        year = int(m["quarter_y"])
        end_month = number * 3
        return (
            dt.date(year, end_month - 2, 1),
            dt.date(year, end_month, calendar.monthrange(year, end_month)[1]),
        )
    if m.group("months"):
        year = int(m["months_y"])
        return (
            dt.date(year, 1, 1),
            dt.date(year, 6, 30) if m["months"] == "6" else dt.date(year, 9, 30),
        )
    if m.group("in_month_m"):
        year, month = int(m["in_month_y"]), int(m["in_month_m"])
        if not 1 <= month <= 12:
            return None
        return (dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]))
    if m.group("until_d"):
        end = _date(m["until_d"], m["until_m"], m["until_y"], None)
        return (None, end) if end else None
    if m.group("month_m"):
        year, month = int(m["month_y"]), int(m["month_m"])
        if not 1 <= month <= 12:
            return None
        return (None, dt.date(year, month, calendar.monthrange(year, month)[1]))
    groups = m.groups()
    d1, m1, y1, d2, m2, y2 = groups[0:6]
    if m.group("report"):
        start = _date(d1, m1, y1, None)
        return (start, None) if start else None
    end = _date(d2, m2, y2, int(y1) if y1 else None)
    if end is None:
        return None
    start = _date(d1, m1, y1, end.year)
    if start is None or start > end:
        return None
    return (start, end)
