"""Reading a dataValueSets file is bounded and every bad file is an ExchangeError saying what
and where (the row, the line), in Vietnamese; the rows read are always text."""

from __future__ import annotations

import json

import pytest

from theodoi.cli import main
from theodoi.exchange.dhis2 import (
    MAX_EXCHANGE_BYTES,
    MAX_EXCHANGE_ROWS,
    MAX_JSON_DEPTH,
    ExchangeError,
    read_data_value_sets,
)

ROW = {"dataElement": "procedures.total", "period": "2026Q1", "orgUnit": "CATHAI", "value": "5"}
HEADER = "dataelement,period,orgunit,value,comment\n"


def refused(content: bytes, name: str = "") -> str:
    with pytest.raises(ExchangeError) as error:
        read_data_value_sets(content, name=name)
    return str(error.value)


def test_text_that_is_not_utf8_is_refused_naming_the_line():
    content = (HEADER + "procedures.total,2026Q1,CATHAI,5,Đêm\n").encode("cp1258")
    message = refused(content, name="so-lieu.csv")
    assert message.startswith("Tệp “so-lieu.csv” không phải văn bản UTF-8")
    assert "dòng 2" in message


def test_json_that_is_not_an_object_is_refused():
    assert "phải là một đối tượng JSON" in refused(json.dumps([ROW]).encode(), name="q1.json")


def test_a_data_value_that_is_not_an_object_names_its_row():
    document = {"dataValues": [ROW, "procedures.total=5"]}
    message = refused(json.dumps(document).encode(), name="q1.json")
    assert message.startswith("Dòng 2: cần một đối tượng")


@pytest.mark.parametrize(
    ("value", "kind"),
    [({"so": 5}, "một đối tượng {…}"), ([5], "một danh sách […]")],
    ids=["object", "list"],
)
def test_a_value_that_is_an_object_or_a_list_names_its_row(value, kind):
    document = {"dataValues": [ROW, ROW, {**ROW, "value": value}]}
    message = refused(json.dumps(document).encode(), name="q1.json")
    assert message == f"Dòng 3: “value” là {kind}, cần là chữ hoặc số."


def test_json_nested_too_deep_is_refused_naming_the_line():
    deep = '{"dataValues": [],\n"x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    message = refused(deep.encode(), name="sau.json")
    assert "lồng nhau quá sâu ở dòng 2" in message
    assert f"hơn {MAX_JSON_DEPTH} tầng" in message


def test_brackets_inside_text_do_not_count_as_nesting():
    comment = "[" * (MAX_JSON_DEPTH + 5) + ' "quoted" \\'
    document = {"dataValues": [{**ROW, "comment": comment}]}
    rows = read_data_value_sets(json.dumps(document).encode(), name="q1.json")
    assert rows[0]["comment"] == comment


def test_a_number_of_thousands_of_digits_is_refused():
    content = b'{"dataValues": [{"value": ' + b"9" * 5000 + b"}]}"
    assert "không đọc được" in refused(content, name="q1.json")


def test_more_rows_than_the_limit_are_refused():
    rows = [{}] * (MAX_EXCHANGE_ROWS + 1)
    message = refused(json.dumps({"dataValues": rows}).encode(), name="nhieu.json")
    assert "vượt giới hạn" in message and "200.000 dòng" in message
    csv_text = HEADER + "procedures.total,2026Q1,CATHAI,5,\n" * (MAX_EXCHANGE_ROWS + 1)
    assert "200.000 dòng" in refused(csv_text.encode(), name="nhieu.csv")


def test_a_file_larger_than_the_limit_is_refused_unparsed():
    content = b" " * (MAX_EXCHANGE_BYTES + 1)
    assert "vượt giới hạn 64 MB" in refused(content, name="lon.json")


def test_a_nul_in_a_value_is_refused_naming_the_row():
    content = (HEADER + "a,2026Q1,CATHAI,5,\nb,2026Q1,CATHAI,6,ghi\x00chú\n").encode()
    assert refused(content, name="nul.csv") == (
        "Dòng 2: “comment” có ký tự điều khiển (mã 0x00), không phải chữ."
    )
    document = {"dataValues": [ROW, {**ROW, "comment": "ghi\u0000chú"}]}
    assert refused(json.dumps(document).encode(), name="nul.json").startswith(
        "Dòng 2: “comment” có ký tự điều khiển"
    )


def test_a_broken_csv_line_is_refused_naming_the_line():
    content = (HEADER + "a,2026Q1,CATHAI,5,\nb,2026Q1,CATHAI,6," + "x" * 200_000 + "\n").encode()
    assert refused(content, name="dai.csv").startswith("Tệp “dai.csv”: dòng 3 của tệp CSV hỏng")


def test_csv_rows_with_cells_missing_or_past_the_header_are_read_as_text():
    content = (HEADER + "a,2026Q1,CATHAI\nb,2026Q1,CATHAI,6,ghi chú,thừa,thừa\n").encode()
    rows = read_data_value_sets(content, name="x.csv")
    assert rows[0] == {
        "dataElement": "a",
        "period": "2026Q1",
        "orgUnit": "CATHAI",
        "value": "",
        "comment": "",
    }
    assert rows[1]["value"] == "6" and rows[1]["comment"] == "ghi chú"


def test_exchange_import_of_a_file_not_in_utf8_exits_2_without_a_traceback(
    dataset, capsys, tmp_path
):
    path = tmp_path / "cp1258.csv"
    path.write_bytes((HEADER + "procedures.total,2026Q1,CATHAI,5,Đêm\n").encode("cp1258"))
    code = main(["exchange", "import", str(path), "--as", "vhxh.tonghop"])
    _, err = capsys.readouterr()
    assert code == 2
    assert "Tệp “cp1258.csv” không phải văn bản UTF-8" in err and "Traceback" not in err
