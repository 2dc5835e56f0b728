"""Finding a query in a text despite lost diacritics and OCR errors, graded and quoted."""

from __future__ import annotations

import itertools
import random
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from theodoi.domain.search import (
    Hit,
    Tier,
    best_hit,
    best_tier_hits,
    find_hits,
    index_keys,
    line_number,
    parse_query,
    snippet,
)
from theodoi.domain.text import fold


def found(text: str, query: str) -> list[tuple[str, Tier]]:
    return [(text[h.start : h.end], h.tier) for h in find_hits(text, query)]


# --- the four grades -------------------------------------------------------------------------


def test_query_typed_with_diacritics_matches_exactly_in_any_case():
    text = "Ban Thường vụ Đảng ủy đặc khu; BAN THƯỜNG VỤ ĐẢNG ỦY"
    assert found(text, "Đảng ủy") == [("Đảng ủy", Tier.EXACT), ("ĐẢNG ỦY", Tier.EXACT)]


def test_query_without_diacritics_matches_folded_text():
    text = "Ban Thường vụ Đảng ủy đặc khu"
    assert found(text, "dang uy") == [("Đảng ủy", Tier.FOLDED)]


def test_text_without_diacritics_matches_a_query_with_them_folded():
    assert found("Ban Thuong vu Dang uy", "Đảng ủy") == [("Dang uy", Tier.FOLDED)]


def test_without_diacritics_typed_a_scan_that_lost_them_is_no_exact_match():
    # "chuyen doi so" in an OCR'd page is as literal as "chuyển đổi số" in a clean one.
    hits = found("chuyen doi so; chuyển đổi số", "chuyen doi so")
    assert hits == [("chuyen doi so", Tier.FOLDED), ("chuyển đổi số", Tier.FOLDED)]


@pytest.mark.parametrize("scanned", ["DPang uy", "Pang ủy", "Bang uy", "Đảng ũy"])
def test_ocr_readings_of_dang_uy_match_by_their_keys(scanned):
    text = f"Thực hiện Kế hoạch của Ban Thường vụ {scanned} đặc khu"
    hits = found(text, "Đảng ủy")
    assert (scanned, Tier.OCR) in hits or (scanned, Tier.FOLDED) in hits
    assert all(tier <= Tier.OCR for _, tier in hits)


@pytest.mark.parametrize("scanned", ["chuyén ddi sé", "chuyén d6i sb", "chuyen dbi s6"])
def test_ocr_readings_of_chuyen_doi_so_match_by_their_keys(scanned):
    assert found(f"công tác {scanned} năm 2025", "chuyen doi so") == [(scanned, Tier.OCR)]


def test_words_apart_or_misspelt_are_a_fuzzy_match():
    assert found("số hóa và chuyển đổi dữ liệu", "chuyển đổi số") == [
        ("số hóa và chuyển đổi", Tier.FUZZY)
    ]
    # "thuce" keys differently from "thực" but is a close spelling of it.
    assert found("Két qua thuce hién nam 2025", "thực hiện") == [("thuce hién", Tier.FUZZY)]


def test_a_place_matching_several_grades_is_reported_once_at_the_best():
    text = "của Đảng ủy đặc khu"
    assert found(text, "Đảng ủy") == [("Đảng ủy", Tier.EXACT)]


def test_phrase_may_break_across_lines():
    text = "đổi mới sáng tạo và chuyển\n\nđổi số quốc gia"
    (hit,) = find_hits(text, "chuyển đổi số")
    assert hit.tier == Tier.EXACT and text[hit.start : hit.end] == "chuyển\n\nđổi số"


def test_whole_words_only():
    assert find_hits("các sốt rét", "số") == []
    assert found("các số liệu", "số") == [("số", Tier.EXACT)]


def test_lower_case_acronym_finds_the_capitals_without_matching_every_vowel_word():
    text = "Ủy ban nhân dân (UBND) ở xã a"
    assert found(text, "ubnd") == [("UBND", Tier.FOLDED)]


def test_date_and_symbol_queries():
    text = "Kế hoạch số 96/KH-UBND ngày 22/10/2025 của UBND đặc khu"
    assert found(text, "96/KH-UBND") == [("96/KH-UBND", Tier.FOLDED)]
    assert found(text, "22/10/2025") == [("22/10/2025", Tier.FOLDED)]
    assert found(text, "ke hoach 96") == [("Kế hoạch số 96", Tier.FUZZY)]
    assert "22/10/2025" in index_keys(text).split()


def test_ligatures_and_combining_marks_keep_offsets():
    # OCR writes "ﬁ" as one character; some files hold decomposed (NFD) Vietnamese.
    text = "tệp ﬁle " + unicodedata.normalize("NFD", "chuyển đổi số") + " ở đây"
    (hit,) = find_hits(text, "chuyen doi so")
    assert unicodedata.normalize("NFC", text[hit.start : hit.end]) == "chuyển đổi số"


@pytest.mark.parametrize("query", ["", "   ", "—", "*", "()", "«»", '"'])
def test_query_without_a_word_finds_nothing(query):
    assert not parse_query(query)
    assert find_hits("chuyển đổi số NOT AND ( * )", query) == []


@pytest.mark.parametrize(
    ("query", "hit"),
    [
        ('"chuyển đổi số"', ("chuyển đổi số", Tier.EXACT)),
        ("(UBND)", ("UBND", Tier.FOLDED)),
        ('"NOT AND (', ("NOT AND", Tier.FOLDED)),
    ],
)
def test_punctuation_around_words_is_not_asked_for(query, hit):
    assert found("UBND: chuyển đổi số NOT AND ( * )", query) == [hit]


