"""Review before it counts: figures extracted from report 276/BC-UBND wait in the queue; an
accepted one becomes a data value quoting its document, line and text; nothing else does."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from tests import invented
from tests.archive import extracted as ex
from tests.conftest import seed_text
from theodoi.archive.models import ExtractedFigure, FigureStatus
from theodoi.archive.review import (
    extracted_figure_accept,
    extracted_figure_reject,
    extraction_queue,
)
from theodoi.archive.selectors import review_queue
from theodoi.archive.services import document_ingest
from theodoi.domain.periods import custom, parse_period
from theodoi.orgs.models import Membership, OrgUnit
from theodoi.progress.models import DataElement, DataValue, Submission, UpdateState
from theodoi.progress.selectors.tasks import counted_values
from theodoi.progress.services.periods import period_ensure


def user(username: str):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def document(dataset):
    return ex.report_276()


@pytest.fixture
def coordinator(dataset):
    """Phòng VHXH's coordinator, who coordinates the reporting of the whole zone (CATHAI)."""
    return user("vhxh.tonghop")


def queued(document, figure) -> ExtractedFigure:
    extraction_queue(document=document, figures=[figure], user=None)
    return ExtractedFigure.objects.get(document=document, line=figure.line, value=figure.value)


def zone_period(document):
    """The period a figure stated without a range covers: 1 January to the report's date."""
    end = document.issued_on
    return period_ensure(period=custom(dt.date(end.year, 1, 1), end), user=None)


@pytest.mark.seeds
def test_the_test_figures_quote_their_seed_lines_verbatim():
    lines = seed_text("004").splitlines()
    for figure in [*ex.ALL, ex.CERTIFICATES]:
        assert figure.quote in lines[figure.line - 1], figure


def test_a_figure_read_from_an_invented_ocr_report_is_accepted_with_its_line_and_quote(
    dataset, django_user_model, loader_user
):
    # From the file to a counted value, on a document the project owns: the quote accepted is
    # the text of the line it names.
    commune = invented.commune_create()
    coordinator = django_user_model.objects.create_user("hyx.tonghop", password="hyx-th-2026")
    Membership.objects.create(user=coordinator, org_unit=commune, role="coordinator")
    report = document_ingest(path=invented.OCR_REPORT, user=loader_user).document
    figure = ExtractedFigure.objects.get(
        document=report, element_code="community_tech_team.members"
    )

    value = extracted_figure_accept(figure=figure, user=coordinator)

    lines = invented.text(invented.OCR_REPORT).split("\n")
    assert (value.value, value.org_unit, value.source_document) == (97, commune, report)
    assert value.source_line == 25 and value.source_quote
    assert value.source_quote in lines[value.source_line - 1]
    assert (value.period.start, value.period.end) == (dt.date(2025, 1, 1), dt.date(2025, 11, 28))
    assert counted_values(DataValue.objects.filter(pk=value.pk)).exists()
    assert value.history.latest().history_user == coordinator


def test_queueing_stores_pending_figures_with_the_issuer_as_unit(document):
    added = extraction_queue(document=document, figures=ex.ALL, user=None)
    figures = ExtractedFigure.objects.filter(document=document)
    # MEMBERS_AGAIN restates MEMBERS (same element, value and period): queued once.
    assert added == len(ex.ALL) - 1 == figures.count()
    assert set(figures.values_list("status", flat=True)) == {FigureStatus.PENDING}
    assert {f.org_unit for f in figures} == {document.issuer_unit}
    unknown = figures.get(element_code=ex.SESSIONS.element)
    assert unknown.element is None  # not in the catalogue: only re-coding or rejecting
    known = figures.get(line=ex.IT_CAPABLE.line)
    assert known.element.code == ex.IT_CAPABLE.element and known.quote == ex.IT_CAPABLE.quote
    assert known.history.latest().history_change_reason.startswith("Trích số liệu từ văn bản")


def test_queueing_again_adds_nothing_and_never_touches_reviewed_figures(document, coordinator):
    extraction_queue(document=document, figures=ex.ALL, user=None)
    accepted = ExtractedFigure.objects.get(document=document, line=ex.IT_CAPABLE.line)
    rejected = ExtractedFigure.objects.get(document=document, line=ex.CONTEST.line)
    extracted_figure_accept(figure=accepted, user=coordinator)
    extracted_figure_reject(figure=rejected, user=coordinator, note="Số đã có trong bộ dữ liệu.")
    history_before = {f.pk: f.history.count() for f in ExtractedFigure.objects.all()}
    # The extractor reads the document again, with a slightly different quote each time.
    again = [dataclasses.replace(f, quote=f.quote + " …") for f in ex.ALL]

    assert extraction_queue(document=document, figures=again, user=None) == 0

    # MEMBERS_AGAIN repeats MEMBERS (004:336 restates 004:244): one statement, one figure.
    assert ExtractedFigure.objects.filter(document=document).count() == len(ex.ALL) - 1
    accepted.refresh_from_db()
    rejected.refresh_from_db()
    assert accepted.quote == ex.IT_CAPABLE.quote and accepted.status == FigureStatus.ACCEPTED
    assert rejected.quote == ex.CONTEST.quote and rejected.status == FigureStatus.REJECTED
    assert accepted.history.count() == history_before[accepted.pk]
    assert rejected.history.count() == history_before[rejected.pk]
    pending = ExtractedFigure.objects.get(document=document, element_code=ex.MEMBERS.element)
    assert pending.quote.endswith(" …")  # a pending one takes the new reading


