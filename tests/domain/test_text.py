from hypothesis import given
from hypothesis import strategies as st

from theodoi.domain.text import fold, normalize


def test_fold_removes_tone_marks_and_maps_d():
    assert fold("Đảng ủy đặc khu Cát Hải") == "dang uy dac khu cat hai"
    assert fold("CHUYỂN ĐỔI SỐ") == "chuyen doi so"


def test_fold_collapses_whitespace_and_unifies_dashes():
    assert fold("  Phòng Văn hóa – Xã hội ") == "phong van hoa - xa hoi"


def test_normalize_composes_decomposed_text():
    decomposed = "Vie\u0302\u0323t Nam"
    assert normalize(decomposed) == "Việt Nam"


VIETNAMESE = st.text(
    alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩị"
    "óòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵĐĂÂÊÔƠƯ ",
    max_size=40,
)


@given(VIETNAMESE)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(VIETNAMESE)
def test_fold_leaves_only_plain_latin_letters(text):
    assert all(ch == " " or "a" <= ch <= "z" for ch in fold(text))


def test_matches_every_word_typed_with_or_without_diacritics():
    from theodoi.domain.text import matches

    title = "Đẩy mạnh chuyển đổi số trong Đảng ủy"
    assert matches("chuyen doi so", title)
    assert matches("DANG UY  day manh", title)
    assert not matches("chuyen doi so quoc gia", title)
    assert matches("", title) and matches("so", None, title)


def test_typed_text_keeps_what_was_meant_and_drops_control_characters():
    from theodoi.domain.text import clean_typed_text

    assert (
        clean_typed_text("Dòng một\x0bdòng hai\r\nba\x01\x7f\tcột") == "Dòng một\ndòng hai\nba\tcột"
    )
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "chuyển đổi số")
    assert clean_typed_text(decomposed) == unicodedata.normalize("NFC", "chuyển đổi số")
    assert clean_typed_text(None) == ""
