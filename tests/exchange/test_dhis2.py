"""Exchange with upper levels: DHIS2 dataValueSets out and in, and the subtree roll-up."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from theodoi.domain.periods import parse_period
from theodoi.exchange.dhis2 import (
    ExchangeError,
    data_value_sets_csv,
    data_value_sets_export,
    data_value_sets_import,
    dhis2_period,
    from_dhis2_period,
    read_data_value_sets,
    rollup,
)
from theodoi.orgs.models import OrgUnit
from theodoi.progress.models import DataValue, Submission
from theodoi.progress.services.submissions import submission_unlock

Q1 = parse_period("2026-Q1")


@pytest.fixture
def coordinator(dataset):
    return get_user_model().objects.get(username="vhxh.tonghop")


@pytest.mark.parametrize(
    ("code", "iso"),
    [("2026-Q1", "2026Q1"), ("2026-03", "202603"), ("2026-H2", "2026S2"), ("2026", "2026")],
)
def test_periods_map_both_ways(code, iso):
    assert dhis2_period(parse_period(code)) == iso
    assert from_dhis2_period(iso) == parse_period(code)


def test_cutoff_and_nine_months_have_no_dhis2_period():
    for code in ("2026-Q1-cutoff", "2026-9M"):
        with pytest.raises(ValueError, match="DHIS2 không có kỳ"):
            dhis2_period(parse_period(code))


def test_export_lists_the_counted_figures_of_the_subtree(coordinator):
    cathai = OrgUnit.objects.get(code="CATHAI")
    document = data_value_sets_export(unit=cathai, period=Q1, user=coordinator)
    stored = DataValue.objects.filter(
        org_unit__path__startswith=cathai.path, period__code="2026-Q1", breakdown=""
    )
    assert len(document["dataValues"]) == stored.count() > 0
    first = document["dataValues"][0]
    assert set(first) >= {"dataElement", "period", "orgUnit", "value", "comment"}
    assert first["period"] == "2026Q1"
    csv_text = data_value_sets_csv(document)
    assert csv_text.startswith("\ufeffdataelement,period,orgunit")
    assert len(read_data_value_sets(csv_text.encode("utf-8"))) == len(document["dataValues"])


def _unlock_zone_q1() -> None:
    """The demo's 2026-Q1 of the zone is approved (locked): a leader reopens it first."""
    leader = get_user_model().objects.get(username="lanhdao")
    submission = Submission.objects.get(org_unit__code="CATHAI", period__code="2026-Q1")
    submission_unlock(submission=submission, user=leader, reason="Nhận lại số liệu cấp dưới")


def test_import_round_trip_changes_exactly_the_edited_value(coordinator):
    cathai = OrgUnit.objects.get(code="CATHAI")
    _unlock_zone_q1()
    document = data_value_sets_export(unit=cathai, period=Q1, user=coordinator)
    edited = next(v for v in document["dataValues"] if v["dataElement"] == "dossiers.received")
    edited["value"] = str(Decimal(edited["value"]) + 7)
    rows = read_data_value_sets(json.dumps(document).encode(), name="q1.json")
    result = data_value_sets_import(rows=rows, user=coordinator, source="q1.json")
    assert result.changed == 1 and result.created == 0
    assert result.unchanged == len(rows) - 1
    value = DataValue.objects.get(
        element__code="dossiers.received", org_unit=cathai, period__code="2026-Q1", breakdown=""
    )
    assert str(value.value.normalize()) == edited["value"]
    assert value.history.first().history_user == coordinator
    again = data_value_sets_import(rows=rows, user=coordinator, source="q1.json")
    assert again.changed == 0 and again.created == 0


def _row(value: str, period: str = "2026Q1", element: str = "dossiers.received") -> dict:
    return {"dataElement": element, "period": period, "orgUnit": "CATHAI", "value": value}


def _approve(unit_code: str, period_code: str) -> None:
    from theodoi.progress.services.periods import period_ensure

    period = period_ensure(period=parse_period(period_code), user=None)
    Submission.objects.update_or_create(
        org_unit=OrgUnit.objects.get(code=unit_code),
        period=period,
        defaults={"state": "approved"},
    )


def test_import_cannot_change_an_approved_quarter(coordinator):
    """The exchange goes through the same lock as the web: a figure of an approved quarter —
    approved in the report of the unit that enters it (the service centre enters the zone's
    dossier figures) — is not changed, nothing is written, and the message says which report
    locks it."""
    _approve("CATHAI-TTHCC", "2026-Q1")
    locked = DataValue.objects.get(
        element__code="dossiers.received", org_unit__code="CATHAI", period__code="2026-Q1"
    )
    wanted = str(locked.value + 1)
    with pytest.raises(ExchangeError) as error:
        data_value_sets_import(rows=[_row(wanted)], user=coordinator, source="q1.json")
    text = " ".join(error.value.problems)
    assert "Dòng 1" in text and "Quý I năm 2026" in text and "khóa" in text
    assert "Trung tâm Phục vụ hành chính công" in text
    locked.refresh_from_db()
    assert str(locked.value) != wanted


