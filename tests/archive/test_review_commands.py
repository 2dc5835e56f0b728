"""`theodoi review list|accept|reject` as an operator runs it on the server."""

from __future__ import annotations

import json

import pytest

from tests.archive import extracted as ex
from theodoi.archive.models import ExtractedFigure, FigureStatus
from theodoi.archive.review import extraction_queue
from theodoi.cli import main
from theodoi.domain.formatting import format_number
from theodoi.history import DATA_USER


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def queue(dataset):
    document = ex.report_276()
    extraction_queue(document=document, figures=ex.ALL, user=None)
    return {f.line: f for f in ExtractedFigure.objects.filter(document=document)}


def test_list_shows_pending_figures_with_their_quotes(queue, capsys):
    code, out, _ = run(capsys, "review", "list", "--document", "276/bc-ubnd")
    assert code == 0
    assert str(ex.report_276()) in out
    for figure in queue.values():
        assert f"#{figure.id}" in out and figure.quote in out
    assert format_number(ex.CONTEST.value) in out
    assert f"{ex.SESSIONS.element} (chưa có mã)" in out


def test_list_json_gives_every_field(queue, capsys):
    code, out, _ = run(capsys, "review", "list", "--json")
    data = json.loads(out)
    assert code == 0
    assert {row["id"] for row in data} == {f.id for f in queue.values()}
    row = next(r for r in data if r["line"] == ex.IT_CAPABLE.line)
    assert row["element"] == ex.IT_CAPABLE.element and row["value"] == int(ex.IT_CAPABLE.value)
    assert row["quote"] == ex.IT_CAPABLE.quote and row["status"] == "pending"
    assert row["document_symbol"] == ex.SYMBOL


def test_accept_records_the_operator_and_the_source(queue, capsys):
    figure = queue[ex.IT_CAPABLE.line]
    code, out, _ = run(capsys, "review", "accept", str(figure.id), "--note", "Đối chiếu bản gốc")
    assert code == 0 and f"Đã nhận #{figure.id}" in out
    figure.refresh_from_db()
    assert figure.status == FigureStatus.ACCEPTED
    assert figure.reviewed_by.username == DATA_USER and figure.review_note == "Đối chiếu bản gốc"
    value = figure.data_value
    assert value.source_line == ex.IT_CAPABLE.line and value.source_quote == ex.IT_CAPABLE.quote
    assert value.history.latest().history_user.username == DATA_USER

    code, out, _ = run(capsys, "review", "list", "--status", "accepted")
    assert code == 0 and figure.quote in out and "đã nhận" in out


def test_accept_all_of_a_document_reports_each_refusal_and_exits_2(queue, capsys):
    code, out, err = run(capsys, "review", "accept", "--all", "--document", ex.SYMBOL)
    assert code == 2
    refused = queue[ex.SESSIONS.line]
    assert f"Không duyệt được #{refused.id}" in out and "chưa có trong danh mục" in out
    assert err.startswith("Lỗi: 1/")
    statuses = dict(ExtractedFigure.objects.values_list("line", "status"))
    assert statuses.pop(ex.SESSIONS.line) == FigureStatus.PENDING
    assert set(statuses.values()) == {FigureStatus.ACCEPTED}


def test_reject_needs_a_note(queue, capsys):
    figure = queue[ex.CONTEST.line]
    code, _, err = run(capsys, "review", "reject", str(figure.id), "--note", " ")
    assert code == 2 and "lý do" in err
    code, out, _ = run(capsys, "review", "reject", str(figure.id), "--note", "Đọc nhầm.")
    assert code == 0 and f"Đã loại #{figure.id}" in out
    figure.refresh_from_db()
    assert figure.status == FigureStatus.REJECTED and figure.review_note == "Đọc nhầm."


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["review", "accept", "999999"], "Không có số liệu trích từ văn bản mã 999999"),
        (["review", "accept"], "--all --document"),
        (["review", "accept", "--all"], "--document"),
        (["review", "list", "--document", "1/XYZ"], "Không tìm thấy văn bản"),
        (["review", "accept", "--all", "--document", ex.SYMBOL, "--unit", "xã ma"], "đơn vị"),
    ],
)
def test_user_errors_are_vietnamese_and_exit_2(queue, capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert err.startswith("Lỗi: ") and message in err
    assert set(ExtractedFigure.objects.values_list("status", flat=True)) == {FigureStatus.PENDING}
