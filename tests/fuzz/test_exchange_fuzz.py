"""Fuzz: whatever a dataValueSets file holds, reading it raises nothing but ExchangeError,
within bounded time and memory, and every row read is text keyed by text."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import FUZZ, bounded_memory
from theodoi.exchange.dhis2 import ExchangeError, read_data_value_sets

KEYS = ["dataElement", "period", "orgUnit", "value", "comment", "storedBy", ""]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
)
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=8))
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)
    ),
    max_leaves=30,
)
data_values = st.lists(
    st.one_of(
        st.dictionaries(st.sampled_from(KEYS), scalars, max_size=6),
        json_values,
    ),
    max_size=8,
)


def read(content: bytes, name: str) -> None:
    with bounded_memory():
        try:
            rows = read_data_value_sets(content, name=name)
        except ExchangeError as error:
            assert error.problems and all(error.problems)
            return
    assert isinstance(rows, list)
    for row in rows:
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in row.items())


@FUZZ
@given(document=json_values, name=st.sampled_from(["q1.json", "q1", ""]))
def test_random_json(document, name):
    read(json.dumps(document).encode(), name)


@FUZZ
@given(rows=data_values, extra=st.dictionaries(st.text(max_size=8), json_values, max_size=3))
def test_random_data_value_sets(rows, extra):
    read(json.dumps({**extra, "dataValues": rows}).encode(), "q1.json")


@FUZZ
@given(data=st.binary(max_size=2048), name=st.sampled_from(["q1.json", "q1.csv", ""]))
def test_random_bytes(data, name):
    read(data, name)


@FUZZ
@given(
    header=st.lists(
        st.one_of(
            st.sampled_from(["dataelement", "period", "orgunit", "value", "comment"]),
            st.text(max_size=8),
        ),
        max_size=7,
    ),
    rows=st.lists(st.lists(st.text(max_size=12), max_size=8), max_size=10),
    bom=st.booleans(),
)
def test_random_csv(header, rows, bom):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    text = ("\ufeff" if bom else "") + out.getvalue()
    read(text.encode("utf-8", errors="surrogatepass"), "q1.csv")
