"""A roll-up's figures, reporting and plan count come from the cache only while nothing they
depend on has changed: every write that changes them — through the ORM, a bulk ``update()``
or raw SQL — sets a new stamp on the units it affects (database triggers,
progress/freshness.py), and the cached part is keyed by the subtree's stamps. The oracle is
the same roll-up computed with the cache emptied."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.progress.test_freshness import _levels
from theodoi.documents.models import Document
from theodoi.domain.periods import parse_period
from theodoi.orgs.models import OrgUnit
from theodoi.orgs.services import org_unit_create
from theodoi.plans.models import Plan, Task
from theodoi.progress.models import DataElement, DataValue, Submission, UnitStamp, UpdateState
from theodoi.progress.services.summaries import rollup_fresh

pytestmark = pytest.mark.django_db(transaction=False)

Q1 = parse_period("2026-Q1")


def _answers():
    return [rollup_fresh(unit=unit, period=Q1, user=None) for unit in _levels()]


def _uncached():
    cache.clear()
    return _answers()


def _element(code="STAMP_TEST"):
    return DataElement.objects.create(code=code, name="Số liệu thử dấu thay đổi", unit="cái")


def _figure(**fields):
    from django.contrib.auth import get_user_model

    someone = get_user_model().objects.get(username="lanhdao")
    return DataValue.objects.create(entered_by=someone, **fields)


def _check(before, field):
    """The answers after a write: what the emptied cache gives, and ``field`` changed at every
    level (``field`` picks the part of an answer the write changes)."""
    after = _answers()
    assert after == _uncached()
    for old, new, unit in zip(before, after, _levels(), strict=True):
        assert field(old) != field(new), unit.code
    return after


def test_a_second_read_takes_the_figures_from_the_cache(summarised):
    _answers()
    with CaptureQueriesContext(connection) as queries:
        again = _answers()
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "progress_datavalue" not in read and "progress_submission" not in read
    assert again == _uncached()


def test_a_figure_written_deleted_or_changed_in_raw_sql_is_seen(summarised):
    before = _answers()
    element = _element()
    value = _figure(element=element, org_unit=_levels()[0], period=summarised, value=Decimal("7"))
    middle = _check(before, lambda a: a["figures"].get("STAMP_TEST"))
    assert middle[1]["figures"]["STAMP_TEST"]["value"] == Decimal("7")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE progress_datavalue SET value = 9 WHERE id = %s", [value.pk])
    later = _check(middle, lambda a: a["figures"]["STAMP_TEST"]["value"])
    DataValue.objects.filter(pk=value.pk).delete()
    _check(later, lambda a: a["figures"].get("STAMP_TEST"))


def test_a_report_sent_or_approved_changes_who_reported_and_what_counts(summarised):
    commune = _levels()[0]
    element = _element()
    _figure(
        element=element,
        org_unit=commune,
        period=summarised,
        value=Decimal("5"),
        reporting_unit=commune,
    )
    Submission.objects.filter(org_unit=commune, period=summarised).delete()
    before = _answers()
    # not counted while the commune's report is not approved
    assert "STAMP_TEST" not in before[1]["figures"]
    submission = Submission.objects.create(
        org_unit=commune, period=summarised, state=UpdateState.SUBMITTED
    )
    middle = _check(before, lambda a: a["reporting"]["units_reported"])
    Submission.objects.filter(pk=submission.pk).update(state=UpdateState.APPROVED)
    after = _check(middle, lambda a: a["figures"].get("STAMP_TEST"))
    assert after[2]["figures"]["STAMP_TEST"]["value"] == Decimal("5")


def test_a_plan_added_and_a_lead_unit_changed_are_seen(summarised, dataset):
    commune = _levels()[0]
    before = _answers()
    document = Document.objects.create(key="thu-dau-thay-doi", doc_type="KH")
    Plan.objects.create(document=document, owner_unit=commune, title="Kế hoạch thử")
    middle = _check(before, lambda a: a["computed"]["plans"])
    quiet = (
        OrgUnit.objects.filter(path__startswith=commune.path)
        .exclude(led_tasks__isnull=False)
        .exclude(led_indicators__isnull=False)
        .exclude(pk=commune.pk)
        .first()
    )
    if quiet is None:
        pytest.skip("every unit of the zone leads something")
    task = Task.objects.filter(plan=dataset).first()
    Task.objects.filter(pk=task.pk).update(lead_unit=quiet)
    _check(middle, lambda a: a["reporting"]["units_expected_to_report"])


def test_a_unit_added_and_an_element_renamed_are_seen(summarised):
    commune = _levels()[0]
    before = _answers()
    org_unit_create(code="THUDAU", name="Đơn vị thử", kind=commune.kind, parent=commune, user=None)
    middle = _check(before, lambda a: a["reporting"]["units_in_subtree"])
    figure = DataValue.objects.filter(
        org_unit__path__startswith=commune.path, period=summarised, reporting_unit__isnull=True
    ).first()
    if figure is None:
        pytest.skip("no figure of the zone counted in 2026-Q1")
    DataElement.objects.filter(pk=figure.element_id).update(code="DOI_MA_THU")
    _check(middle, lambda a: sorted(a["figures"]))


def test_a_change_rolled_back_leaves_no_answer_behind(summarised):
    """A write read inside a transaction that is rolled back, then another write: the second
    read is not the first one's cached answer (stamps are random, not counters)."""
    commune = _levels()[0]
    element = _element()
    _answers()

    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        _figure(element=element, org_unit=commune, period=summarised, value=1)
        assert _answers()[1]["figures"]["STAMP_TEST"]["value"] == 1
        raise Undone
    _figure(element=element, org_unit=commune, period=summarised, value=2)
    assert _answers()[1]["figures"]["STAMP_TEST"]["value"] == 2


def test_a_source_document_renamed_stamps_the_units_whose_figures_it_is_the_source_of(
    summarised,
):
    """A figure's provenance names its source document (type, symbol, date): a kept page
    showing the figure is keyed by its unit's stamp, which the correction must change."""
    from theodoi.orgs.selectors import subtree
    from theodoi.progress.selectors.rollup import units_stamp

    cited = DataValue.objects.filter(source_document__isnull=False).first()
    if cited is None:
        pytest.skip("no figure with a source document in the dataset")
    unit = cited.org_unit
    # a unit neither above nor under it
    elsewhere = next(
        u
        for u in OrgUnit.objects.order_by("path")
        if not unit.path.startswith(u.path) and not u.path.startswith(unit.path)
    )
    before = units_stamp(subtree(unit)), units_stamp(subtree(elsewhere))
    Document.objects.filter(pk=cited.source_document_id).update(symbol="99/BC-THU")
    after = units_stamp(subtree(unit)), units_stamp(subtree(elsewhere))
    assert after[0] != before[0] and after[1] == before[1]
    Document.objects.filter(pk=cited.source_document_id).update(subject="Trích yếu khác")
    assert units_stamp(subtree(unit)) == after[0]


def test_every_unit_has_a_stamp_and_every_table_its_trigger(summarised):
    from theodoi.progress import freshness

    assert set(UnitStamp.objects.values_list("unit_id", flat=True)) >= set(
        OrgUnit.objects.values_list("pk", flat=True)
    )
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        names = {row[0] for row in cursor.fetchall()}
    for table in [*freshness.UNITS_OF, *freshness.EVERY_UNIT]:
        assert any(name.startswith(f"{table}_stamp_") for name in names), table
