import datetime as dt

from theodoi.domain.references import find_references, parse_reference


def test_plan_reference_with_date():
    ref = parse_reference("Kế hoạch số 96/KH-UBND ngày 22/10/2025 của UBND đặc khu")
    assert (ref.symbol, ref.doc_type, ref.issued_on) == ("96/KH-UBND", "KH", dt.date(2025, 10, 22))


def test_party_symbols_with_dash_first():
    assert parse_reference("Kế hoạch hành động số 09-KH/ĐU, ngày 03/10/2025").symbol == "09-KH/ĐU"
    ref = parse_reference("Nghị quyết 57-NQ/TW")
    assert (ref.symbol, ref.doc_type, ref.issued_on) == ("57-NQ/TW", "NQ", None)


def test_symbols_with_year_and_long_issuer():
    ref = parse_reference("Thông tư số 02/2025/TT-BGDĐT ngày 24/01/2025")
    assert (ref.symbol, ref.doc_type, ref.issued_on) == (
        "02/2025/TT-BGDĐT",
        "TT",
        dt.date(2025, 1, 24),
    )


def test_ocr_spaces_and_lost_dj_are_repaired():
    assert parse_reference("Quyết định số 1907/QĐ- UBND ngày 31/10/2025").symbol == "1907/QĐ-UBND"
    assert parse_reference("Quyét dinh s6 964/QD-TTg ngay 10/8/2022").symbol == "964/QĐ-TTg"


def test_all_references_in_a_sentence_in_order():
    text = (
        "Thực hiện Kế hoạch số 238/KH-UBND ngày 13/9/2025 của UBND thành phố về thực "
        "hiện Kế hoạch hành động số 12-KH/TU, ngày 26/8/2025 và Nghị quyết số 71/NQ-CP"
    )
    assert [r.symbol for r in find_references(text)] == ["238/KH-UBND", "12-KH/TU", "71/NQ-CP"]
    assert find_references(text)[1].issued_on == dt.date(2025, 8, 26)


def test_numbers_that_are_not_symbols_are_ignored():
    assert find_references("Tiếp nhận 1.495 hồ sơ, đạt 98,39% trong 12 tháng") == []
