"""Figures taken from a document carry their source in the API: the document's symbol, the line
and the quoted text, for a unit's period figures and an indicator's actual value."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from tests.api.helpers import VHXH
from tests.archive import extracted as ex
from theodoi.archive.models import ExtractedFigure
from theodoi.archive.review import extracted_figure_accept, extraction_queue
from theodoi.plans.models import Indicator


def accepted(dataset):
    document = ex.report_276()
    extraction_queue(document=document, figures=[ex.IT_CAPABLE], user=None)
    figure = ExtractedFigure.objects.get(document=document, line=ex.IT_CAPABLE.line)
    reviewer = get_user_model().objects.get(username="vhxh.tonghop")
    return extracted_figure_accept(figure=figure, user=reviewer)


def test_period_figures_name_their_source_document_line_and_quote(coordinator, dataset):
    value = accepted(dataset)
    response = coordinator.get(f"/api/units/{VHXH}/periods/{value.period.code}/data-values")
    assert response.status_code == 200
    row = next(r for r in response.json()["items"] if r["element"] == ex.INDICATOR_ELEMENT)
    assert row["value"] is not None
    assert row["source_document"] == ex.SYMBOL
    assert row["source_line"] == ex.IT_CAPABLE.line
    assert row["source_quote"] == ex.IT_CAPABLE.quote
    typed = next(r for r in response.json()["items"] if r["element"] != ex.INDICATOR_ELEMENT)
    assert typed["source_document"] is None and typed["source_quote"] is None


def test_indicator_actual_names_its_source(coordinator, dataset):
    value = accepted(dataset)
    indicator = Indicator.objects.get(data_element=value.element)
    month = f"{value.period.end:%Y-%m}"
    response = coordinator.get(f"/api/plans/{indicator.plan_id}/indicators", {"period": month})
    assert response.status_code == 200
    row = next(r for r in response.json()["items"] if r["indicator"]["id"] == indicator.id)
    assert row["actual_period"] == value.period.code
    assert row["actual_source_document"] == ex.SYMBOL
    assert row["actual_source_line"] == ex.IT_CAPABLE.line
    assert row["actual_source_quote"] == ex.IT_CAPABLE.quote
