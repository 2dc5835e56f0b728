"""The review page of figures extracted from documents (/so-lieu-trich/): who sees it, accepting
and rejecting by POST (plain and HTMX), refusals shown on the row, and the provenance of an
accepted figure on the pages that show data values."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from tests.archive import extracted as ex
from tests.conftest import unit_outside_cathai
from tests.web.test_views import login
from theodoi.archive.models import ExtractedFigure, FigureStatus
from theodoi.archive.review import extraction_queue
from theodoi.domain.formatting import format_number
from theodoi.orgs.models import Membership
from theodoi.plans.models import Indicator
from theodoi.progress.models import DataValue

LIST = "/so-lieu-trich/"


@pytest.fixture
def document(dataset):
    return ex.report_276()


@pytest.fixture
def queue(document):
    extraction_queue(document=document, figures=ex.ALL, user=None)
    return {f.line: f for f in ExtractedFigure.objects.filter(document=document)}


@pytest.fixture
def coordinator(dataset):
    return login("vhxh.tonghop")


@pytest.fixture
def outsider(dataset, django_user_model):
    """A coordinator of a unit outside Cát Hải's subtree."""
    django_user_model.objects.create_user("ngoai", password="ngoai-2026-x")
    unit = unit_outside_cathai()
    Membership.objects.create(
        user=get_user_model().objects.get(username="ngoai"), org_unit=unit, role="coordinator"
    )
    client = Client()
    assert client.login(request=HttpRequest(), username="ngoai", password="ngoai-2026-x")
    return client


def action(figure: ExtractedFigure, verb: str) -> str:
    return reverse("web:extracted_action", args=[figure.id, verb])


def page(response) -> str:
    return html.unescape(response.content.decode())


def test_url_is_the_vietnamese_address():
    assert reverse("web:extracted_list") == LIST


def test_anonymous_is_sent_to_the_login_page(queue, client):
    figure = queue[ex.IT_CAPABLE.line]
    for response in (client.get(LIST), client.post(action(figure, "nhan"))):
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    figure.refresh_from_db()
    assert figure.is_pending


def test_reviewer_sees_the_pending_figures_of_each_document(queue, document, coordinator):
    response = coordinator.get(LIST)
    text = page(response)
    assert response.status_code == 200
    assert str(document) in text
    for figure in queue.values():
        assert figure.quote in text
        assert f'id="so-lieu-{figure.id}"' in text
    assert format_number(ex.CONTEST.value) in text  # "1.440", Vietnamese style
    start = dt.date(document.issued_on.year, 1, 1)
    assert f"{start:%d/%m/%Y} – {document.issued_on:%d/%m/%Y}" in text  # from the report's date
    assert "Mã chưa có trong danh mục" in text and ex.SESSIONS.element in text
    assert queue[ex.IT_CAPABLE.line].element.name in text
    assert "Duyệt số liệu" in text  # the menu entry


def test_reviewer_accepts_with_a_csrf_protected_post(queue, document):
    client = login("vhxh.tonghop", enforce_csrf_checks=True)
    client.get(LIST)
    token = client.cookies["csrftoken"].value
    figure = queue[ex.IT_CAPABLE.line]

    response = client.post(
        action(figure, "nhan"), {"csrfmiddlewaretoken": token, "loc": "trang-thai=pending"}
    )

    assert response.status_code == 302 and response["Location"].endswith("?trang-thai=pending")
    figure.refresh_from_db()
    assert figure.status == FigureStatus.ACCEPTED
    value = figure.data_value
    assert value.source_document == document and value.source_line == ex.IT_CAPABLE.line
    assert "Đã nhận số liệu" in page(client.get(response["Location"]))
    assert f'id="so-lieu-{figure.id}"' not in page(client.get(LIST))  # no longer pending


def test_forged_post_without_csrf_token_changes_nothing(queue):
    client = login("vhxh.tonghop", enforce_csrf_checks=True)
    figure = queue[ex.IT_CAPABLE.line]
    assert client.post(action(figure, "nhan")).status_code == 403
    figure.refresh_from_db()
    assert figure.is_pending and not DataValue.objects.filter(extracted_figures=figure).exists()


def test_htmx_accept_answers_with_the_row_only(queue, coordinator):
    figure = queue[ex.CONTEST.line]
    response = coordinator.post(action(figure, "nhan"), HTTP_HX_REQUEST="true")
    text = page(response)
    assert response.status_code == 200
    assert text.lstrip().startswith(f'<tr id="so-lieu-{figure.id}"')
    assert "Đã nhận" in text and "<html" not in text


def test_a_refused_acceptance_is_explained_on_its_row(queue, coordinator):
    figure = queue[ex.SESSIONS.line]
    response = coordinator.post(action(figure, "nhan"), {"loc": "trang-thai=pending"})
    assert response.status_code == 400
    row = page(response).split(f'id="so-lieu-{figure.id}"')[1].split("</tr>")[0]
    assert "chưa có trong danh mục" in row
    htmx = page(coordinator.post(action(figure, "nhan"), HTTP_HX_REQUEST="true"))
    assert "chưa có trong danh mục" in htmx and 'role="alert"' in htmx
    figure.refresh_from_db()
    assert figure.is_pending


