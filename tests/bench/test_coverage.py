"""``theodoi bench coverage``: the office's reports 001 and 004, generated from their data."""

from __future__ import annotations

import pytest

from theodoi.bench.coverage import EXAMPLES, measure, run
from theodoi.progress.models import DataValue

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.seed for e in EXAMPLES])
def test_every_figure_of_the_office_report_is_stated(dataset, example):
    result = measure(example)
    assert result.total > 30
    assert result.not_stated == []
    assert result.share == 100


def test_the_documents_own_rounding_is_reported_not_copied(dataset):
    """001 writes 78,4% and 1,5% for shares whose counts give 78,34% and 1,58%: the report
    computes them from the counts and the bench lists the two."""
    [first] = [e for e in EXAMPLES if e.seed == "001"]
    result = measure(first)
    wrong = sorted(line.split(" = ")[0] for line in result.document_rounding)
    assert wrong == ["executed.direct_rate", "executed.partial_online_rate"]


def test_a_figure_without_its_value_is_counted_as_not_stated(dataset):
    [annual] = [e for e in EXAMPLES if e.seed == "004"]
    gone = DataValue.objects.filter(
        element__code="certificates.new.individuals", org_unit__code="CATHAI"
    ).delete()[0]
    assert gone
    result = measure(annual)
    assert [line for line in result.not_stated if line.startswith("certificates.new.individuals")]
    assert result.share < 100
    assert "certificates.new.individuals" in result.missing


def test_the_command_prints_each_share_beside_its_target(dataset):
    lines: list[str] = []
    assert run(say=lines.append)
    text = "\n".join(lines)
    assert text.count("(mục tiêu ≥ 90%) đạt") == len(EXAMPLES)
    assert "văn bản làm tròn lệch" in text
