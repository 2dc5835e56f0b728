"""The scale benchmark states its figures as Vietnamese numbers (decimal comma)."""

from theodoi.bench.scale import _verdict


def test_a_miss_says_by_how_much_with_a_decimal_comma():
    assert _verdict(17.7, 10, "s") == "(mục tiêu ≤ 10 s: CHƯA ĐẠT, gấp 1,8 lần)"
    assert _verdict(0.47, 2.0, "lần") == "(mục tiêu ≤ 2 lần: đạt)"
    assert _verdict(1.6, 1.5, "s") == "(mục tiêu ≤ 1,5 s: CHƯA ĐẠT, gấp 1,1 lần)"


def test_the_rollup_is_timed_warm_and_after_a_change_that_leaves_nothing_behind(dataset):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from theodoi.bench.scale import rollup_timings
    from theodoi.domain.periods import parse_period
    from theodoi.orgs.models import OrgUnit
    from theodoi.progress.models import UnitStamp

    before = dict(UnitStamp.objects.values_list("unit_id", "stamp"))
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        timed = rollup_timings(OrgUnit.objects.get(code="HP"), parse_period("2026-Q1"), 2)
    assert timed["ours_p50_ms"] > 0 and timed["after_change_p50_ms"] > 0
    # the figures are summed for the first answer and for each read after a change (2), not
    # for the warm reads: each "change" is a key never cached
    sums = [q for q in queries.captured_queries if 'SUM("progress_datavalue"."value")' in q["sql"]]
    assert len(sums) == 1 + 2
    assert dict(UnitStamp.objects.values_list("unit_id", "stamp")) == before


def test_a_page_under_load_says_where_its_time_goes():
    from theodoi.bench.scale import _cpu_bound

    said = _cpu_bound({"server_cpu_ms": 8.5, "client_cpu_ms": 1.5, "clients": 20}, 2)
    # 10 ms of CPU per request on 2 cores: at most 200 requests a second, 100 ms of waiting
    assert said == (
        "mỗi yêu cầu tốn 8,5 ms CPU ở máy chủ và 1,5 ms ở chương trình đo (chưa kể cơ sở dữ "
        "liệu): 2 nhân trả lời được nhiều nhất ≈ 200 yêu cầu/giây, nên 20 người dùng chờ "
        "trung bình ít nhất ≈ 100 ms"
    )
