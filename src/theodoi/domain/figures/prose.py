"""Reading figures out of prose: every number a candidate, kept only when the words around
it give its family and its qualifier (see :mod:`theodoi.domain.figures`)."""

from __future__ import annotations

import re
from decimal import Decimal

from theodoi.domain.extraction import ExtractedFigure
from theodoi.domain.figures.families import FamilyRules
from theodoi.domain.figures.tables import TableReader
from theodoi.domain.figures.vocabulary import (
    _CHANGE_BEFORE,
    _DOC_WORDS,
    _ELSEWHERE,
    _FUTURE,
    _LEVEL_WORDS,
    _MONEY,
    _NOT_COUNT_AFTER,
    _NOT_DOSSIER_COUNT,
    _OTHER_GROUP,
    _PLANNED,
    _STILL_TO_DO,
    _TAIL_STOPS,
    _TARGET,
    F_BUDGET,
    F_CERT,
    F_CTT,
    F_DOSSIER,
    F_INDEX,
    F_PROCEDURE,
    F_RANK,
    F_TASK,
    F_TRAINING,
    F_VNEID,
    Q_ALLOCATED,
    Q_ASSIGNED,
    Q_CHANGED,
    Q_COMPLETED,
    Q_IN_USE,
    Q_NEW,
    Q_PROPOSED,
    Q_RANK,
    Q_RATE,
    Q_RESOLVED,
    Q_REVOKED,
    Q_TRAINED,
    U_DOSSIER,
    U_INDICATOR,
    U_INDIVIDUAL,
    U_MEMBER,
    U_ORG,
    U_PERSON,
    U_POINTS,
    U_PROCEDURE,
    U_TASK,
    U_TEAM,
    Candidate,
    P,
    _dedupe,
    _labelled,
    _last,
    _search,
    _starts,
    ocr_split,
)
from theodoi.domain.ocr import parse_number, text_keys
from theodoi.domain.reading import Clause, Reading, fold_keep
from theodoi.domain.text import fold


class FigureReader(FamilyRules):
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
                k = i + 1
                if k < len(toks) and fold(toks[k].text) == "co":
                    k += 1  # "Số hồ sơ quá hạn: không có."
                nxt = toks[k].text if k < len(toks) else "."
                if nxt not in (".", ";", ",", ")") and r.token_lines[k] == r.token_lines[i]:
                    continue
                value = Decimal(0)
            else:
                value = parse_number(t.text)
                if value is None or self._is_reference(i) or self._is_garbled(i):
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

    def _is_garbled(self, i: int) -> bool:
        """A number OCR has broken (see :func:`ocr_split`): neither part is read — "1" and
        "624" are both wrong for 1.624."""
        toks, text = self.r.tokens, self.r.text
        after, before = i + 1, i - 1
        if after < len(toks) and toks[after].kind == "punct" and toks[after].text in ".,:;":
            after += 1
        if before >= 0 and toks[before].kind == "punct" and toks[before].text in ".,:;":
            before -= 1
        split_after = after < len(toks) and toks[after].kind == "number"
        split_before = before >= 0 and toks[before].kind == "number"
        return (split_after and bool(ocr_split(text, toks[i], toks[after]))) or (
            split_before and bool(ocr_split(text, toks[before], toks[i]))
        )

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
        return self._not_guessed(c, clause, label, found)

    def _sentence_keys(self, i: int) -> str:
        """Keys of the sentence token ``i`` is in, up to it: from the last full stop, or the
        start of a list item ("- …"), wherever the lines break."""
        text = self.r.text[: self.r.tokens[i].start]
        starts = [m.end() for m in re.finditer(r"[.!?]\s|\n\s*[-+•]\s", text)]
        return text_keys(text[(starts[-1] if starts else 0) :][-400:])

    def _not_guessed(self, c: Candidate, clause: Clause, label: str, found: list) -> list:
        """Leave out what the words around the number say is not the figure done here: a
        plan's figure or what remains to do (what is assigned stays), another body's figure,
        a rate per unit, an addition ("thêm 04")."""
        if not found:
            return found
        before = self.r.tokens[max(0, c.index - 3) : c.index]
        # "mỗi thôn 01 tổ": a rate per unit. Read as written: by its OCR key "mỗi" is "mới"
        # ("cấp mới 26 chứng thư").
        per_unit = any(t.text.lower() == "mỗi" for t in before)
        added = any(t.text.lower() == "thêm" for t in before)  # "hoàn thành thêm 04 chỉ tiêu"
        sentence = self._sentence_keys(c.index)
        if _search(_ELSEWHERE, sentence) or per_unit or added:
            return []
        planned = (
            _search(_PLANNED, label)
            or _search(_STILL_TO_DO, c.tail[:40])
            or (c.percent and _search(_PLANNED, sentence))
        )
        if planned:
            return [
                f
                for f in found
                if f[0].endswith(".assigned") or f[0] == "budget.proposed_million_vnd"
            ]
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
        said = self.r.keys(clause.start, c.index)
        other_group = _last(_OTHER_GROUP, said) > _last(F_CTT, said)
        if (_search(F_CTT, context) or _search(F_CTT, ahead[:60])) and not other_group:
            if _starts(U_MEMBER, unit) or (
                _search(U_MEMBER, label) and label.rstrip().endswith(("thzn", ":"))
            ):
                # "02 lớp tập huấn kỹ năng số cho 84 thành viên": the label was given to "02"
                if _search(Q_TRAINED, label) or _search(Q_TRAINED, said[-60:]):
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