def test_pending_figures_count_nowhere(document):
    element = DataElement.objects.get(code=ex.INDICATOR_ELEMENT)
    before = list(counted_values(DataValue.objects.filter(element=element)))
    extraction_queue(document=document, figures=ex.ALL, user=None)
    assert list(counted_values(DataValue.objects.filter(element=element))) == before


def test_accept_creates_a_counted_value_with_document_line_and_quote(document, coordinator):
    figure = queued(document, ex.IT_CAPABLE)
    period = zone_period(document)
    assert not DataValue.objects.filter(element__code=ex.IT_CAPABLE.element, period=period)

    value = extracted_figure_accept(figure=figure, user=coordinator)

    assert value.element.code == ex.IT_CAPABLE.element
    assert value.org_unit == document.issuer_unit and value.period == period
    assert value.value == ex.IT_CAPABLE.value and value.breakdown == ""
    assert value.source_document == document
    assert value.source_line == ex.IT_CAPABLE.line and value.source_quote == ex.IT_CAPABLE.quote
    assert document.symbol in value.comment
    assert value.entered_by is None and not value.is_illustrative
    assert counted_values(DataValue.objects.filter(pk=value.pk)).exists()
    record = value.history.latest()
    assert record.history_change_reason.startswith("Nhận số liệu trích từ văn bản")
    assert record.history_user == coordinator
    figure.refresh_from_db()
    assert figure.status == FigureStatus.ACCEPTED and figure.data_value == value
    assert figure.reviewed_by == coordinator and figure.reviewed_at is not None
    assert figure.history.latest().history_user == coordinator


def test_a_stated_range_is_kept_and_an_open_start_runs_from_1_january(document, coordinator):
    stated = extracted_figure_accept(figure=queued(document, ex.CERTIFICATES), user=coordinator)
    assert (stated.period.start, stated.period.end) == ex.CERTIFICATES.period
    open_start = dataclasses.replace(
        ex.CONTEST, element="training.officials", period=(None, dt.date(2025, 10, 31))
    )
    value = extracted_figure_accept(figure=queued(document, open_start), user=coordinator)
    assert (value.period.start, value.period.end) == (dt.date(2025, 1, 1), dt.date(2025, 10, 31))


def test_accept_updates_the_value_already_held_for_that_element_unit_and_period(
    document, coordinator
):
    period = zone_period(document)
    held = DataValue.objects.get(
        element__code=ex.MEMBERS.element, org_unit=document.issuer_unit, period=period
    )
    assert held.source_line == ex.MEMBERS.line  # loaded from data/figures.yaml
    records = held.history.count()

    value = extracted_figure_accept(figure=queued(document, ex.MEMBERS_AGAIN), user=coordinator)

    assert value.pk == held.pk
    assert value.source_line == ex.MEMBERS_AGAIN.line
    assert value.source_quote == ex.MEMBERS_AGAIN.quote
    assert value.history.count() == records + 1


def test_accepting_the_figure_the_dataset_already_holds_changes_nothing(document, coordinator):
    held = DataValue.objects.get(
        element__code=ex.MEMBERS.element, source_document=document, source_line=ex.MEMBERS.line
    )
    records, comment = held.history.count(), held.comment
    figure = queued(document, ex.MEMBERS)

    value = extracted_figure_accept(figure=figure, user=coordinator)

    assert value.pk == held.pk and value.comment == comment
    assert value.history.count() == records
    figure.refresh_from_db()
    assert figure.status == FigureStatus.ACCEPTED and figure.data_value == held


