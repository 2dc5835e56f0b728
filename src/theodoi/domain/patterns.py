"""The report's figure sentences as patterns a coordinator can edit.

A pattern is a sentence with the figures it states written as calls, in Jinja2's syntax and
run in its sandbox (the engine docxtpl already brings)::

    Tổng số hồ sơ tiếp nhận: {{ so("dossiers.received") }} hồ sơ, trong đó trực tuyến
    {{ so("dossiers.online") }} hồ sơ, tỷ lệ {{ ty_le("dossiers.online", "dossiers.received") }}.

Functions (Vietnamese names, as the office says them):

- ``so(code, pham_vi="", don_vi="")`` — the value of a data element for the report's unit and
  period (``pham_vi``: a breakdown such as a ministry system; ``don_vi``: the code of a unit
  under the report's unit, or of one it succeeded, whose figure the report cites — the
  Public Administration Service Centre's equipment in the zone's report); ``co_so(code)`` —
  whether it has one (``{% if co_so("x") %}…{% endif %}`` for a clause shown only then);
- ``tong(code, …)``, ``hieu(a, b)`` — sums and differences of figures;
- ``ty_le(phan, tong, chu_so=None)`` — a share computed from its parts, never typed, rounded
  half up to the house style's places ("78,4%"), or to ``chu_so`` places where the office
  writes that share otherwise ("chiếm 56%", "tỷ lệ đạt 98,39%");
- ``tren(phan, tong)`` — "x/y" (1.471/1.495; a ranking: 5/114);
- ``ky_so_lieu(code, pham_vi="", don_vi="")`` — the span the figure covers ("từ ngày
  01/07/2025 đến ngày 04/11/2025"), for a figure of part of the report's period;
  ``den_ngay(code, …)`` — the date it runs to ("31/03/2025");
- ``phan_to(code, don_vi="")`` — the breakdowns the element has values for,
  ``ten_phan_to(pham_vi)`` their labels;
- filters ``|khong`` (zero written "Không", as offices do), ``|so(places)`` and ``|hoa_dau``
  (capital first letter: "{{ trong_ky|hoa_dau }}, …" opens a sentence).

A figure without a value for the period is never printed as 0 or as an older value: it reads
"[chưa có số liệu: <name>]" and is listed as missing. An unknown element code or a bad
expression is a :class:`PatternError` that names it. This module is pure: the caller hands in
a :class:`Facts` that finds values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from theodoi.domain.formatting import format_date, format_number, round_half_up

MAX_OUTPUT = 20_000  # characters one pattern may produce


class PatternError(ValueError):
    """A pattern that cannot be used; the message is Vietnamese and names what is wrong."""


@dataclass(frozen=True)
class HouseStyle:
    """How an office writes its numbers: the places of a share (one in the real reports),
    "Không" for zero where it writes so (the ``khong`` filter), and counts under 10 with a
    leading zero ("02 Tổ giúp việc")."""

    share_places: int = 1
    zero_word: str = "Không"
    pad_counts: bool = True


@dataclass(frozen=True)
class Fact:
    """One stored figure: its element, value, unit of measure, where it comes from, and
    whether it is illustrative (never presented as real)."""

    code: str
    name: str
    value: Decimal
    unit: str = ""
    value_type: str = "count"
    scope: str = ""
    source: str = ""
    illustrative: bool = False
    org_unit: str = ""  # the unit the figure is of, when not the report's own
    start: dt.date | None = None  # the span the value covers
    end: dt.date | None = None


class Facts(Protocol):
    """What the pattern engine asks of the data: a figure of the report's unit and period,
    the name of an element (None: no such element), and the breakdowns an element has."""

    def fact(self, code: str, scope: str = "", unit: str = "") -> Fact | None: ...

    def name(self, code: str) -> str | None: ...

    def scopes(self, code: str, unit: str = "") -> list[str]: ...

    def scope_label(self, scope: str) -> str: ...

    def unit_name(self, unit: str) -> str | None:
        """The name of a unit whose figures the report may cite (None: not one)."""
        ...


@dataclass
class Rendered:
    """A pattern's text, the figures it stated and those it found missing."""

    text: str
    used: list[Fact] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (code, name)

    @property
    def illustrative(self) -> bool:
        return any(f.illustrative for f in self.used)


