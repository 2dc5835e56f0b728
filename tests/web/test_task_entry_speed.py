"""Task entry at speed: "Lưu và sang nhiệm vụ tiếp theo", the evidence picker served
locally, and messages in plain Vietnamese."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web.test_views import COMPLETED, Q1, VHXH, login, task_url, unit
from theodoi.progress.selectors.entry import entry_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def q1(dataset):
    from theodoi.domain.periods import parse_period
    from theodoi.progress.services.periods import period_ensure

    return period_ensure(period=parse_period(Q1), user=None)


@pytest.fixture
def reporter(dataset):
    return login("vhxh.baocao")


def test_save_and_go_on_to_the_next_task(reporter, q1):
    rows = entry_rows(unit=unit(VHXH), period=q1, user=None)
    first, second = rows[0].task, rows[1].task
    page = reporter.get(task_url(VHXH, first)).content.decode()
    assert f"Lưu và sang nhiệm vụ tiếp theo ({second.code})" in page and "1/" in page
    answer = reporter.post(task_url(VHXH, first), {**COMPLETED, "tiep": "1"})
    assert answer.status_code == 302 and answer.url == task_url(VHXH, second)
    last = rows[-1].task
    assert reporter.post(task_url(VHXH, last), {**COMPLETED, "tiep": "1"}).url.endswith(
        f"/{VHXH}/2026-Q1/"
    )  # after the last task: back to the unit's page


def test_plain_vietnamese_when_a_percentage_is_out_of_range(reporter, q1):
    task = entry_rows(unit=unit(VHXH), period=q1, user=None)[0].task
    for typed, said in (
        ("150", "Tiến độ phải từ 0 đến 100%."),
        ("-5", "Tiến độ phải từ 0 đến 100%."),
    ):
        answer = reporter.post(
            task_url(VHXH, task),
            {"reported_state": "in_progress", "progress_percent": typed, "results": "x"},
        )
        page = answer.content.decode()
        assert answer.status_code == 400 and said in page and "Đảm bảo" not in page


def test_the_evidence_picker_is_served_locally(reporter, q1):
    task = entry_rows(unit=unit(VHXH), period=q1, user=None)[0].task
    page = reporter.get(task_url(VHXH, task)).content.decode()
    assert "web/evidence.js" in page
    from django.templatetags.static import static

    script = static("vendor/tom-select/js/tom-select.complete.min.js")
    assert script in page and "/tom-select/2." in script  # the version is in the address
    response = Client().get(script)
    assert response.status_code == 200
    assert b"TomSelect" in b"".join(response.streaming_content)
