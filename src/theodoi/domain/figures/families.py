"""The rules that decide which element a number in prose is, one family at a time."""

from __future__ import annotations

import re
from decimal import Decimal

from theodoi.domain.extraction import ExtractedFigure
from theodoi.domain.figures.vocabulary import (
    _CITY,
    _INDEX_ROWS,
    _MINISTRIES,
    F_EXECUTED,
    F_PROCEDURE,
    Q_ACTIVATED,
    Q_ASSIGNED,
    Q_BASE,
    Q_COLLECTED,
    Q_COMPLETED,
    Q_DIRECT,
    Q_DIRECT_D,
    Q_FULL,
    Q_IN_PROGRESS,
    Q_LATE,
    Q_NOT_DONE,
    Q_NOT_STARTED,
    Q_ON_TIME,
    Q_ONGOING,
    Q_ONLINE,
    Q_OVERDUE,
    Q_PARTIAL,
    Q_RECEIVED,
    Q_REGISTERED,
    Q_RESIDENTS,
    Q_RESOLVED,
    Q_TOTAL_PROC,
    Q_WITHDRAWN,
    STOCKS,
    U_ACCOUNT,
    U_DOSSIER,
    Candidate,
    P,
    _clean,
    _last,
    _search,
    _starts,
)
from theodoi.domain.reading import Clause, fold_keep


class FamilyRules:
    """What a candidate counts, family by family (index scores, dossiers, procedures, VNeID,
    tasks, and the rest), and the scoping of the figures found. Mixed into
    :class:`~theodoi.domain.figures.prose.FigureReader`, whose reading and context these
    methods use."""

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
