"""The scale benchmark states its figures as Vietnamese numbers (decimal comma)."""

from theodoi.bench.scale import _verdict


def test_a_miss_says_by_how_much_with_a_decimal_comma():
    assert _verdict(17.7, 10, "s") == "(mục tiêu ≤ 10 s: CHƯA ĐẠT, gấp 1,8 lần)"
    assert _verdict(0.47, 2.0, "lần") == "(mục tiêu ≤ 2 lần: đạt)"
    assert _verdict(1.6, 1.5, "s") == "(mục tiêu ≤ 1,5 s: CHƯA ĐẠT, gấp 1,1 lần)"
