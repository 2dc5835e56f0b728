"""What makes a question unsafe to answer, checked before any number is given: a negation or
two conditions the reader would drop ("không quá hạn", "quá hạn hoặc chưa triển khai"), two
periods or two units where one is answered, a period qualified in a way the reader does not
take ("trước quý 1", "hai quý trước"), a unit named in words the data has no unit for, a
question cut short. Each returns the reason, in Vietnamese, or "" when the question is safe.

A refusal is better than a wrong number: every rule here leans towards refusing.
"""

from __future__ import annotations

import datetime as dt
import re

from theodoi.domain.question_periods import find_period
from theodoi.domain.question_terms import same_word

MAX_QUESTION = 500

# negations and joins: the reader answers one condition, never "not" or "or" of it
# ("những" is "nhưng" once folded: a plural, not "but", so it is not here)
_NEGATION = re.compile(r"\b(khong|chua|ngoai|tru|khac|hoac|tru ra|loai tru|ko)\b")
# a period the reader cannot take as it is said
_QUALIFIED_PERIOD = re.compile(r"\b(truoc|sau|ngoai|tru|tu sau|ke tu)\s*$")
_CHAINED = re.compile(
    r"\b(truoc|sau) nua\b|\b(hai|ba|bon|2|3|4)\s+(quy|thang|nam|ky)\s+(truoc|sau|gan day|qua)\b"
)
# words that name a unit: with none of the data's units found, the question names one it lacks
_UNIT_WORDS = re.compile(
    r"\b(phong(?! chong)|trung tam|cong an|van phong|ban chi dao|doan thanh nien|"
    r"hoi (?:lien hiep|phu nu|nong dan|cuu chien binh)|uy ban|dang uy|mat tran|to dan pho|"
    r"thon|khu pho)\b"
)
_ASKING_WHICH_UNIT = re.compile(r"\b(phong|don vi|co quan|uy ban) nao\b")


def too_long(text: str) -> str:
    if len(text) > MAX_QUESTION:
        return (
            f"Câu hỏi dài {len(text)} ký tự, quá {MAX_QUESTION} ký tự: hãy hỏi ngắn hơn, mỗi câu "
            "một điều."
        )
    return ""


def negated(text: str, matched: list[tuple[int, int]]) -> str:
    """A negation or a join outside the phrases the reader took (``matched`` spans of the
    folded ``text``)."""
    for m in _NEGATION.finditer(text):
        if any(start <= m.start() < end for start, end in matched):
            continue
        if text[m.start() :].startswith(
            ("chua gui", "chua nop", "chua bao cao", "chua co bao cao")
        ):
            continue  # the question about late reports says it this way
        return (
            f"Câu hỏi có “{m.group(1)}” (phủ định hoặc nhiều điều kiện) mà hệ thống chưa trả "
            "lời chắc chắn được: hãy hỏi từng điều một, không phủ định."
        )
    return ""


def several_periods(text: str, today: dt.date) -> str:
    """Two periods where the question answers one ("quý 1 và quý 4", "từ quý 4 đến quý 1")."""
    first = find_period(text, today)
    if first is None:
        return ""
    second = find_period(text[first.end :], today)
    if second is None or second.bare_year:
        return ""
    return "Câu hỏi nêu hai kỳ: hãy hỏi từng kỳ, hoặc hỏi kỳ sau “so với” kỳ trước."


def qualified_period(text: str, start: int) -> str:
    """ "trước quý 1", "sau quý 1", "ngoài quý 1": a period the reader does not take as it is."""
    if _QUALIFIED_PERIOD.search(text[:start]) or _CHAINED.search(text):
        return (
            "Chưa hiểu kỳ hỏi (“trước”, “sau”, “nữa” …): hãy nêu đúng một kỳ, ví dụ “quý IV "
            "năm 2025”."
        )
    return ""


def unit_not_found(text: str) -> str:
    """The words (folded) that name a unit when none of the data's units was found in them;
    "" when the question names none."""
    m = _UNIT_WORDS.search(_ASKING_WHICH_UNIT.sub(" ", text))
    if m:
        return " ".join(text[m.start() :].split()[: len(m.group(0).split()) + 3])
    return ""


# Words any question may hold besides what it asks about: asking, linking, periods, places.
# A word outside these and outside what the reader took is a condition it would drop.
_GENERIC = frozenset(
    """
    a ai bao nhieu nhiu may la gi nao nhung cac mot hai ba bon tong cong so luong
    cho biet toi xin hay vui long hoi minh oi nhe a thong ke liet ke danh sach ke ten gom
    co khong duoc da dang se con vay thi the sao ra nhu the nao hien nay den tinh tai thoi
    diem hom qua cua o tren dia ban trong ve voi va theo tu toi het dau cuoi nua ngay thang
    quy qui q nam ky nay truoc sau vua hien tai lien i ii iii iv tu luy ke toan bo dac khu
    don vi co quan phong nhiem vu nv chi tieu viec cong moc tong so lieu bang con so
    lam giao tien do gio bay luc di cai do chu tri phu trach dat muc
    """.split()
)


def left_over(words: list[str], taken: set[str]) -> list[str]:
    """The words of a question neither taken by the reader nor generic (see ``_GENERIC``):
    digits, codes and dates aside."""
    return [
        w
        for w in words
        if w not in taken
        and w not in _GENERIC
        and not re.search(r"\d", w)
        and len(w) > 1
        and not any(same_word(w, known) for known in taken)  # a typo of a word taken
    ]