class Missing:
    """A figure, or a result computed from one, that has no value for the period."""

    def __init__(self, what: str) -> None:
        self.what = what

    def __str__(self) -> str:
        return f"[chưa có số liệu: {self.what}]"

    def _combine(self, *_: Any) -> Missing:
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _combine
    __truediv__ = __rtruediv__ = _combine

    def __bool__(self) -> bool:
        return False


class Number:
    """A figure (or a sum of figures) as the pattern prints it, the Vietnamese way."""

    def __init__(self, value: Decimal, *, style: HouseStyle, kind: str = "count") -> None:
        self.value = value
        self.kind = kind
        self.style = style

    def __str__(self) -> str:
        value = self.value
        if self.kind == "percent":
            return format_number(value, 2, strip_zeros=True) + "%"
        if value != value.to_integral_value():
            return format_number(value, 2, strip_zeros=True)
        if self.style.pad_counts and self.kind == "count" and 0 < value < 10:
            return f"{int(value):02d}"
        return format_number(value)

    def _other(self, other: Any) -> Decimal | None:
        if isinstance(other, Number):
            return other.value
        if isinstance(other, int | Decimal):
            return Decimal(other)
        return None

    def __add__(self, other: Any) -> Number | Missing:
        if isinstance(other, Missing):
            return other
        value = self._other(other)
        if value is None:
            raise PatternError("Chỉ cộng được số liệu với số liệu.")
        return Number(self.value + value, style=self.style, kind=self.kind)

    __radd__ = __add__

    def __sub__(self, other: Any) -> Number | Missing:
        if isinstance(other, Missing):
            return other
        value = self._other(other)
        if value is None:
            raise PatternError("Chỉ trừ được số liệu với số liệu.")
        return Number(self.value - value, style=self.style, kind=self.kind)

    def __eq__(self, other: object) -> bool:
        value = self._other(other)
        return value is not None and self.value == value

    def __lt__(self, other: Any) -> bool:
        value = self._other(other)
        return value is not None and self.value < value

    def __gt__(self, other: Any) -> bool:
        value = self._other(other)
        return value is not None and self.value > value

    def __hash__(self) -> int:
        return hash(self.value)

    def __bool__(self) -> bool:
        return self.value != 0


class Share:
    """A share computed from its parts, rounded half up to the house style's places."""

    def __init__(self, part: Decimal, whole: Decimal, places: int) -> None:
        self.value = round_half_up(part * 100 / whole, places)
        self.places = places

    def __str__(self) -> str:
        return format_number(self.value, self.places) + "%"


# The functions a pattern may call: a call to anything else is an error, found before running.
FUNCTIONS = (
    "so",
    "co_so",
    "tong",
    "hieu",
    "ty_le",
    "tren",
    "phan_to",
    "ten_phan_to",
    "ky_so_lieu",
    "den_ngay",
)
FILTERS = ("khong", "so", "hoa_dau")
# Context variables a pattern may read.
VARIABLES = (
    "ky",
    "ky_ten",
    "trong_ky",
    "ky_toi",
    "tinh_den",
    "don_vi",
    "dia_ban",
    "nam",
    "co_quan",
    "can_cu",
)


def _zero_as_word(item: Any) -> Any:
    """ "Không" where the value is zero, as offices write it ("Số hồ sơ quá hạn: Không")."""
    if isinstance(item, Number) and item.value == 0:
        return item.style.zero_word
    return item


def _with_places(item: Any, places: int = 0) -> Any:
    if isinstance(item, Number):
        return format_number(item.value, int(places))
    return item