def test_accept_is_refused_in_a_locked_period(document, coordinator):
    """The figure measures an indicator its lead office enters: that office's approved report
    for the period locks it, whoever tries to write it (here, a document's figure)."""
    from theodoi.plans.models import Indicator

    lead = Indicator.objects.get(data_element__code=ex.IT_CAPABLE.element).lead_unit
    Submission.objects.create(
        org_unit=lead, period=zone_period(document), state=UpdateState.APPROVED
    )
    figure = queued(document, ex.IT_CAPABLE)
    with pytest.raises(ValidationError, match="khóa"):
        extracted_figure_accept(figure=figure, user=coordinator)
    figure.refresh_from_db()
    assert figure.status == FigureStatus.PENDING and figure.data_value is None
    assert not DataValue.objects.filter(element__code=ex.IT_CAPABLE.element, source_line=110)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(2025, 10, 1), dt.date(2025, 12, 31)),  # the quarter's dates, named otherwise
        (dt.date(2025, 11, 1), dt.date(2025, 11, 30)),  # a month inside it
    ],
    ids=["same-dates", "month-inside"],
)
def test_a_lock_covers_every_period_whose_dates_fall_inside_it(document, coordinator, start, end):
    """An approved 2025-Q4 locks a figure stated for 01/10/2025–31/12/2025 (or any part of
    it), whatever the period's code: the lock looks at dates, not at a period's id."""
    quarter = period_ensure(period=parse_period("2025-Q4"), user=None)
    Submission.objects.update_or_create(
        org_unit=document.issuer_unit, period=quarter, defaults={"state": UpdateState.APPROVED}
    )
    figure = queued(document, dataclasses.replace(ex.CERTIFICATES, period=(start, end)))
    with pytest.raises(ValidationError, match=r"Quý IV năm 2025.*khóa"):
        extracted_figure_accept(figure=figure, user=coordinator)
    figure.refresh_from_db()
    assert figure.is_pending
    assert not DataValue.objects.filter(
        element__code=ex.CERTIFICATES.element, period__start=start, period__end=end
    )


def test_an_unknown_element_is_refused_until_the_reviewer_recodes_it(document, coordinator):
    figure = queued(document, ex.SESSIONS)
    with pytest.raises(ValidationError, match="chưa có trong danh mục"):
        extracted_figure_accept(figure=figure, user=coordinator)
    figure.refresh_from_db()
    assert figure.is_pending

    # Recoded to an element the zone already has another value for in that period: refused,
    # never overwritten (the dataset holds 300 residents guided, 004:270).
    element = DataElement.objects.get(code="community_tech_team.residents_guided")
    with pytest.raises(ValidationError, match=r"Đã có số liệu .* là 300 .*khác giá trị 5"):
        extracted_figure_accept(figure=figure, user=coordinator, element=element)
    figure.refresh_from_db()
    assert figure.is_pending

    element = DataElement.objects.get(code="training.officials")
    value = extracted_figure_accept(
        figure=figure, user=coordinator, element=element, period=(None, dt.date(2025, 6, 30))
    )
    assert value.element == element and value.source_line == ex.SESSIONS.line
    figure.refresh_from_db()
    assert figure.element == element and figure.element_code == ex.SESSIONS.element


@pytest.mark.parametrize("username", ["vhxh.baocao", "lanhdao", "kiemtra"])
def test_only_a_coordinator_of_the_unit_may_accept_or_reject(document, username):
    figure = queued(document, ex.IT_CAPABLE)
    with pytest.raises(PermissionDenied):
        extracted_figure_accept(figure=figure, user=user(username))
    with pytest.raises(PermissionDenied):
        extracted_figure_reject(figure=figure, user=user(username), note="Không đúng.")
    figure.refresh_from_db()
    assert figure.is_pending


def test_a_coordinator_of_another_unit_may_not_accept(document, django_user_model):
    figure = queued(document, ex.IT_CAPABLE)
    other = django_user_model.objects.create_user("kt.tonghop", password="kt-tonghop-2026")
    Membership.objects.create(
        user=other, org_unit=OrgUnit.objects.get(code="CATHAI-KT"), role="coordinator"
    )
    with pytest.raises(PermissionDenied):
        extracted_figure_accept(figure=figure, user=other)
    # nor move the figure to the unit they coordinate
    with pytest.raises(PermissionDenied):
        extracted_figure_accept(
            figure=figure, user=other, org_unit=OrgUnit.objects.get(code="CATHAI-KT")
        )


def test_a_figure_of_no_known_unit_is_for_an_administrator_to_place(
    document, coordinator, django_user_model
):
    figure = queued(document, ex.IT_CAPABLE)
    ExtractedFigure.objects.filter(pk=figure.pk).update(org_unit=None)
    zone = document.issuer_unit
    with pytest.raises(PermissionDenied):
        extracted_figure_accept(figure=figure, user=coordinator, org_unit=zone)
    admin = django_user_model.objects.create_superuser("qt3", password="qt3-2026-x")
    with pytest.raises(ValidationError, match="đơn vị nào"):
        extracted_figure_accept(figure=figure, user=admin)

    value = extracted_figure_accept(figure=figure, user=admin, org_unit=zone)

    assert value.org_unit == zone
    figure.refresh_from_db()
    assert figure.org_unit == zone and figure.status == FigureStatus.ACCEPTED