def test_import_cannot_write_a_figure_a_unit_entered_and_had_approved(coordinator):
    """An indicator's figure of the zone, entered by its lead office (Phòng VHXH) whose
    report for the quarter is approved, cannot be created or changed by an upper level's
    file, even though the zone's own report is open."""
    _approve("CATHAI-VHXH", "2026-Q2")
    element = "indicator.96/kh-ubnd.PL1.II.3"  # led by Phòng Văn hóa - Xã hội
    with pytest.raises(ExchangeError, match=r"Phòng Văn hóa - Xã hội.*khóa"):
        data_value_sets_import(
            rows=[_row("77", period="2026Q2", element=element)], user=coordinator, source="x"
        )
    assert not DataValue.objects.filter(element__code=element, period__code="2026-Q2").exists()


def test_import_cannot_reach_a_locked_quarter_through_another_name_of_its_dates(coordinator):
    """A month inside the approved quarter is locked too: the lock looks at dates."""
    _approve("CATHAI-TTHCC", "2026-Q1")
    before = DataValue.objects.count()
    with pytest.raises(ExchangeError, match="Quý I năm 2026"):
        data_value_sets_import(rows=[_row("12", period="202602")], user=coordinator, source="x")
    assert DataValue.objects.count() == before


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "không được âm"),
        ("1.5", "phải là số nguyên"),
        ("1e30", "quá lớn"),
        ("101", "vượt quá 100%"),
    ],
)
def test_import_applies_the_value_rules_of_the_element(coordinator, value, message):
    element = "dossiers.online_rate" if value == "101" else "dossiers.received"
    before = DataValue.objects.count()
    with pytest.raises(ExchangeError, match=message):
        data_value_sets_import(
            rows=[_row(value, period="2026Q2", element=element)], user=coordinator, source="x"
        )
    assert DataValue.objects.count() == before


def test_bad_rows_reject_the_whole_file(coordinator):
    before = DataValue.objects.count()
    rows = [
        {"dataElement": "dossiers.received", "period": "2026Q2", "orgUnit": "CATHAI", "value": "5"},
        {"dataElement": "khong.co", "period": "2026Q2", "orgUnit": "CATHAI", "value": "5"},
        {"dataElement": "dossiers.online", "period": "2026Q9", "orgUnit": "XYZ", "value": "năm"},
    ]
    with pytest.raises(ExchangeError) as error:
        data_value_sets_import(rows=rows, user=coordinator, source="sai.csv")
    text = "\n".join(error.value.problems)
    assert "Dòng 2: không có loại số liệu “khong.co”" in text
    assert "Dòng 3: không có đơn vị “XYZ”" in text and "không phải số" in text
    assert DataValue.objects.count() == before


def test_a_reporter_cannot_import_for_the_zone(dataset):
    reporter = get_user_model().objects.get(username="vhxh.baocao")
    rows = [
        {"dataElement": "dossiers.received", "period": "2026Q2", "orgUnit": "CATHAI", "value": "5"}
    ]
    with pytest.raises(ExchangeError, match="không có quyền nhập số liệu trao đổi cho Đặc khu"):
        data_value_sets_import(rows=rows, user=reporter, source="x.json")


def test_dry_run_writes_nothing(coordinator):
    before = DataValue.objects.count()
    rows = [
        {"dataElement": "dossiers.received", "period": "2026Q2", "orgUnit": "CATHAI", "value": "5"}
    ]
    result = data_value_sets_import(rows=rows, user=coordinator, source="x", dry_run=True)
    assert result.created == 1
    assert DataValue.objects.count() == before


def test_broken_json_says_where():
    with pytest.raises(ExchangeError, match="dòng 1"):
        read_data_value_sets(b'{"dataValues": [', name="x.json")


def test_rollup_adds_up_the_subtree(coordinator):
    cathai = OrgUnit.objects.get(code="CATHAI")
    summary = rollup(unit=cathai, period=Q1, user=coordinator)
    received = DataValue.objects.filter(
        element__code="dossiers.received",
        org_unit__path__startswith=cathai.path,
        period__code="2026-Q1",
        breakdown="",
    )
    assert Decimal(summary["figures"]["dossiers.received"]["value"]) == sum(
        v.value for v in received
    )
    assert (
        summary["units_reported"]
        <= summary["units_expected_to_report"] + summary["units_in_subtree"]
    )
    assert summary["units_approved"] > 0
