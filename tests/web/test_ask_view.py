"""The question box: on every page for a signed-in person, answered in place (HTMX) or as a
page, follow-ups kept in the session, scoped to what the person may see."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web.test_views import login

pytestmark = pytest.mark.django_db

ASK = "/hoi/"


def test_anonymous_is_sent_to_sign_in(dataset):
    response = Client().get(ASK, {"q": "bao nhieu nhiem vu qua han"})
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_box_is_on_every_page(dataset):
    client = login("lanhdao")
    for url in ("/", "/ke-hoach/", "/van-ban/", "/viec-cua-toi/"):
        assert 'id="hoi"' in client.get(url).content.decode(), url


def test_question_answered_as_a_page_with_links(dataset):
    client = login("lanhdao")
    page = client.get(ASK, {"q": "nhiệm vụ nào quá hạn quý 1 năm 2026?"}).content.decode()
    assert "<html" in page and 'id="cau-tra-loi"' in page
    assert "/nhiem-vu/" in page and "Cách tính" in page


def test_htmx_gets_only_the_answer(dataset):
    client = login("lanhdao")
    response = client.get(
        ASK, {"q": "ty le ho so truc tuyen quy 1 nam 2026"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<html" not in body and "Tỷ lệ hồ sơ tiếp nhận trực tuyến" in body
    assert 'id="cau-tra-loi"' in body and "Dữ liệu minh họa" in body


def test_follow_up_uses_the_question_before_until_a_new_start(dataset):
    client = login("lanhdao")
    client.get(ASK, {"q": "số hồ sơ tiếp nhận quý 1 năm 2026"}, HTTP_HX_REQUEST="true")
    follow = client.get(ASK, {"q": "so với quý trước thì sao?"}, HTTP_HX_REQUEST="true")
    assert "quý IV năm 2025" in follow.content.decode()
    client.get(ASK, {"moi": "1"}, HTTP_HX_REQUEST="true")
    fresh = client.get(ASK, {"q": "so với quý trước thì sao?"}, HTTP_HX_REQUEST="true")
    assert 'data-refused="1"' in fresh.content.decode()


def test_reporter_is_refused_another_units_figures(dataset):
    client = login("vhxh.baocao")
    body = client.get(ASK, {"q": "nhiệm vụ quá hạn của Công an đặc khu"}).content.decode()
    assert 'data-refused="1"' in body and "không được xem" in body


def test_hostile_question_is_escaped_and_cut(dataset):
    client = login("lanhdao")
    body = client.get(ASK, {"q": "<script>alert(1)</script>" + "x" * 2000}).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert 'data-refused="1"' in body
