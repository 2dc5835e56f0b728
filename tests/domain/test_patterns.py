"""The pattern language of the report's figure sentences: values, sums, shares computed from
their parts, breakdowns, "x/y", the house style, missing figures said as missing, and errors
that name what is wrong. Expected texts are written from the figures given, by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal as D

import pytest

from theodoi.domain.patterns import (
    Fact,
    HouseStyle,
    PatternError,
    check_pattern,
    render_pattern,
)

NAMES = {
    "dossiers.received": "Hồ sơ tiếp nhận",
    "dossiers.online": "Hồ sơ tiếp nhận trực tuyến",
    "dossiers.direct": "Hồ sơ tiếp nhận trực tiếp",
    "dossiers.overdue": "Hồ sơ quá hạn",
    "procedures.total": "Thủ tục thuộc thẩm quyền",
    "executed.full_online": "Thủ tục thực hiện toàn trình",
    "executed.partial_online": "Thủ tục thực hiện một phần",
    "executed.direct": "Thủ tục thực hiện trực tiếp",
    "steering.working_groups": "Tổ giúp việc",
    "admin_reform.rank": "Xếp hạng cải cách hành chính",
    "admin_reform.units": "Số đơn vị được xếp hạng",
    "vneid.residents_rate": "Tỷ lệ người dân có tài khoản",
}


UNITS = {"TTHCC": "Trung tâm Phục vụ hành chính công"}


@dataclass
class FakeFacts:
    values: dict[tuple[str, str], D] = field(default_factory=dict)
    illustrative: set[str] = field(default_factory=set)
    of_units: dict[tuple[str, str], D] = field(default_factory=dict)  # (unit, code)

    spans: dict[str, tuple[dt.date, dt.date]] = field(default_factory=dict)

    def fact(self, code: str, scope: str = "", unit: str = "") -> Fact | None:
        value = self.of_units.get((unit, code)) if unit else self.values.get((code, scope))
        if value is None:
            return None
        kind = "percent" if code.endswith("_rate") else "count"
        start, end = self.spans.get(code, (None, None))
        return Fact(
            code,
            NAMES[code],
            value,
            value_type=kind,
            scope=scope,
            illustrative=code in self.illustrative,
            start=start,
            end=end,
        )

    def name(self, code: str) -> str | None:
        return NAMES.get(code)

    def scopes(self, code: str, unit: str = "") -> list[str]:
        return sorted(s for c, s in self.values if c == code and s)

    def unit_name(self, unit: str) -> str | None:
        return UNITS.get(unit)

    def scope_label(self, scope: str) -> str:
        return {"city": "Hệ thống của thành phố", "ministries": "Các hệ thống của bộ, ngành"}[scope]


def facts(**values) -> FakeFacts:
    return FakeFacts({(k.replace("__", "."), ""): D(v) for k, v in values.items()})


def test_values_print_the_vietnamese_way():
    out = render_pattern(
        "Tiếp nhận {{ so('dossiers.received') }} hồ sơ.",
        facts=facts(dossiers__received="5092"),
    )
    assert out.text == "Tiếp nhận 5.092 hồ sơ."
    assert [f.code for f in out.used] == ["dossiers.received"] and out.missing == []


def test_a_share_is_computed_from_its_parts_rounded_half_up_to_the_house_places():
    # 1.045 / 5.203 = 20,0846…% → 20,1%; 4.076 / 5.203 = 78,339…% → 78,3%; 82 / 5.203 = 1,576…%
    data = facts(
        executed__full_online="1045", executed__partial_online="4076", executed__direct="82"
    )
    text = (
        "toàn trình {{ ty_le('executed.full_online', tong('executed.full_online', "
        "'executed.partial_online', 'executed.direct')) }}, trực tiếp {{ ty_le('executed.direct', "
        "tong('executed.full_online', 'executed.partial_online', 'executed.direct')) }}"
    )
    assert render_pattern(text, facts=data).text == "toàn trình 20,1%, trực tiếp 1,6%"
    two = render_pattern(text, facts=data, style=HouseStyle(share_places=2)).text
    assert two == "toàn trình 20,08%, trực tiếp 1,58%"


def test_half_up_not_bankers_rounding():
    # 1 / 8 = 12,5% exactly → with no decimal place, half up gives 13%, not 12%.
    data = facts(dossiers__online="1", dossiers__received="8")
    out = render_pattern(
        "{{ ty_le('dossiers.online', 'dossiers.received') }}",
        facts=data,
        style=HouseStyle(share_places=0),
    )
    assert out.text == "13%"


def test_sums_differences_and_x_over_y():
    data = facts(
        dossiers__online="5010",
        dossiers__direct="82",
        admin_reform__rank="5",
        admin_reform__units="114",
    )
    out = render_pattern(
        "{{ tong('dossiers.online', 'dossiers.direct') }} hồ sơ, chênh lệch "
        "{{ hieu('dossiers.online', 'dossiers.direct') }}; xếp thứ "
        "{{ tren('admin_reform.rank', 'admin_reform.units') }}",
        facts=data,
    )
    assert out.text == "5.092 hồ sơ, chênh lệch 4.928; xếp thứ 5/114"


def test_house_style_zero_as_khong_and_leading_zeros():
    data = facts(dossiers__overdue="0", steering__working_groups="2")
    out = render_pattern(
        "Số hồ sơ quá hạn: {{ so('dossiers.overdue')|khong }}; thành lập "
        "{{ so('steering.working_groups') }} Tổ giúp việc.",
        facts=data,
    )
    assert out.text == "Số hồ sơ quá hạn: Không; thành lập 02 Tổ giúp việc."
    plain = render_pattern(
        "{{ so('steering.working_groups') }}", facts=data, style=HouseStyle(pad_counts=False)
    )
    assert plain.text == "2"


def test_a_percentage_element_prints_with_its_sign_and_decimals():
    out = render_pattern(
        "{{ so('vneid.residents_rate') }}", facts=facts(vneid__residents_rate="73.4")
    )
    assert out.text == "73,4%"


def test_a_missing_figure_is_said_missing_never_zero():
    out = render_pattern(
        "Tiếp nhận {{ so('dossiers.received') }} hồ sơ, trực tuyến {{ ty_le('dossiers.online', "
        "'dossiers.received') }}.",
        facts=facts(dossiers__online="10"),
    )
    assert out.text == (
        "Tiếp nhận [chưa có số liệu: Hồ sơ tiếp nhận] hồ sơ, trực tuyến "
        "[chưa có số liệu: Hồ sơ tiếp nhận]."
    )
    assert out.missing == [("dossiers.received", "Hồ sơ tiếp nhận")]
    assert "0" not in out.text


def test_breakdowns_per_system():
    data = FakeFacts(
        {
            ("dossiers.received", ""): D(5092),
            ("dossiers.received", "city"): D(4000),
            ("dossiers.received", "ministries"): D(1092),
        }
    )
    out = render_pattern(
        "{% for pt in phan_to('dossiers.received') %}{{ ten_phan_to(pt) }}: "
        "{{ so('dossiers.received', pt) }} hồ sơ; {% endfor %}",
        facts=data,
    )
    assert out.text == (
        "Hệ thống của thành phố: 4.000 hồ sơ; Các hệ thống của bộ, ngành: 1.092 hồ sơ;"
    )


def test_illustrative_figures_are_flagged():
    data = facts(dossiers__received="5")
    data.illustrative.add("dossiers.received")
    assert render_pattern("{{ so('dossiers.received') }}", facts=data).illustrative


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        ("{{ so('khong.co') }}", "mã “khong.co”"),
        ("{{ so('dossiers.received' }}", "sai cú pháp ở dòng 1"),
        ("{{ xoa_het() }}", "“xoa_het”"),
        ("{{ so('dossiers.received').__class__ }}", "không được phép"),
        ("{{ ''.__class__.__mro__ }}", "không được phép"),
        ("{{ so('dossiers.received')|khong_co_bo_loc }}", "bộ lọc “khong_co_bo_loc”"),
    ],
)
def test_errors_name_what_is_wrong(pattern, words):
    with pytest.raises(PatternError, match=words):
        render_pattern(pattern, facts=facts(dossiers__received="1"))
    assert check_pattern(pattern, known=lambda code: code in NAMES)


def test_a_sound_pattern_has_no_problem():
    assert (
        check_pattern(
            "{{ so('dossiers.received') }} {% for p in phan_to('dossiers.received') %}{{ p }}"
            "{% endfor %} {{ ky }}",
            known=lambda code: code in NAMES,
        )
        == []
    )


def test_a_pattern_cannot_run_away():
    with pytest.raises(PatternError):
        render_pattern("{% for i in range(10**9) %}x{% endfor %}", facts=facts())


def test_a_figure_of_a_unit_below_is_cited_by_its_code_and_named_when_missing():
    data = FakeFacts(of_units={("TTHCC", "steering.working_groups"): D(2)})
    out = render_pattern(
        "{{ so('steering.working_groups', don_vi='TTHCC') }} tổ; "
        "{{ so('dossiers.received', don_vi='TTHCC') }} hồ sơ",
        facts=data,
    )
    assert out.text == (
        "02 tổ; [chưa có số liệu: Hồ sơ tiếp nhận của Trung tâm Phục vụ hành chính công] hồ sơ"
    )
    with pytest.raises(PatternError, match="đơn vị mã “KHAC”: không phải đơn vị trực thuộc"):
        render_pattern("{{ so('dossiers.received', don_vi='KHAC') }}", facts=data)


def test_a_sentence_opens_with_the_period_capitalised_but_nothing_else_changed():
    out = render_pattern(
        "{{ trong_ky|hoa_dau }}, đã ban hành.", facts=facts(), context={"trong_ky": "trong quý I"}
    )
    assert out.text == "Trong quý I, đã ban hành."


def test_a_share_may_keep_the_places_the_office_writes_it_with():
    data = facts(dossiers__online="5010", dossiers__received="5092")
    text = "{{ ty_le('dossiers.online', 'dossiers.received', 2) }}; {{ ty_le(29, 52, 0) }}"
    # 5010/5092 = 98,3896…%; 29/52 = 55,77% (the office's "chiếm 56%")
    assert render_pattern(text, facts=data).text == "98,39%; 56%"
    with pytest.raises(PatternError, match="từ 0 đến 4"):
        render_pattern("{{ ty_le(1, 2, 9) }}", facts=data)


def test_a_figure_of_part_of_the_period_states_its_own_span():
    data = facts(dossiers__received="5092")
    data.spans["dossiers.received"] = (dt.date(2025, 7, 1), dt.date(2025, 11, 4))
    out = render_pattern(
        "Kết quả {{ ky_so_lieu('dossiers.received') }}: {{ so('dossiers.received') }} hồ sơ; "
        "{{ ky_so_lieu('dossiers.online') }}; đến ngày {{ den_ngay('dossiers.received') }}",
        facts=data,
    )
    assert out.text == (
        "Kết quả từ ngày 01/07/2025 đến ngày 04/11/2025: 5.092 hồ sơ; "
        "[chưa có số liệu: Hồ sơ tiếp nhận trực tuyến]; đến ngày 04/11/2025"
    )