def _capital_first(item: Any) -> str:
    """The first letter a capital, the rest as written (Jinja's ``capitalize`` would lower
    "Quý I" and "Nghị quyết")."""
    text = str(item)
    return text[:1].upper() + text[1:]


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    env.filters["khong"] = _zero_as_word
    env.filters["so"] = _with_places
    env.filters["hoa_dau"] = _capital_first
    return env


# Shared and never changed after this: what a pattern calls comes in its render context.
_ENV = _environment()


def check_pattern(text: str, *, known: Callable[[str], bool]) -> list[str]:
    """What is wrong with a pattern before it runs, in Vietnamese: its syntax (with the line),
    a function or variable it may not use, an element code the catalogue does not have."""
    try:
        tree = _ENV.parse(text)
    except TemplateSyntaxError as error:
        return [f"Mẫu câu sai cú pháp ở dòng {error.lineno}: {error.message}."]
    problems: list[str] = []
    allowed_names = set(FUNCTIONS) | set(VARIABLES)
    for node in tree.find_all(nodes.Name):
        if node.ctx == "load" and node.name not in allowed_names and not _bound(tree, node.name):
            problems.append(
                f"Mẫu câu dùng “{node.name}” (dòng {node.lineno}): không có hàm hay biến này; "
                f"dùng được: {', '.join(FUNCTIONS)}; biến: {', '.join(VARIABLES)}."
            )
    for node in tree.find_all(nodes.Filter):
        if node.name not in FILTERS and node.name not in _ENV.filters:
            problems.append(f"Mẫu câu dùng bộ lọc “{node.name}” (dòng {node.lineno}): không có.")
    for node in tree.find_all(nodes.Getattr):
        problems.append(
            f"Mẫu câu truy cập “.{node.attr}” (dòng {node.lineno}): không được phép trong mẫu câu."
        )
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name in FUNCTIONS:
            for arg in _code_arguments(call):
                if not known(arg):
                    problems.append(
                        f"Mẫu câu nêu số liệu mã “{arg}” (dòng {call.lineno}): danh mục số liệu "
                        "không có mã này."
                    )
    return list(dict.fromkeys(problems))


