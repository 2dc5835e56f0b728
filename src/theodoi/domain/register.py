"""Rules of the register of issued reports (sổ đăng ký văn bản đi)."""

from __future__ import annotations

import datetime as dt

# How far back an issue date may be entered: a report signed a few weeks before it is
# registered is common; one signed years ago, or in 1900, is a typing mistake.
ISSUE_DATE_PAST_DAYS = 92


def issue_date_problem(
    *,
    issued_on: dt.date,
    period_start: dt.date,
    period_end: dt.date,
    today: dt.date,
    as_of: dt.date | None = None,
) -> str | None:
    """Why ``issued_on`` cannot be the date of a report on the period, in Vietnamese, or
    None: a report is issued once its period has ended — or, when its figures run to an
    earlier date (``as_of``: the year's report of 25/11 asked for before the year ends), once
    that date is reached — not in the future, and not long before it is entered."""
    if issued_on > today:
        return f"Ngày ban hành {issued_on:%d/%m/%Y} ở tương lai (hôm nay là {today:%d/%m/%Y})."
    if as_of is not None and as_of < period_end:
        if issued_on < as_of:
            return (
                f"Ngày ban hành {issued_on:%d/%m/%Y} trước ngày số liệu được tính đến "
                f"({as_of:%d/%m/%Y}): báo cáo được ban hành từ ngày đó trở đi."
            )
    elif issued_on < period_end:
        return (
            f"Ngày ban hành {issued_on:%d/%m/%Y} trước khi kỳ báo cáo "
            f"({period_start:%d/%m/%Y}–{period_end:%d/%m/%Y}) kết thúc: báo cáo về một kỳ được "
            "ban hành sau ngày cuối kỳ."
        )
    earliest = today - dt.timedelta(days=ISSUE_DATE_PAST_DAYS)
    if issued_on < earliest:
        return (
            f"Ngày ban hành {issued_on:%d/%m/%Y} cách hôm nay hơn {ISSUE_DATE_PAST_DAYS} ngày: "
            "hãy kiểm tra lại ngày (báo cáo được vào sổ khi ban hành)."
        )
    return None
