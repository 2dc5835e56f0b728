"""The figure grid: beside each cell the last period's value, the same period last year and
the target of the milestone that applies; the change; a warning (never a refusal) when the
value is unusual for the unit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.web.test_views import TTHCC, VHXH, login, unit
from theodoi.domain.periods import parse_period
from theodoi.progress.selectors.entry import entry_elements
from theodoi.progress.services.periods import period_ensure
from theodoi.progress.services.values import data_value_save

pytestmark = pytest.mark.django_db


def _count_entry():
    # the service centre enters counts of dossiers
    return next(e for e in entry_elements(unit=unit(TTHCC)) if e.element.value_type == "count")


def _store(entry, code, value):
    data_value_save(
        element=entry.element,
        area=entry.area,
        unit=unit(TTHCC),
        period=period_ensure(period=parse_period(code), user=None),
        value=Decimal(value),
        user=get_user_model().objects.get(username="tthcc.baocao"),
    )


def test_the_grid_shows_last_period_last_year_the_change_and_unusual_values(dataset):
    entry = _count_entry()
    _store(entry, "2025-Q1", "100")
    _store(entry, "2025-Q4", "120")
    name = f"v-{entry.element.id}-{entry.area.id}"
    reporter = login("tthcc.baocao")
    page = reporter.get(reverse("web:progress_unit", args=[TTHCC, "2026-Q1"]))
    row = next(f for f in page.context["figures"] if f["name"] == name)
    assert row["context"].previous.value == Decimal("120")
    assert row["context"].last_year.value == Decimal("100")
    html = page.content.decode()
    assert "Cùng kỳ năm trước" in html and "data-figure-grid" in html
    url = reverse("web:progress_figures", args=[TTHCC, "2026-Q1"])

    def checked(text):
        answer = reporter.post(url, {name: text}, HTTP_HX_REQUEST="true")
        return next(f for f in answer.context["figures"] if f["name"] == name), answer

    calm, _ = checked("126")
    assert calm["change"] == "+6 (+5%)" and calm["warning"] == ""
    jump, answer = checked("400")
    assert jump["warning"].startswith("Tăng 233,33% so với kỳ trước (120)")
    assert jump["warning"] in answer.content.decode()
    # a warning, not a refusal: it saves
    assert reporter.post(url, {name: "400", "action": "save"}).status_code == 302


def test_the_target_of_the_milestone_that_applies_is_beside_its_figure(dataset):
    entries = [e for e in entry_elements(unit=unit(VHXH)) if e.indicators]
    reporter = login("vhxh.baocao")
    page = reporter.get(reverse("web:progress_unit", args=[VHXH, "2026-Q1"]))
    rows = [f for f in page.context["figures"] if f["context"] and f["context"].targets]
    assert entries and rows
    for row in rows:
        for text in row["context"].targets:
            code, _, rest = text.partition(" — ")
            year = int(rest.split(":")[0])
            assert year >= 2026 and code in {i.code for i in row["entry"].indicators}


def test_the_grid_is_grouped_by_the_plans_field_of_work(dataset):
    from theodoi.plans.models import Indicator

    reporter = login("vhxh.baocao")
    page = reporter.get(reverse("web:progress_unit", args=[VHXH, "2026-Q1"]))
    figures = page.context["figures"]
    headings = [f["group"] for f in figures]
    # each group is one run of rows (a heading shown once), "Số liệu khác" last
    runs = [h for i, h in enumerate(headings) if i == 0 or headings[i - 1] != h]
    assert len(runs) == len(set(runs)) >= 2
    assert "Số liệu khác" not in runs[:-1]
    for row in figures:
        element = row["entry"].element
        used = Indicator.objects.filter(data_element=element).select_related("group")
        groups = {f"{i.group.code}. {i.group.title}" for i in used if i.group}
        if row["entry"].indicators or groups:
            assert row["group"] != "Số liệu khác"
        if row["entry"].indicators and row["entry"].indicators[0].group:
            group = row["entry"].indicators[0].group
            assert row["group"] == f"{group.code}. {group.title}"
    html = page.content.decode()
    assert html.count("data-group") == len(runs)


def test_each_right_cell_is_saved_as_it_is_typed_a_wrong_one_waits(dataset):
    from theodoi.progress.models import DataValue

    entries = [e for e in entry_elements(unit=unit(TTHCC)) if e.element.value_type == "count"]
    good, bad = entries[0], entries[1]
    names = {e: f"v-{e.element.id}-{e.area.id}" for e in (good, bad)}
    reporter = login("tthcc.baocao")
    url = reverse("web:progress_figures", args=[TTHCC, "2026-Q1"])
    answer = reporter.post(
        url,
        {names[good]: "1.234", names[bad]: "-3", "action": "autosave"},
        HTTP_HX_REQUEST="true",
    )
    page = answer.content.decode()
    assert "Đã tự lưu 1 ô" in page and "ô có lỗi chưa được lưu" in page
    assert "data-saved" not in page  # the page still holds an unsaved cell
    stored = DataValue.objects.get(element=good.element, org_unit=good.area, period__code="2026-Q1")
    assert stored.value == Decimal("1234") and stored.entered_by.username == "tthcc.baocao"
    assert stored.history.first().history_user.username == "tthcc.baocao"
    # a check (no action) never writes; autosave without the page's script is refused too
    reporter.post(url, {names[good]: "999"}, HTTP_HX_REQUEST="true")
    reporter.post(url, {names[good]: "998", "action": "autosave"})
    stored.refresh_from_db()
    assert stored.value == Decimal("1234")


def test_an_illustrative_earlier_value_is_marked_as_such(dataset):
    page = login("tthcc.baocao").get(reverse("web:progress_unit", args=[TTHCC, "2026-Q1"]))
    rows = [f for f in page.context["figures"] if f["context"] and f["context"].previous]
    illustrative = [f for f in rows if f["context"].previous.is_illustrative]
    assert illustrative, "the demo's earlier figures of the centre are illustrative"
    html = page.content.decode()
    assert html.count('text-bg-warning">minh họa</span>') >= len(illustrative)
    for row in illustrative:
        if row["warning"]:
            assert row["warning"].endswith("(Số kỳ trước là dữ liệu minh họa.)")
