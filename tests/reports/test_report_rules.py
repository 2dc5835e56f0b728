"""A report never prints figures that break a validation rule without saying so."""

from __future__ import annotations

from decimal import Decimal

from theodoi.domain.periods import parse_period
from theodoi.orgs.models import OrgUnit
from theodoi.progress.models import DataElement, DataValue
from theodoi.progress.services.periods import period_ensure
from theodoi.reports.services import report_build

Q2 = parse_period("2026-Q2")


def store(values: dict[str, int], user) -> None:
    period = period_ensure(period=Q2, user=None)
    cathai = OrgUnit.objects.get(code="CATHAI")
    for code, value in values.items():
        DataValue.objects.create(
            element=DataElement.objects.get(code=code),
            org_unit=cathai,
            period=period,
            value=Decimal(value),
            entered_by=user,
        )


def tthc(dataset) -> dict:
    """The block of the report that states the dossier figures."""
    cathai = OrgUnit.objects.get(code="CATHAI")
    snapshot = report_build(unit=cathai, period=Q2, plans=[dataset], user=None)
    return next(
        block
        for section in snapshot["sections"]
        for block in section["blocks"]
        if any(f["code"] == "dossiers.received" for f in block["figures"])
    )


def test_inconsistent_dossier_figures_are_flagged_in_the_report(dataset, loader_user):
    online, direct, received = 1300, 150, 1500  # 1.450 ≠ 1.500
    store(
        {"dossiers.received": received, "dossiers.online": online, "dossiers.direct": direct},
        loader_user,
    )
    block = tthc(dataset)
    assert block["violations"]
    note = block["paragraphs"][-1]
    assert note.startswith("Lưu ý: số liệu trên chưa khớp nhau")
    assert "1.450" in note and "1.500" in note


def test_consistent_figures_carry_no_warning(dataset, loader_user):
    store({"dossiers.received": 1500, "dossiers.online": 1350, "dossiers.direct": 150}, loader_user)
    block = tthc(dataset)
    assert block["violations"] == []
    assert not any("chưa khớp" in p for p in block["paragraphs"])