def test_the_reviewer_may_recode_an_unknown_figure_before_accepting(queue, coordinator):
    figure = queue[ex.SESSIONS.line]
    # The zone already holds another value for residents guided in that period: refused.
    taken = "community_tech_team.residents_guided"
    response = coordinator.post(action(figure, "nhan"), {"ma-so-lieu": taken})
    assert response.status_code == 400 and "Đã có số liệu" in page(response)
    code = "training.officials"
    response = coordinator.post(
        action(figure, "nhan"), {"ma-so-lieu": code, "den-ngay": "30/06/2025", "ghi-chu": "Mã mới"}
    )
    assert response.status_code == 302
    figure.refresh_from_db()
    assert figure.status == FigureStatus.ACCEPTED and figure.data_value.element.code == code
    assert figure.review_note == "Mã mới"


def test_a_mistyped_date_is_refused_in_vietnamese(queue, coordinator):
    figure = queue[ex.IT_CAPABLE.line]
    response = coordinator.post(action(figure, "nhan"), {"den-ngay": "31/13/2025"})
    assert response.status_code == 400 and "31/13/2025" in page(response)
    figure.refresh_from_db()
    assert figure.is_pending


def test_reject_asks_for_a_reason(queue, coordinator):
    figure = queue[ex.CONTEST.line]
    response = coordinator.post(action(figure, "loai"), {"ly-do": ""})
    assert response.status_code == 400 and "phải ghi lý do" in page(response)
    figure.refresh_from_db()
    assert figure.is_pending

    response = coordinator.post(action(figure, "loai"), {"ly-do": "Đọc nhầm số."})

    assert response.status_code == 302
    figure.refresh_from_db()
    assert figure.status == FigureStatus.REJECTED and figure.review_note == "Đọc nhầm số."
    rejected = page(coordinator.get(LIST, {"trang-thai": "rejected"}))
    assert "Đọc nhầm số." in rejected and figure.quote in rejected


def test_unknown_action_is_404(queue, coordinator):
    assert coordinator.post(action(queue[ex.CONTEST.line], "xoa")).status_code == 404


@pytest.mark.parametrize("username", ["vhxh.baocao", "lanhdao", "kiemtra"])
def test_those_who_may_not_review_are_refused(queue, username):
    client = login(username)
    figure = queue[ex.IT_CAPABLE.line]
    assert client.get(LIST).status_code == 403
    assert client.post(action(figure, "nhan")).status_code == 404
    figure.refresh_from_db()
    assert figure.is_pending


def test_outsider_finds_nothing(queue, outsider):
    figure = queue[ex.IT_CAPABLE.line]
    response = outsider.get(LIST)
    assert response.status_code == 200 and figure.quote not in page(response)
    assert outsider.post(action(figure, "nhan")).status_code == 404
    assert outsider.post(action(figure, "loai"), {"ly-do": "x"}).status_code == 404
    figure.refresh_from_db()
    assert figure.is_pending


def test_get_is_not_an_action(queue, coordinator):
    assert coordinator.get(action(queue[ex.IT_CAPABLE.line], "nhan")).status_code == 405


def test_filter_by_document_and_a_document_not_visible_is_404(queue, document, coordinator):
    response = coordinator.get(LIST, {"van-ban": document.id, "trang-thai": ""})
    assert response.status_code == 200 and len(response.context["rows"]) == len(ex.ALL) - 1
    assert coordinator.get(LIST, {"van-ban": "999999"}).status_code == 404
    assert coordinator.get(LIST, {"van-ban": "abc"}).status_code == 404


def test_the_list_downloads_as_csv(queue, coordinator):
    response = coordinator.get(LIST, {"xuat": "csv"})
    assert response.status_code == 200
    assert ex.IT_CAPABLE.quote in response.content.decode("utf-8-sig")


def test_document_page_links_to_its_pending_figures(queue, document, coordinator):
    text = page(coordinator.get(reverse("web:document_detail", args=[document.id])))
    assert f"{len(ex.ALL) - 1} số liệu chờ duyệt" in text  # a restated figure is queued once
    assert f"{LIST}?van-ban={document.id}" in text


def test_accepted_figure_shows_its_source_on_the_indicator_page(queue, document, coordinator):
    figure = queue[ex.IT_CAPABLE.line]
    indicator = Indicator.objects.get(data_element=figure.element)
    url = reverse("web:indicator_detail", args=[indicator.id])
    # judged at the end of the report's month, before the illustrative year-end value
    month = f"{document.issued_on:%Y-%m}"
    assert "dòng 110" not in page(coordinator.get(url, {"ky": month}))

    assert coordinator.post(action(figure, "nhan")).status_code == 302

    text = page(coordinator.get(url, {"ky": month}))
    assert f'Nguồn: <a href="{reverse("web:document_detail", args=[document.id])}">' in text
    assert f"{document}</a>, dòng {ex.IT_CAPABLE.line}: “{ex.IT_CAPABLE.quote}”" in text


def test_accepted_figure_shows_its_source_on_the_entry_page(queue, document, coordinator):
    figure = queue[ex.IT_CAPABLE.line]
    assert coordinator.post(action(figure, "nhan")).status_code == 302
    value = DataValue.objects.get(extracted_figures=figure)
    lead = Indicator.objects.get(data_element=figure.element).lead_unit
    url = reverse("web:progress_unit", args=[lead.code, value.period.code])

    text = page(coordinator.get(url))

    assert f"dòng {ex.IT_CAPABLE.line}: “{ex.IT_CAPABLE.quote}”" in text
    assert reverse("web:document_detail", args=[document.id]) in text
