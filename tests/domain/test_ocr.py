from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from theodoi.domain.ocr import key_alternatives, parse_number, text_keys, tokens, word_key


def test_ocr_variants_of_a_word_share_its_key():
    # Variants as they occur in the seeds 003 and 004.
    assert {word_key(w) for w in ["chuyển", "chuyén", "chuyen"]} == {word_key("chuyển")}
    assert {word_key(w) for w in ["đổi", "ddi", "dbi", "d6i", "déi"]} == {word_key("đổi")}
    assert {word_key(w) for w in ["số", "sé", "s6", "sb", "s", "$6"]} == {word_key("số")}
    assert {word_key(w) for w in ["Đảng", "Pang", "DPang"]} == {word_key("Đảng")}


def test_b_for_d_is_an_alternative_not_a_rewrite():
    assert word_key("Bang") != word_key("Đảng")
    assert word_key("Bang") in key_alternatives(word_key("Đảng"))


def test_acronyms_keep_their_letters():
    assert word_key("UBND") == "ubnd"
    assert word_key("TTHC") == "tthc"
    assert word_key("VNeID") == word_key("VnelD") == "vneid"
    assert word_key("KẾT") == word_key("kết")


def test_phrase_keys_match_across_ocr():
    assert text_keys("chuyển đổi số quốc gia") == text_keys("chuyén ddi s6 qudc gia")


def test_tokens_keep_offsets_numbers_and_dates():
    text = "S6:276 /BC-UBND ngay 25/11/2025: 5.092 hồ sơ, 98,39%"
    toks = tokens(text)
    for t in toks:
        assert text[t.start : t.end] == t.text
    kinds = {t.text: t.kind for t in toks}
    assert kinds["25/11/2025"] == "date"
    assert kinds["5.092"] == "number"
    assert kinds["98,39"] == "number"


def test_numbers_read_as_vietnamese_writes_them():
    assert parse_number("1.045") == Decimal(1045)
    assert parse_number("102.492.283.000") == Decimal(102492283000)
    assert parse_number("98,39") == Decimal("98.39")
    assert parse_number("02") == Decimal(2)
    assert parse_number("20.1") == Decimal("20.1")
    assert parse_number("abc") is None


@given(st.integers(min_value=0, max_value=10**12))
def test_grouped_integers_read_back(n):
    grouped = f"{n:,}".replace(",", ".")
    assert parse_number(grouped) == Decimal(n)
