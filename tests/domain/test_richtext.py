import pytest

from theodoi.domain.richtext import (
    RichTextError,
    as_html,
    clean,
    numbers,
    paragraphs,
    typed_numbers,
)


def test_only_what_a_report_holds_is_kept():
    dirty = (
        '<p onclick="x()">Đã <strong>hoàn thành</strong><script>alert(1)</script>'
        '<img src=x onerror=y><a href="javascript:z">link</a><sup>1</sup></p>'
    )
    assert clean(dirty) == "<p>Đã <strong>hoàn thành</strong>link<sup>1</sup></p>"
    with pytest.raises(RichTextError, match="dài quá"):
        clean("<p>" + "a" * 300_000 + "</p>")


def test_paragraphs_and_lists_become_the_reports_lines_and_back():
    html = "<p>Mở đầu.</p><ul><li>Một;</li><li>Hai.</li></ul><ol><li>A</li><li>B</li></ol>"
    lines = paragraphs(html)
    assert lines == ["Mở đầu.", "- Một;", "- Hai.", "1. A", "2. B"]
    assert paragraphs(as_html(["Mở đầu.", "- Một;", "- Hai."])) == ["Mở đầu.", "- Một;", "- Hai."]


def test_numbers_as_the_reports_write_them_not_dates_symbols_or_years():
    text = (
        "Ngày 31/03/2026 theo Kế hoạch 96/KH-UBND và Nghị quyết 57-NQ/TW năm 2026: tiếp nhận "
        "1.289 hồ sơ, tỷ lệ 95,0%, 02 hồ sơ quá hạn, 12 thủ tục."
    )
    assert numbers(text) == ["1.289", "95,0", "02", "12"]


def test_numbers_typed_over_are_those_the_data_did_not_give():
    generated = ["Tiếp nhận 1.289 hồ sơ, trực tuyến 1.225 hồ sơ (95,0%)."]
    edited = ["Tiếp nhận 1.300 hồ sơ, trực tuyến 1.225 hồ sơ (95,0%); thêm 7 hồ sơ."]
    assert typed_numbers(edited, generated) == ["1.300", "7"]
    assert typed_numbers(generated, generated) == []


def test_a_paragraph_all_in_bold_opens_a_part():
    html = (
        "<p>Mở đầu.</p><p><strong>2. Hạ tầng số</strong></p><p>Có <strong>58</strong> thôn.</p>"
        "<ul><li><strong>Một</strong></li></ul>"
    )
    from theodoi.domain.richtext import parts

    assert parts(html) == [("", ["Mở đầu."]), ("2. Hạ tầng số", ["Có 58 thôn.", "- Một"])]
    assert parts(as_html(["Có 58 thôn."], heading="2. Hạ tầng số")) == [
        ("2. Hạ tầng số", ["Có 58 thôn."])
    ]


def test_a_number_from_the_data_is_a_live_figure_read_from_the_data_when_built():
    from decimal import Decimal

    from theodoi.domain.richtext import (
        LiveFigures,
        figure_key,
        link_figures,
        parts,
        plain_paragraphs,
        relink,
    )

    received, share = figure_key("HS_TIEP_NHAN"), figure_key("TY_LE", "online")
    figures = {received: (Decimal("1289"), "Báo cáo 12"), share: (Decimal("95.04"), "")}
    html = as_html(["Tiếp nhận 1.289 hồ sơ (95,0%) tại 3 điểm, quý 1."], "1. Hành chính", figures)
    assert 'data-so-lieu="HS_TIEP_NHAN||" title="Báo cáo 12">1.289</span>' in html
    assert ">95,0</span>%" in html
    assert clean(html) == html  # the sanitiser keeps live figures
    assert "3 điểm" in html and ">3<" not in html  # a small whole number stays text
    assert link_figures("Năm 2026 có 1.289", figures).startswith("Năm 2026 có <span")
    # the data changed since: the report states the data's value, never the old text
    live = LiveFigures({received: Decimal("1300")})
    assert parts(html, live) == [
        ("1. Hành chính", ["Tiếp nhận 1.300 hồ sơ ([chưa có số liệu]%) tại 3 điểm, quý 1."])
    ]
    assert live.linked == [received] and live.missing == [share]
    assert ">1.300</span>" in relink(html, LiveFigures({received: Decimal("1300")}))
    # what was typed by hand is the text without its live figures
    assert plain_paragraphs(html)[1] == "Tiếp nhận hồ sơ (%) tại 3 điểm, quý 1."
    # a forged span keeps only the live figure's key, its class and title
    forged = (
        '<p><span class="so-lieu x" style="color:red" data-so-lieu="A" onclick="y">1</span></p>'
    )
    assert clean(forged) == '<p><span class="so-lieu" data-so-lieu="A">1</span></p>'
