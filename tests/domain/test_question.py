"""Reading questions: periods as offices write them, typos forgiven only where they cannot
change the meaning, two equally good readings refused, follow-ups keeping the context."""

from __future__ import annotations

import datetime as dt

import pytest

from theodoi.domain import periods as p
from theodoi.domain.question import parse
from theodoi.domain.question_periods import Compare, compared_period, find_period
from theodoi.domain.question_terms import Term, Vocabulary
from theodoi.domain.question_words import Kind, Question, Unclear

TODAY = dt.date(2026, 4, 20)


def _term(kind: str, key: str, label: str, *phrases: str) -> Term:
    measure = {"ratio": "%", "element": "ho so"}.get(kind, "")
    return Term(kind, key, label, tuple(tuple(ph.split()) for ph in phrases), measure)


VOCABULARY = Vocabulary(
    terms=(
        _term("unit", "VHXH", "Phòng Văn hóa - Xã hội", "phong van hoa xa hoi", "van hoa xa hoi"),
        _term("unit", "HUYEN", "Huyện Cát Hải", "huyen cat hai", "huyen"),
        _term("unit", "KT", "Phòng Kinh tế", "phong kinh te"),
        _term("unit", "KT2", "Phòng Kinh tế hạ tầng", "phong kinh te"),
        _term("element", "dossiers.online", "Hồ sơ tiếp nhận trực tuyến", "ho so truc tuyen"),
        _term("element", "dossiers.received", "Hồ sơ tiếp nhận", "ho so tiep nhan"),
        _term("ratio", "share", "Tỷ lệ hồ sơ trực tuyến", "ty le ho so truc tuyen"),
    ),
    abbreviations={"vhxh": "van hoa xa hoi", "nv": "nhiem vu", "hs": "ho so"},
    task_codes=frozenset({"2.8"}),
)


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("quy 1", p.quarter(2026, 1)),
        ("q1/2025", p.quarter(2025, 1)),
        ("quy iv nam 2025", p.quarter(2025, 4)),
        ("quy truoc", p.quarter(2026, 1)),
        ("quy nay", p.quarter(2026, 2)),
        ("6 thang dau nam", p.half(2026, 1)),
        ("6 thang cuoi nam 2025", p.half(2025, 2)),
        ("9 thang", p.nine_months(2026)),
        ("thang nay", p.month_period(2026, 4)),
        ("thang 12/2025", p.month_period(2025, 12)),
        ("nam nay", p.year_period(2026)),
        ("nam ngoai", p.year_period(2025)),
        ("tu 01/07/2025 den 04/11/2025", p.custom(dt.date(2025, 7, 1), dt.date(2025, 11, 4))),
    ],
)
def test_period_expressions_of_the_offices(text, period):
    assert find_period(text, TODAY).period == period


def test_no_period_in_a_task_code_or_a_plain_number():
    assert find_period("nhiem vu 2.8 giao cho ai", TODAY) is None
    assert find_period("bao cao nao neu so 1.495", TODAY) is None


def test_same_period_last_year_and_period_before():
    q1 = p.quarter(2026, 1)
    assert compared_period(q1, Compare.PREVIOUS) == p.quarter(2025, 4)
    assert compared_period(q1, Compare.LAST_YEAR) == p.quarter(2025, 1)


def test_question_with_and_without_diacritics_reads_the_same():
    typed = parse("Bao nhiêu nhiệm vụ quá hạn của Phòng VHXH quý 1?", VOCABULARY, TODAY)
    plain = parse("bao nhieu nv qua han cua phong vhxh q1", VOCABULARY, TODAY)
    assert isinstance(typed, Question) and typed == plain
    assert typed.kind is Kind.TASKS
    assert typed.statuses == ("overdue",)
    assert typed.unit.key == "VHXH"
    assert typed.period == p.quarter(2026, 1)


def test_completed_late_is_not_read_as_overdue():
    parsed = parse("bao nhieu nhiem vu hoan thanh qua han", VOCABULARY, TODAY)
    assert parsed.statuses == ("completed_late",)


def test_a_typo_in_a_long_word_is_forgiven():
    parsed = parse("ty le ho so truc tuyne quy 1", VOCABULARY, TODAY)
    assert isinstance(parsed, Question) and parsed.element.key == "share"


def test_a_short_word_one_letter_off_is_not_another_word():
    # "tuyen" is one letter from "huyen": no unit may be read into this question
    parsed = parse("ty le ho so truc tuyen quy 1", VOCABULARY, TODAY)
    assert parsed.unit is None


def test_the_longer_name_wins_over_its_part():
    parsed = parse("so ho so truc tuyen quy 1", VOCABULARY, TODAY)
    assert parsed.element.key == "dossiers.online"
    share = parse("ty le ho so truc tuyen", VOCABULARY, TODAY)
    assert share.element.key == "share"


def test_two_units_of_the_same_name_are_not_guessed():
    parsed = parse("nhiem vu qua han cua phong kinh te", VOCABULARY, TODAY)
    assert isinstance(parsed, Unclear)
    assert "Phòng Kinh tế" in parsed.reason and "Phòng Kinh tế hạ tầng" in parsed.reason


def test_follow_up_keeps_the_figure_and_compares():
    first = parse("ty le ho so truc tuyen quy 1 nam 2026", VOCABULARY, TODAY)
    follow = parse("so voi quy truoc thi sao?", VOCABULARY, TODAY, first)
    assert follow.element == first.element and follow.period == first.period
    assert follow.compare is Compare.PREVIOUS
    other = parse("con quy 4 nam 2025?", VOCABULARY, TODAY, follow)
    assert other.period == p.quarter(2025, 4) and other.compare is None


