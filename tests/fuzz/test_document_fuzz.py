"""Fuzz: whatever the bytes of a .txt, .docx or .pdf, reading it raises nothing but
UnreadableFile, within bounded time and memory, and the text read holds no control character
but tab and line break."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import FUZZ, bounded_memory
from tests.fuzz.samples import mutated_bytes, mutated_package, pdf_sample, word_sample
from theodoi.filetext import UnreadableFile, read_text

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("document-fuzz")


def read(path) -> None:
    with bounded_memory():
        try:
            text = read_text(path)
        except UnreadableFile as error:
            assert str(error).startswith(f"{path.name}: ")  # names the file
            return
    assert text.strip()
    assert CONTROL.search(text) is None


@FUZZ
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".txt", ".docx", ".pdf"]))
def test_random_bytes(folder, data, suffix):
    path = folder / f"random{suffix}"
    path.write_bytes(data)
    read(path)


@FUZZ
@given(
    text=st.text(max_size=400),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258"]),
)
def test_random_text_in_any_encoding(folder, text, encoding):
    path = folder / "text.txt"
    path.write_bytes(text.encode(encoding, errors="replace"))
    read(path)


@FUZZ
@given(data=mutated_bytes(word_sample))
def test_mutated_word_bytes(folder, data):
    path = folder / "mutated.docx"
    path.write_bytes(data)
    read(path)


@FUZZ
@given(data=mutated_package(word_sample))
def test_mutated_word_members(folder, data):
    path = folder / "members.docx"
    path.write_bytes(data)
    read(path)


@FUZZ
@given(data=mutated_bytes(pdf_sample))
def test_mutated_pdf(folder, data):
    path = folder / "mutated.pdf"
    path.write_bytes(data)
    read(path)


def test_the_samples_themselves_read(folder):
    for name, data in (("bao-cao.docx", word_sample()), ("bao-cao.pdf", pdf_sample())):
        path = folder / name
        path.write_bytes(data)
        assert "276/BC-UBND" in read_text(path)
