"""``theodoi bench coverage``: how much of the office's own reports the generated one states.

For each report of Cát Hải whose figures the dataset holds (``data/figures.yaml``, seeds 001
and 004), build the report of the same kind, unit, period and cut-off date from the data and
count the document's figures the generated report states with the same value, for the same
unit and breakdown. A share (``dossiers.online_rate`` …) is never copied: the report computes
it from its parts, so it counts as stated when its parts are, and where the document's own
share does not round from its counts the difference is listed (the document's error, not the
report's). Also printed: the sections, the documents cited with their issuers, and the
placeholders a person still has to write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from theodoi.domain.arithmetic import SHARES, places, rounds_to
from theodoi.domain.formatting import format_number
from theodoi.domain.periods import parse_period

FIGURES = Path(__file__).resolve().parents[3] / "data" / "figures.yaml"
TARGET = Decimal(90)  # % of the document's figures the generated report must state


@dataclass(frozen=True)
class Example:
    """One of the office's reports: which outline makes the same kind, for what."""

    seed: str
    title: str
    unit: str
    period: str
    as_of: dt.date
    outline: str
    request: str = ""


EXAMPLES = [
    Example(
        "001",
        "Báo cáo kết quả thực hiện Nghị quyết 57 (phục vụ đoàn kiểm tra), 04/11/2025",
        "CATHAI",
        "01/01/2025..04/11/2025",
        dt.date(2025, 11, 4),
        "bao-cao-kiem-tra-nq57",
    ),
    Example(
        "004",
        "Báo cáo 276/BC-UBND kết quả chuyển đổi số năm 2025",
        "CATHAI",
        "2025",
        dt.date(2025, 11, 25),
        "bao-cao-chuyen-doi-so-nam",
        "4157/SKHCN-CNTT",
    ),
]


@dataclass
class Coverage:
    example: Example
    total: int = 0
    stated: list[str] = field(default_factory=list)
    not_stated: list[str] = field(default_factory=list)
    document_rounding: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    to_write: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # element codes the report found empty

    @property
    def share(self) -> Decimal:
        return Decimal(len(self.stated) * 100) / self.total if self.total else Decimal(0)


def _label(entry: dict[str, Any]) -> str:
    scope = f" [{entry['scope']}]" if entry.get("scope") else ""
    unit = f" ({entry['org_unit']})" if entry.get("org_unit") != "CATHAI" else ""
    value = format_number(Decimal(str(entry["value"])), places(Decimal(str(entry["value"]))))
    return f"{entry['element']}{scope}{unit} = {value} (dòng {entry.get('line')})"


def _sum(expression: str, stated: dict[tuple[str, str, str], Decimal], key) -> Decimal | None:
    total = Decimal(0)
    for code in expression.split("+"):
        value = stated.get((code.strip(), *key))
        if value is None:
            return None
        total += value
    return total


def measure(example: Example, *, user: Any = None) -> Coverage:
    """Build ``example``'s report from the database and compare it with its figures."""
    from theodoi.documents.models import Document
    from theodoi.orgs.models import OrgUnit
    from theodoi.plans.selectors import plans_for_unit
    from theodoi.reports.services import report_build

    unit = OrgUnit.objects.get(code=example.unit)
    period = parse_period(example.period)
    request = Document.objects.filter(symbol=example.request).first() if example.request else None
    snapshot = report_build(
        unit=unit,
        period=period,
        plans=list(plans_for_unit(unit=unit, user=user)),
        user=user,
        as_of=example.as_of,
        outline=example.outline,
        request_document=request,
    )
    stated: dict[tuple[str, str, str], Decimal] = {}
    for figure in snapshot["figures"]:
        key = (figure["code"], figure.get("scope") or "", figure.get("unit") or unit.code)
        stated[key] = Decimal(figure["value"])
    result = Coverage(example)
    entries = yaml.safe_load(FIGURES.read_text(encoding="utf-8"))["figures"]
    for entry in entries:
        if str(entry.get("seed")) != example.seed:
            continue
        result.total += 1
        value = Decimal(str(entry["value"]))
        where = (entry.get("scope") or "", entry.get("org_unit") or unit.code)
        shown = stated.get((entry["element"], *where))
        if shown is not None and shown == value:
            result.stated.append(_label(entry))
            continue
        if entry["element"] in SHARES and shown is None:
            numerator, denominator = SHARES[entry["element"]]
            part, whole = _sum(numerator, stated, where), _sum(denominator, stated, where)
            if part is not None and whole:
                exact = part / whole * 100
                result.stated.append(_label(entry) + " — tính từ các số thành phần")
                if not rounds_to(exact, value, places(value)):
                    result.document_rounding.append(
                        f"{_label(entry)}: từ số đếm {format_number(part, 0)}/"
                        f"{format_number(whole, 0)} tính được {format_number(exact, 2)}%"
                    )
                continue
        result.not_stated.append(
            _label(entry) + ("" if shown is None else f", báo cáo nêu {shown}")
        )
    result.missing = [m["code"] for m in snapshot["missing"]]
    for section in snapshot["sections"]:
        result.sections.append(section["title"])
        for block in section["blocks"]:
            for paragraph in block["paragraphs"]:
                if "[chưa có nội dung" in paragraph or "[chưa có số liệu" in paragraph:
                    result.to_write.append(f"{section['title'][:60]}: {paragraph[:160]}")
            for row in block.get("data", {}).get("documents", []):
                result.documents.append(f"{row.get('symbol', '')} — {row.get('issuer', '')}")
    return result


def run(*, user: Any = None, say: Callable[[str], None] = print, verbose: bool = False) -> bool:
    """Print each example's coverage beside the target; True when every one meets it."""
    met = True
    for example in EXAMPLES:
        result = measure(example, user=user)
        ok = result.share >= TARGET
        met &= ok
        say(f"{example.seed}: {example.title}")
        say(
            f"  số liệu văn bản nêu được báo cáo sinh ra nêu đúng: {len(result.stated)}/"
            f"{result.total} = {format_number(result.share, 1)}%   (mục tiêu ≥ "
            f"{format_number(TARGET, 0)}%) {'đạt' if ok else 'CHƯA ĐẠT'}"
        )
        for line in result.not_stated:
            say(f"  chưa nêu: {line}")
        for line in result.document_rounding:
            say(f"  văn bản làm tròn lệch: {line}")
        say(f"  mục: {len(result.sections)}" + (": " if verbose else ""))
        if verbose:
            for title in result.sections:
                say(f"    {title}")
        say(f"  văn bản được dẫn: {len(result.documents)}")
        if verbose:
            for line in result.documents:
                say(f"    {line}")
        say(f"  chỗ cần người viết: {len(result.to_write)}")
        for line in result.to_write:
            say(f"    {line}")
    return met
