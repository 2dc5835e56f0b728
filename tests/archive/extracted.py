"""Figures as the extractor hands them over, read from report 276/BC-UBND (seed 004, OCR):
quotes copied verbatim from the seed's lines, for the review queue's tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from theodoi.documents.models import Document
from theodoi.domain.extraction import ExtractedFigure

SYMBOL = "276/BC-UBND"
# Appendix 2 indicator PL2.8 of 96/KH-UBND: civil servants mastering digital skills (%).
INDICATOR_ELEMENT = "indicator.96/kh-ubnd.PL2.8"

# line 110: "- 100% can bg, cong chirc cua cac co quan, don vi ¢O kha nang tmg dung cdng nghé"
IT_CAPABLE = ExtractedFigure(
    element=INDICATOR_ELEMENT,
    value=Decimal("100"),
    unit="%",
    scope=None,
    period=None,
    line=110,
    quote="100% can bg, cong chirc cua cac co quan, don vi ¢O kha nang tmg dung cdng nghé",
)
# line 244, also in data/figures.yaml: the dataset already holds this very figure.
MEMBERS = ExtractedFigure(
    element="community_tech_team.members",
    value=Decimal("386"),
    unit="người",
    scope=None,
    period=None,
    line=244,
    quote="tong s6 386 thanh vién",
)
# line 336 states the same count again, in other words.
MEMBERS_AGAIN = ExtractedFigure(
    element="community_tech_team.members",
    value=Decimal("386"),
    unit="người",
    scope=None,
    period=None,
    line=336,
    quote="voi tong s6 386 thanh vién thudc 58 thon",
)
# line 136: a Vietnamese thousands separator in the text ("1.440").
CONTEST = ExtractedFigure(
    element="digital_citizen_contest.registered",
    value=Decimal("1440"),
    unit="người",
    scope=None,
    period=None,
    line=136,
    quote="di dang ky 1.440 nguoi tham gia cudc thi",
)
# line 262: a code the catalogue does not know (a table row the OCR flattened).
SESSIONS = ExtractedFigure(
    element="community_tech_team.sessions",
    value=Decimal("5"),
    unit="buổi",
    scope=None,
    period=None,
    line=262,
    quote="S6 budi hoi nghi, tap huan, hudng 2 5",
)
# line 155–156: a range the text states ("Từ 1/1/2025 đến 25/11/2025").
CERTIFICATES = ExtractedFigure(
    element="certificates.changed.individuals",
    value=Decimal("85"),
    unit="chứng thư",
    scope=None,
    period=(dt.date(2025, 1, 1), dt.date(2025, 11, 25)),
    line=156,
    quote="Chtng thu s cho 85 ¢ nhan",
)

ALL = [IT_CAPABLE, MEMBERS, MEMBERS_AGAIN, CONTEST, SESSIONS]


def report_276() -> Document:
    return Document.objects.get(symbol=SYMBOL)
