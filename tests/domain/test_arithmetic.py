from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from tests import invented
from tests.conftest import seed_text
from theodoi.domain.arithmetic import check_document, rounds_to
from theodoi.domain.figures import FigureReader
from theodoi.domain.reading import Reading


def _check(text):
    reading = Reading(text)
    return check_document(reading, FigureReader(reading).figures())


def test_rounding_to_stated_places_is_right_and_truncation_is_not():
    assert rounds_to(Decimal("55.769"), Decimal(56), 0)
    assert rounds_to(Decimal("98.3896"), Decimal("98.39"), 2)
    assert rounds_to(Decimal("20.084"), Decimal("20.1"), 1)
    assert not rounds_to(Decimal("1.576"), Decimal("1.5"), 1)  # cut, not rounded
    assert not rounds_to(Decimal("78.339"), Decimal("78.4"), 1)


@pytest.mark.seeds
def test_seed_001_reports_its_two_inconsistent_shares_and_nothing_else():
    # 001:361–367: 1.045 + 4.076 + 82 = 5.203; 4.076/5.203 = 78,34% written 78,4%;
    # 82/5.203 = 1,58% written 1,5%; 1.045/5.203 = 20,08% written 20,1% is right, and so are
    # 98,39% (5.010/5.092), 56% (29/52), 44% (23/52) and every sum of parts.
    findings = _check(seed_text("001"))
    assert [(f.kind, f.line, f.stated) for f in findings] == [
        ("share_mismatch", 367, Decimal("78.4")),
        ("share_mismatch", 367, Decimal("1.5")),
    ]
    assert abs(findings[0].computed - Decimal(4076) / 5203 * 100) < Decimal("0.0001")
    assert any("78,4%" in q for q in findings[0].quotes)
    assert any("4.076" in q for q in findings[0].quotes)


@pytest.mark.seeds
def test_seed_004_is_consistent():
    assert _check(seed_text("004")) == []


def test_parts_against_a_stated_total():
    text = (
        "- Tổng số hồ sơ tiếp nhận: 100 hồ sơ, trong đó:\n"
        "+ Số hồ sơ trực tuyến: 70 hồ sơ;\n"
        "+ Số hồ sơ trực tiếp: 20 hồ sơ.\n"
    )
    findings = _check(text)
    assert [(f.kind, f.stated, f.computed) for f in findings] == [
        ("total_mismatch", Decimal(100), Decimal(90))
    ]
    assert _check(text.replace("20 hồ sơ", "30 hồ sơ")) == []


def test_x_of_y_with_percentage():
    assert _check("Hoàn thành 3/7 chỉ tiêu (đạt 43%).") == []
    findings = _check("Hoàn thành 3/7 chỉ tiêu (đạt 42%).")
    assert [(f.kind, f.stated) for f in findings] == [("ratio_mismatch", Decimal(42))]


HELDOUT = Path(__file__).resolve().parents[1] / "data" / "extraction" / "heldout"


@pytest.mark.parametrize("key_path", sorted(HELDOUT.glob("*.yaml")), ids=lambda p: p.stem)
def test_only_the_planted_mistakes_are_found(key_path):
    key = yaml.safe_load(key_path.read_text(encoding="utf-8"))
    findings = _check((HELDOUT / key["source"]).read_text(encoding="utf-8"))
    planted = key.get("arithmetic_errors") or []
    assert [(f.line, f.stated) for f in findings] == [
        (e["line"], Decimal(str(e["stated"]))) for e in planted
    ]


PLANTED = [p for p in sorted(HELDOUT.glob("*.yaml")) if "arithmetic_errors" in p.read_text("utf-8")]


@pytest.mark.parametrize("key_path", PLANTED, ids=lambda p: p.stem)
def test_a_planted_share_is_reported_with_the_share_its_counts_give_and_their_quotes(key_path):
    # As seed 001's two wrong shares: the finding says what the counts give and quotes both.
    key = yaml.safe_load(key_path.read_text(encoding="utf-8"))
    findings = _check((HELDOUT / key["source"]).read_text(encoding="utf-8"))
    assert len(findings) == len(key["arithmetic_errors"]) > 0
    for finding, planted in zip(findings, key["arithmetic_errors"], strict=True):
        stated = str(planted["stated"]).replace(".", ",")
        assert finding.kind == "share_mismatch"
        assert abs(finding.computed - Decimal(str(planted["computed"]))) < Decimal("0.01")
        assert any(f"{stated}%" in q for q in finding.quotes), finding.quotes
        assert len(finding.quotes) >= 2  # the share and the counts it should come from


@pytest.mark.parametrize(
    ("path", "changed", "into"),
    [
        (invented.OCR_REPORT, "truc tiép 68 hé so", "truc tiép 86 hé so"),
        (invented.REPORT_WITHOUT_NUMBER, "(đạt 56%)", "(đạt 65%)"),
        (invented.OCR_PLAN, None, None),
    ],
    ids=lambda p: getattr(p, "stem", None),
)
def test_an_invented_document_whose_figures_agree_has_no_finding(path, changed, into):
    # As seed 004: OCR'd, with totals, parts and shares that agree; one count changed and the
    # check speaks.
    text = invented.text(path)
    assert _check(text) == []
    if changed:
        assert changed in text
        line = text[: text.index(changed)].count("\n") + 1
        assert [f.line for f in _check(text.replace(changed, into))] == [line]