def test_a_reviewed_figure_cannot_be_reviewed_again(document, coordinator):
    accepted = queued(document, ex.IT_CAPABLE)
    extracted_figure_accept(figure=accepted, user=coordinator)
    rejected = queued(document, ex.CONTEST)
    extracted_figure_reject(figure=rejected, user=coordinator, note="Đọc sai.")
    for figure in (accepted, rejected):
        with pytest.raises(ValidationError, match="đã được duyệt"):
            extracted_figure_accept(figure=figure, user=coordinator)
        with pytest.raises(ValidationError, match="đã được duyệt"):
            extracted_figure_reject(figure=figure, user=coordinator, note="Lần nữa.")


def test_reject_needs_a_reason_and_keeps_it(document, coordinator):
    figure = queued(document, ex.CONTEST)
    with pytest.raises(ValidationError, match="phải ghi lý do"):
        extracted_figure_reject(figure=figure, user=coordinator, note="  ")
    figure.refresh_from_db()
    assert figure.is_pending

    extracted_figure_reject(
        figure=figure, user=coordinator, note="Số người đăng ký, không phải dự thi."
    )

    figure.refresh_from_db()
    assert figure.status == FigureStatus.REJECTED and figure.data_value is None
    assert figure.review_note == "Số người đăng ký, không phải dự thi."
    assert figure.history.latest().history_change_reason.startswith("Loại số liệu")


def test_a_value_that_does_not_fit_its_element_is_refused(document, coordinator):
    figure = queued(document, dataclasses.replace(ex.IT_CAPABLE, value=ex.IT_CAPABLE.value * 2))
    with pytest.raises(ValidationError, match="100%"):
        extracted_figure_accept(figure=figure, user=coordinator)


def test_the_queue_shows_each_reviewer_only_the_units_they_review(
    document, coordinator, django_user_model
):
    extraction_queue(document=document, figures=ex.ALL, user=None)
    vhxh = OrgUnit.objects.get(code="CATHAI-VHXH")
    ExtractedFigure.objects.filter(line=ex.CONTEST.line).update(org_unit=vhxh)
    ExtractedFigure.objects.filter(line=ex.SESSIONS.line).update(org_unit=None)
    office = django_user_model.objects.create_user("vhxh.dauMoi", password="x-2026-vhxh")
    Membership.objects.create(user=office, org_unit=vhxh, role="coordinator")
    admin = django_user_model.objects.create_superuser("qt2", password="qt2-2026-x")
    everything = set(ExtractedFigure.objects.values_list("line", flat=True))

    def lines(who, **kwargs):
        return set(review_queue(user=who, **kwargs).values_list("line", flat=True))

    assert lines(coordinator) == everything - {ex.SESSIONS.line}  # no unit: admins only
    assert lines(office) == {ex.CONTEST.line}
    assert lines(user("vhxh.baocao")) == set()
    assert lines(user("lanhdao")) == set()
    assert lines(admin) == lines(None) == everything
    extracted_figure_reject(
        figure=ExtractedFigure.objects.get(line=ex.CONTEST.line), user=office, note="Trùng."
    )
    assert lines(office) == set()
    assert lines(office, status="") == lines(office, status=FigureStatus.REJECTED)
    assert lines(coordinator, document=document, status="") == everything - {ex.SESSIONS.line}


@pytest.mark.django_db
def test_figures_of_an_undated_report_are_accepted_once_the_reviewer_sets_their_period(
    dataset, loader_user
):
    from pathlib import Path

    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from theodoi.archive.models import ExtractedFigure
    from theodoi.archive.review import extracted_figure_accept
    from theodoi.archive.services import document_ingest
    from theodoi.orgs.models import OrgUnit

    report = (
        Path(__file__).resolve().parents[1]
        / "data/extraction/heldout-2/nam-tien-phong-18-BC-UBND.txt"
    )
    result = document_ingest(path=report, user=loader_user)
    assert result.document.issued_on is None  # the report gives no date
    undated = ExtractedFigure.objects.filter(
        document=result.document, period_end__isnull=True, element__isnull=False
    ).first()
    assert undated is not None
    admin = get_user_model().objects.get(username="quantri")
    unit = OrgUnit.objects.get(code="CATHAI")
    with pytest.raises(ValidationError, match="Không xác định được kỳ"):
        extracted_figure_accept(figure=undated, user=admin, org_unit=unit)
    value = extracted_figure_accept(
        figure=undated, user=admin, org_unit=unit, period=(None, dt.date(2026, 3, 14))
    )
    assert (value.period.start, value.period.end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 14))
    assert value.source_document == result.document