def test_best_tier_hits_returns_only_the_best_grade():
    text = "Dang uy; Đảng ủy; Pang uy"
    assert [h.tier for h in best_tier_hits(text, "Đảng ủy")] == [Tier.EXACT]
    assert [h.tier for h in best_tier_hits("Pang uy và Bang uy", "Đảng ủy")] == [Tier.OCR] * 2


# --- context -----------------------------------------------------------------------------------


def test_snippet_quotes_the_hit_with_context_cut_between_words():
    text = "một hai ba bốn năm\nsáu bảy   tám chín mười"
    start = text.index("sáu")
    before, match, after = snippet(text, Hit(start, start + len("sáu bảy"), Tier.EXACT), width=8)
    assert (before, match, after) == ("…năm ", "sáu bảy", " tám…")


def test_snippet_of_a_short_text_is_the_whole_text():
    text = "Đảng ủy\nđặc khu"
    assert snippet(text, Hit(0, 7, Tier.EXACT)) == ("", "Đảng ủy", " đặc khu")


def test_line_number_counts_from_one():
    text = "a\nb\nc"
    assert [line_number(text, text.index(ch)) for ch in "abc"] == [1, 2, 3]


# --- properties -----------------------------------------------------------------------------

WORDS = (
    "chuyển đổi số quốc gia đảng ủy đặc khu cát hải kế hoạch thực hiện nghị quyết nhiệm vụ "
    "chỉ tiêu báo cáo công nghệ khoa học đổi mới sáng tạo hành chính dịch vụ công trực tuyến "
    "hồ sơ người dân doanh nghiệp tập huấn cán bộ năm tháng hằng thường xuyên giải pháp"
).split()
MARKED = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"


def _strip(ch: str) -> str:
    return "d" if ch == "đ" else unicodedata.normalize("NFD", ch)[0]


def scan(word: str, rng: random.Random) -> str:
    """The word as OCR may return it: marked vowels dropped, swapped or read as a digit (never
    at the start, where a digit would split the word), Đ as P, B or D."""
    out = []
    for i, ch in enumerate(word):
        if ch == "đ" and i == 0:
            out.append(rng.choice("pbd"))
        elif ch in MARKED:
            choices = [_strip(ch), "é", "á", "ó"] + (["6"] if i > 0 else [])
            out.append(rng.choice(choices))
        else:
            out.append(ch)
    return "".join(out)


texts = st.text(alphabet=st.sampled_from(list("aăâđeêoôơuưy bcdhngt\n.,;()\"'*-/0123456")))
queries = st.text(alphabet=st.sampled_from(list('aăâđeoôuư bcdhngt."(*-06')), max_size=12)


@given(texts, queries)
def test_hits_are_in_bounds_ordered_and_disjoint(text, query):
    hits = find_hits(text, query)
    assert all(0 <= h.start < h.end <= len(text) for h in hits)
    assert all(a.end <= b.start for a, b in itertools.pairwise(hits))
    best = best_tier_hits(text, query)
    if hits:
        assert best and {h.tier for h in best} == {min(h.tier for h in hits)}
        assert best_hit(hits).tier == best[0].tier
    else:
        assert best == []


separators = st.sampled_from([" ", "  ", "\n", " \n\n", "\t"])


@given(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=12),
    st.data(),
)
def test_a_phrase_of_the_text_is_found_where_it_stands(words, data):
    seps = data.draw(st.lists(separators, min_size=len(words), max_size=len(words)))
    text = "".join(w + s for w, s in zip(words, seps, strict=True))
    i = data.draw(st.integers(0, len(words) - 1))
    j = data.draw(st.integers(i + 1, len(words)))
    phrase = " ".join(words[i:j])
    at = sum(len(w) + len(s) for w, s in zip(words[:i], seps[:i], strict=True))
    for query, worst in ((phrase, Tier.EXACT), (fold(phrase), Tier.FOLDED)):
        if query == fold(query):
            worst = Tier.FOLDED  # typed without diacritics: no exact grade
        assert any(h.start <= at < h.end and h.tier <= worst for h in find_hits(text, query))


@settings(max_examples=200)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5), st.integers(0, 10**6))
def test_a_phrase_as_ocr_damaged_it_is_still_found(words, seed):
    rng = random.Random(seed)
    damaged = " ".join(scan(w, rng) for w in words)
    text = f"Trên địa bàn, {damaged}; hết."
    at = text.index(damaged)
    hits = find_hits(text, " ".join(words))
    assert any(h.start <= at < h.end and h.tier <= Tier.OCR for h in hits), (damaged, hits)


@given(texts, st.integers(0, 200), st.integers(0, 40), st.integers(1, 100))
def test_snippet_reads_as_the_text_around_the_hit(text, start, length, width):
    if not text.strip():
        return
    start = min(start, len(text) - 1)
    hit = Hit(start, min(len(text), start + max(length, 1)), Tier.EXACT)
    before, match, after = snippet(text, hit, width)
    collapsed = re.sub(r"\s+", " ", text)
    assert match == re.sub(r"\s+", " ", text[hit.start : hit.end])
    joined = before.removeprefix("…") + match + after.removesuffix("…")
    assert joined.strip() in collapsed.strip() or not joined.strip()
    assert len(before) <= width + 1 and len(after) <= width + 1
