from decimal import Decimal as D

from theodoi.domain.outliers import OutlierRule, unusual


def test_a_change_larger_than_the_share_is_unusual_either_way():
    assert unusual(D(1300), D(1289)) == ""
    assert unusual(D(2600), D(1289)).startswith("Tăng 101,71% so với kỳ trước (1.289)")
    assert unusual(D(100), D(1289)).startswith("Giảm 92,24%")
    assert unusual(D(1700), D(1000), rule=OutlierRule(share=D("0.8"))) == ""
    assert unusual(D(5), None) == ""  # nothing to compare with


def test_far_from_the_units_own_history():
    history = [D(100), D(102), D(98), D(101), D(99)]
    assert unusual(D(104), D(101), history) == ""
    assert unusual(D(140), D(101), history, OutlierRule(share=D(1))).startswith("Khác xa")
    assert unusual(D(140), D(101), history[:3], OutlierRule(share=D(1))) == ""  # too little