def _bound(tree: nodes.Template, name: str) -> bool:
    """Whether ``name`` is set inside the pattern ({% for x in … %}, {% set x = … %})."""
    return any(n.name == name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param"))


def _code_arguments(call: nodes.Call) -> Iterable[str]:
    name = call.node.name  # type: ignore[attr-defined]
    if name in ("phan_to", "ten_phan_to"):
        args = call.args[:1] if name == "phan_to" else []
    elif name in ("so", "co_so", "ky_so_lieu", "den_ngay"):
        args = call.args[:1]
    else:
        args = call.args
    for arg in args:
        if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
            yield arg.value


def render_pattern(
    text: str,
    *,
    facts: Facts,
    style: HouseStyle = HouseStyle(),
    context: dict[str, str] | None = None,
) -> Rendered:
    """Run the pattern against ``facts``. Raises :class:`PatternError` for a bad pattern or an
    unknown element code; a missing value is not an error (it reads as missing)."""
    problems = check_pattern(text, known=lambda code: facts.name(code) is not None)
    if problems:
        raise PatternError(" ".join(problems))
    used: list[Fact] = []
    missing: list[tuple[str, str]] = []

    def name_of(code: str) -> str:
        name = facts.name(code)
        if name is None:
            raise PatternError(f"Danh mục số liệu không có mã “{code}”.")
        return name

    def unit_of(unit: Any) -> str:
        unit = str(unit or "")
        if unit and facts.unit_name(unit) is None:
            raise PatternError(
                f"Mẫu câu nêu đơn vị mã “{unit}”: không phải đơn vị trực thuộc (hay đơn vị "
                "tiền thân) của đơn vị lập báo cáo."
            )
        return unit

    def value(code: str, scope: str = "", don_vi: str = "") -> Number | Missing:
        if isinstance(code, Number | Missing):
            return code  # already a figure (a sum, a difference)
        if isinstance(code, int | float | Decimal) and not isinstance(code, bool):
            return Number(Decimal(str(code)), style=style)  # a number written in the pattern
        unit = unit_of(don_vi)
        fact = facts.fact(str(code), str(scope or ""), unit)
        if fact is None:
            what = name_of(str(code)) + (f" ({facts.scope_label(scope)})" if scope else "")
            if unit:
                what += f" của {facts.unit_name(unit)}"
            if (code, what) not in missing:
                missing.append((str(code), what))
            return Missing(what)
        if fact not in used:
            used.append(fact)
        return Number(fact.value, style=style, kind=fact.value_type)

    def present(code: str, scope: str = "", don_vi: str = "") -> bool:
        """Whether the figure has a value (for a part of a sentence shown only then); asking
        does not count it as missing."""
        name_of(str(code))
        return facts.fact(str(code), str(scope or ""), unit_of(don_vi)) is not None

    def total(*codes: Any) -> Number | Missing:
        if not codes:
            raise PatternError("tong() cần ít nhất một mã số liệu.")
        result: Number | Missing = value(codes[0])
        for code in codes[1:]:
            result = result + value(code)
        return result

    def difference(a: Any, b: Any) -> Number | Missing:
        return value(a) - value(b)

    def share(part: Any, whole: Any, chu_so: Any = None) -> Share | Missing:
        p, w = value(part), value(whole)
        if isinstance(p, Missing):
            return p
        if isinstance(w, Missing):
            return w
        if w.value == 0:
            return Missing("tỷ lệ trên tổng bằng 0")
        places = style.share_places if chu_so is None else int(chu_so)
        if not 0 <= places <= 4:
            raise PatternError("ty_le(): số chữ số thập phân phải từ 0 đến 4.")
        return Share(p.value, w.value, places)

    def over(part: Any, whole: Any) -> str | Missing:
        """ "x/y" reads as a fraction or a ranking (1.471/1.495, 5/114): no leading zero."""
        p, w = value(part), value(whole)
        if isinstance(p, Missing):
            return p
        if isinstance(w, Missing):
            return w
        return f"{format_number(p.value)}/{format_number(w.value)}"

    def span(code: str, scope: str = "", don_vi: str = "") -> str | Missing:
        """The span a figure covers, as a sentence says it: "từ ngày 01/07/2025 đến ngày
        04/11/2025" — a figure of part of the report's period is never passed off as the
        whole period's."""
        name_of(str(code))
        fact = facts.fact(str(code), str(scope or ""), unit_of(don_vi))
        if fact is None or fact.start is None or fact.end is None:
            return value(code, scope, don_vi) if fact is None else Missing("kỳ của số liệu")
        return f"từ ngày {format_date(fact.start)} đến ngày {format_date(fact.end)}"

    def as_of(code: str, scope: str = "", don_vi: str = "") -> str | Missing:
        """The date a figure runs to ("31/03/2025"), for "Đến ngày …, …"."""
        name_of(str(code))
        fact = facts.fact(str(code), str(scope or ""), unit_of(don_vi))
        if fact is None or fact.end is None:
            return value(code, scope, don_vi) if fact is None else Missing("ngày của số liệu")
        return format_date(fact.end)

    def scopes(code: str, don_vi: str = "") -> list[str]:
        name_of(code)
        return facts.scopes(code, unit_of(don_vi))

    functions = {
        "so": value,
        "co_so": present,
        "tong": total,
        "hieu": difference,
        "ty_le": share,
        "tren": over,
        "phan_to": scopes,
        "ten_phan_to": facts.scope_label,
        "ky_so_lieu": span,
        "den_ngay": as_of,
    }
    try:
        out = _ENV.from_string(text).render(**(context or {}), **functions)
    except PatternError:
        raise
    except (UndefinedError, SecurityError, TypeError, ValueError, ArithmeticError) as error:
        raise PatternError(f"Mẫu câu không chạy được: {error}.") from None
    if len(out) > MAX_OUTPUT:
        raise PatternError(f"Mẫu câu sinh ra quá {MAX_OUTPUT} ký tự.")
    return Rendered(" ".join(out.split()), used, missing)