def test_follow_up_without_a_question_before_is_refused():
    assert isinstance(parse("so voi quy truoc thi sao?", VOCABULARY, TODAY), Unclear)


def test_unknown_task_code_is_refused_not_answered():
    parsed = parse("van ban nao giao nhiem vu 9.9?", VOCABULARY, TODAY)
    assert isinstance(parsed, Unclear) and "9.9" in parsed.reason


@pytest.mark.parametrize("text", ["", "xin chao", "gia vang hom nay", "bao nhieu?"])
def test_questions_about_nothing_known_are_refused_with_examples(text):
    parsed = parse(text, VOCABULARY, TODAY)
    assert isinstance(parsed, Unclear) and parsed.suggestions


def test_number_asked_about_is_read_as_vietnamese_writes_it():
    parsed = parse("bao cao nao da neu so ho so 1.495?", VOCABULARY, TODAY)
    assert parsed.kind is Kind.NUMBER_SOURCE and str(parsed.number) == "1495"


def test_the_noun_asked_for_decides_the_figure():
    vocabulary = Vocabulary(
        terms=(
            Term(
                "element",
                "teams",
                "Tổ công nghệ số cộng đồng",
                (("to", "cong", "nghe", "so", "cong", "dong"),),
                "to",
            ),
            Term(
                "element",
                "members",
                "Thành viên tổ công nghệ số cộng đồng",
                (("thanh", "vien", "to", "cong", "nghe", "so", "cong", "dong"),),
                "nguoi",
            ),
        )
    )
    teams = parse("co bao nhieu to cong nghe so cong dong", vocabulary, TODAY)
    members = parse("to cong nghe so cong dong co bao nhieu thanh vien", vocabulary, TODAY)
    people = parse("to cong nghe so cong dong co bao nhieu nguoi", vocabulary, TODAY)
    assert teams.element.key == "teams"
    assert members.element.key == "members" and people.element.key == "members"
    # a noun no figure has is not answered with the figure that is there
    assert isinstance(
        parse("to cong nghe so cong dong co bao nhieu xe", vocabulary, TODAY), Unclear
    )


def test_a_share_is_not_answered_with_a_count():
    assert isinstance(parse("ty le ho so tiep nhan quy 1", VOCABULARY, TODAY), Unclear)


def test_a_place_the_data_does_not_hold_is_refused():
    parsed = parse("phuong le chan co bao nhieu nhiem vu qua han", VOCABULARY, TODAY)
    assert isinstance(parsed, Unclear) and "phuong le chan" in parsed.reason


@pytest.mark.parametrize(
    "text", ["quy 5/2026 co bao nhieu nhiem vu qua han", "du bao ty le ho so truc tuyen nam 2030"]
)
def test_no_such_period_and_forecasts_are_refused(text):
    assert isinstance(parse(text, VOCABULARY, TODAY), Unclear)


def test_a_date_left_unread_is_not_replaced_by_another_period():
    parsed = parse("so ho so tiep nhan tu 1/7 toi 4/11", VOCABULARY, TODAY)
    assert isinstance(parsed, Unclear)


def test_compare_with_a_named_period():
    parsed = parse("ty le ho so truc tuyen quy 1/2026 so voi quy iv nam ngoai", VOCABULARY, TODAY)
    assert parsed.period == p.quarter(2026, 1)
    assert parsed.compare is Compare.PERIOD and parsed.compare_with == p.quarter(2025, 4)


@pytest.mark.parametrize(
    "text",
    [
        "nhiem vu khong qua han",  # negation
        "nhiem vu chua xong",
        "nhiem vu dang thuc hien va qua han",  # two statuses
        "nhiem vu qua han hoac chua trien khai",
        "so ho so truc tuyen quy 1 va quy 4 nam 2025",  # two periods
        "so ho so truc tuyen truoc quy 1",  # a period qualified
        "so ho so truc tuyen hai quy truoc",
        "nhiem vu qua han cua phong kinh te hay phong van hoa xa hoi",  # two units
        "nhiem vu qua han cua phong van hoa",  # a unit the data does not hold
        "so ho so tiep nhan truc tiep quy 1",  # a qualifier the reader would drop
        "ty le nhiem vu da hoan thanh",  # a share of tasks
        "nhiem vu qua han so voi quy truoc",  # a comparison of tasks
        "ai chu tri nhiem vu 2.8 va 1.1",  # two tasks
        "x" * 501,  # too long
    ],
)
def test_questions_a_reader_would_answer_wrongly_are_refused(text):
    assert isinstance(parse(text, VOCABULARY, TODAY), Unclear), text


@pytest.mark.parametrize(
    "text",
    ["nhiem vu 2.8 da hoan thanh chua?", "bao nhieu nhiem vu qua han phai khong"],
)
def test_a_yes_no_ending_is_not_a_negation(text):
    vocabulary = Vocabulary(VOCABULARY.terms, VOCABULARY.abbreviations, frozenset({"2.8"}))
    assert isinstance(parse(text, vocabulary, TODAY), Question), text


def test_refusals_quote_the_words_as_typed():
    parsed = parse("Nhiệm vụ không quá hạn của Phường Lê Chân", VOCABULARY, TODAY)
    assert isinstance(parsed, Unclear) and "“Phường Lê Chân”" in parsed.reason
    negated = parse("Nhiệm vụ nào không quá hạn?", VOCABULARY, TODAY)
    assert "“không”" in negated.reason


def test_status_names_are_the_domains_own():
    from theodoi.domain.status import TaskStatus

    parsed = parse("bao nhieu nhiem vu qua han", VOCABULARY, TODAY)
    assert (
        parsed.status_phrase == TaskStatus.OVERDUE.label[:1].lower() + TaskStatus.OVERDUE.label[1:]
    )
