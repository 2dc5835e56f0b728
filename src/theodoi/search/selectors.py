"""Search across documents, tasks and indicators, despite lost diacritics and OCR errors.

Each object has one :class:`~theodoi.search.models.SearchEntry` (written by
:mod:`theodoi.search.index`) holding its texts as written, folded and as OCR-tolerant keys.
The database finds the candidates — SQLite through an FTS5 table, PostgreSQL through
full-text and trigram indexes — in stages from the most literal reading of the query to the loosest:

0. the query's words as typed, when typed with diacritics (SQLite only: on PostgreSQL
   stage 1 covers it);
1. the folded words as a phrase;
2. the words' keys as a phrase, with the keys OCR may show instead (Đ read as B);
3. every word's keys anywhere in the text;
4. PostgreSQL only: trigram word similarity on the folded text.

Python then grades each candidate's best hit (exact, folded, OCR, fuzzy), quotes it in
context, and ranks by grade, then stage, then the database's own rank. A candidate first
found in stage *s* cannot carry a hit better than grade *s*, so once enough results of grade
≤ *s* are in hand the later stages are not run.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from theodoi.documents.selectors import documents_visible_to
from theodoi.domain.search import (
    Hit,
    Query,
    Tier,
    best_tier_hits,
    line_number,
    parse_query,
    snippet,
)
from theodoi.plans.models import Indicator, Task
from theodoi.plans.selectors import plans_visible_to
from theodoi.reports.models import ReportState
from theodoi.reports.selectors import reports_visible_to
from theodoi.search.models import SearchEntry, SearchKind

FTS_TABLE = "documents_searchentry_fts"
TIER_LABELS = {
    Tier.EXACT: "Khớp đúng",
    Tier.FOLDED: "Khớp không dấu",
    Tier.OCR: "Khớp gần đúng (OCR)",
    Tier.FUZZY: "Khớp mờ",
}
# Rows each stage may hand over: the grading is in Python, so this bounds its cost.
STAGE_CAP = 300
# Beyond this many combinations of key alternatives, stage 2 is left to stage 3.
MAX_PHRASES = 32
SNIPPET_WIDTH = 80
TITLE_WIDTH = 400


@dataclass(frozen=True)
class SearchResult:
    """One object found: what it is, how well it matched, and the hit in context."""

    kind: str
    kind_label: str
    object: Any
    title: str
    subtitle: str
    tier: Tier
    tier_label: str
    before: str
    match: str
    after: str
    # Whether the hit is in the body (a document's full text, a task's expected output)
    # rather than the title; and, in a document's full text, the line it is on.
    in_body: bool
    line: int | None
    hit_count: int


MANY_HITS = 20
ENOUGH_BEFORE_FUZZY = 5


def search(
    *, user: Any | None, query: str, kinds: Iterable[str] | None = None, limit: int = 50
) -> list[SearchResult]:
    """Documents, tasks, indicators and issued reports the user may see that match ``query``,
    best first: by grade (exact, folded, OCR, fuzzy), then by the database's rank. An empty or
    punctuation-only query finds nothing."""
    if user is not None and not getattr(user, "is_authenticated", False):
        return []
    parsed = parse_query(query)
    wanted_kinds = [k for k in (kinds or SearchKind.values) if k in SearchKind.values]
    if not parsed or not wanted_kinds or limit <= 0:
        return []
    visible = _visible_entries(user=user, kinds=wanted_kinds)
    stages = _SQLITE_STAGES if connection.vendor == "sqlite" else _POSTGRES_STAGES
    seen: set[int] = set()
    graded: list[tuple[Tier, bool, int, int, SearchEntry, Hit, bool, int]] = []
    for stage, find in stages:
        ids = [i for i in find(parsed, visible, STAGE_CAP) if i not in seen]
        seen.update(ids)
        entries = SearchEntry.objects.in_bulk(ids)
        for order, entry_id in enumerate(ids):
            entry = entries.get(entry_id)
            grade = _grade(entry, parsed) if entry is not None else None
            if grade is not None:
                hit, in_title, in_body, count = grade
                graded.append((hit.tier, not in_title, stage, order, entry, hit, in_body, count))
        # Later stages cannot find anything graded better than their own number.
        if sum(1 for g in graded if g[0] <= stage) >= limit:
            break
    # Within a grade, what the query names in its title (a document's subject, a task's
    # title) before what only mentions it in its body; then the database's rank, which on
    # its own would put every long full text after the shortest titles.
    # Among equals, the text that says it most often (a report about the subject) first.
    graded.sort(key=lambda g: (g[0], g[1], -min(g[7], MANY_HITS), g[2], g[3]))
    if sum(1 for g in graded if g[0] < Tier.FUZZY) >= ENOUGH_BEFORE_FUZZY:
        # Loose matches only help when the closer ones are few; otherwise they are noise.
        graded = [g for g in graded if g[0] < Tier.FUZZY]
    return _results([g[:1] + g[4:] for g in graded[:limit]], user=user)


def _grade(entry: SearchEntry, query: Query) -> tuple[Hit, bool, bool, int] | None:
    """The entry's best hit; whether its title reaches that grade; whether the hit quoted
    is in the body; and how many hits share the grade."""
    fields = [(False, entry.title), (True, entry.body)]
    if entry.kind in (SearchKind.DOCUMENT, SearchKind.REPORT):
        # The title is shown anyway: quote the full text, with its line, when it does as well.
        fields.reverse()
    found: list[tuple[Hit, bool, int]] = []
    for in_body, text in fields:
        hits = best_tier_hits(text, query)
        if hits:
            found.append((hits[0], in_body, len(hits)))
    if not found:
        return None
    best_tier = min(h.tier for h, _, _ in found)
    at_best = [f for f in found if f[0].tier == best_tier]
    hit, in_body, _ = at_best[0]
    in_title = any(not body for _, body, _ in at_best)
    return hit, in_title, in_body, sum(n for _, _, n in at_best)


def _visible_entries(*, user: Any | None, kinds: list[str]) -> QuerySet[SearchEntry]:
    plans = plans_visible_to(user=user)
    scope = {
        SearchKind.DOCUMENT: documents_visible_to(user=user).values("pk"),
        SearchKind.TASK: Task.objects.filter(plan__in=plans).values("pk"),
        SearchKind.INDICATOR: Indicator.objects.filter(plan__in=plans).values("pk"),
        SearchKind.REPORT: _issued(user).values("pk"),
    }
    allowed = Q(pk__in=[])
    for kind in kinds:
        allowed |= Q(kind=kind, object_id__in=scope[kind])
    return SearchEntry.objects.filter(allowed)


def _issued(user: Any | None):
    return reports_visible_to(user=user).filter(state=ReportState.ISSUED)


def _results(graded: list, *, user: Any | None) -> list[SearchResult]:
    by_kind: dict[str, list[int]] = {}
    for _tier, entry, _hit, _in_body, _count in graded:
        by_kind.setdefault(entry.kind, []).append(entry.object_id)
    plans = plans_visible_to(user=user)
    objects = {
        SearchKind.DOCUMENT: documents_visible_to(user=user).in_bulk(
            by_kind.get(SearchKind.DOCUMENT, [])
        ),
        SearchKind.TASK: Task.objects.filter(plan__in=plans)
        .select_related("plan__document")
        .in_bulk(by_kind.get(SearchKind.TASK, [])),
        SearchKind.INDICATOR: Indicator.objects.filter(plan__in=plans)
        .select_related("plan__document")
        .in_bulk(by_kind.get(SearchKind.INDICATOR, [])),
        SearchKind.REPORT: _issued(user).in_bulk(by_kind.get(SearchKind.REPORT, [])),
    }
    results = []
    for tier, entry, hit, in_body, count in graded:
        obj = objects[entry.kind].get(entry.object_id)
        if obj is None:  # deleted since it was indexed
            continue
        text = entry.body if in_body else entry.title
        # A title is quoted whole (up to a point), so a task keeps its code in view.
        width = SNIPPET_WIDTH if in_body else max(SNIPPET_WIDTH, min(len(text), TITLE_WIDTH))
        before, match, after = snippet(text, hit, width)
        if entry.kind == SearchKind.DOCUMENT:
            title, subtitle = str(obj), obj.subject
        elif entry.kind == SearchKind.REPORT:
            title = str(obj)
            subtitle = f"{obj.org_unit.name} — {(obj.snapshot or {}).get('subject', '')}"
        else:
            title = f"{obj.code} {obj.title if entry.kind == SearchKind.TASK else obj.name}"
            subtitle = f"Kế hoạch {obj.plan.document.symbol}" if obj.plan.document.symbol else ""
        results.append(
            SearchResult(
                kind=entry.kind,
                kind_label=SearchKind(entry.kind).label,
                object=obj,
                title=title,
                subtitle=subtitle,
                tier=tier,
                tier_label=TIER_LABELS[tier],
                before=before,
                match=match,
                after=after,
                in_body=in_body,
                line=line_number(entry.body, hit.start)
                if in_body and entry.kind in (SearchKind.DOCUMENT, SearchKind.REPORT)
                else None,
                hit_count=count,
            )
        )
    return results


# -- candidates, per vendor ---------------------------------------------------------------------


def _phrases(query: Query) -> list[list[str]] | None:
    """Every combination of the words' key alternatives; None when there are too many."""
    count = 1
    for alternatives in query.keys:
        count *= len(alternatives)
    if count > MAX_PHRASES:
        return None
    return [list(combo) for combo in itertools.product(*query.keys)]


def _fts_phrase(words: Iterable[str]) -> str:
    """An FTS5 phrase: quoted, so nothing the user typed is read as query syntax."""
    return '"' + " ".join(w.replace('"', '""') for w in words) + '"'


def _sqlite_ids(match: str, visible: QuerySet[SearchEntry], cap: int) -> list[int]:
    scope_sql, scope_params = visible.values("pk").query.sql_with_params()
    # A join, not "rowid IN (…)": SQLite would hand the IN list to FTS5 and run the match
    # once per visible row. CROSS JOIN keeps the full-text scan first.
    sql = (
        f"SELECT {FTS_TABLE}.rowid FROM {FTS_TABLE} CROSS JOIN ({scope_sql}) AS visible "
        f"ON visible.pk = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s "
        f"ORDER BY {FTS_TABLE}.rank LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*scope_params, match, cap])
        return [row[0] for row in cursor.fetchall()]


def _sqlite_exact(query: Query, visible: QuerySet[SearchEntry], cap: int) -> list[int]:
    if not query.has_marks:
        return []
    return _sqlite_ids("{title body} : " + _fts_phrase(query.words), visible, cap)


def _sqlite_folded(query: Query, visible: QuerySet[SearchEntry], cap: int) -> list[int]:
    return _sqlite_ids("folded : " + _fts_phrase(query.folded_words), visible, cap)


def _sqlite_key_phrase(query: Query, visible: QuerySet[SearchEntry], cap: int) -> list[int]:
    phrases = _phrases(query)
    if not phrases:
        return []
    match = "keys : (" + " OR ".join(_fts_phrase(p) for p in phrases) + ")"
    return _sqlite_ids(match, visible, cap)


def _sqlite_key_words(query: Query, visible: QuerySet[SearchEntry], cap: int) -> list[int]:
    if not query.keys:
        return []
    groups = ["(" + " OR ".join(_fts_phrase([k]) for k in alts) + ")" for alts in query.keys]
    return _sqlite_ids("keys : (" + " AND ".join(groups) + ")", visible, cap)


_SQLITE_STAGES = [
    (0, _sqlite_exact),
    (1, _sqlite_folded),
    (2, _sqlite_key_phrase),
    (3, _sqlite_key_words),
]


def _postgres_ids(
    condition: str, rank: str, params: list[Any], visible: QuerySet[SearchEntry], cap: int
) -> list[int]:
    scope_sql, scope_params = visible.values("pk").query.sql_with_params()
    sql = (
        f"SELECT e.id FROM documents_searchentry e WHERE {condition} "
        f"AND e.id IN ({scope_sql}) ORDER BY {rank} DESC, e.id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *scope_params, *params, cap])
        return [row[0] for row in cursor.fetchall()]


def _postgres_tsquery(groups: list[list[list[str]]]) -> tuple[str, list[str]]:
    """A tsquery over ``groups`` (AND) of phrase alternatives (OR), each phrase parsed by
    phraseto_tsquery so that nothing typed is read as query syntax."""
    parts: list[str] = []
    params: list[str] = []
    for alternatives in groups:
        parts.append(
            "(" + " || ".join("phraseto_tsquery('simple', %s)" for _ in alternatives) + ")"
        )
        params += [" ".join(phrase) for phrase in alternatives]
    return "(" + " && ".join(parts) + ")", params


def _postgres_fulltext(
    column: str, groups: list[list[list[str]]], visible: QuerySet[SearchEntry], cap: int
) -> list[int]:
    tsquery, params = _postgres_tsquery(groups)
    vector = f"to_tsvector('simple', e.{column})"
    return _postgres_ids(
        f"{vector} @@ {tsquery}", f"ts_rank({vector}, {tsquery})", params, visible, cap
    )


def _postgres_folded(query: Query, visible: QuerySet[SearchEntry], cap: int) -> list[int]:
    if not query.folded_words:
        return []
    return _postgres_fulltext("folded", [[list(query.folded_words)]], visible, cap)


def _postgres_key_phrase(query: Query, visible: QuerySet[SearchEntry], cap: int) -> list[int]:
    phrases = _phrases(query)
    if not phrases:
        return []
    return _postgres_fulltext("keys", [phrases], visible, cap)


def _postgres_key_words(query: Query, visible: QuerySet[SearchEntry], cap: int) -> list[int]:
    groups = [[[key] for key in alternatives] for alternatives in query.keys]
    return _postgres_fulltext("keys", groups, visible, cap)


def _postgres_trigram(query: Query, visible: QuerySet[SearchEntry], cap: int) -> list[int]:
    folded = " ".join(query.folded_words)
    if not folded:
        return []
    # "<%": some stretch of the folded text is similar to the whole query (pg_trgm's
    # word_similarity_threshold, 0.6 by default), served by the trigram index.
    return _postgres_ids("%s <%% e.folded", "word_similarity(%s, e.folded)", [folded], visible, cap)


_POSTGRES_STAGES = [
    (1, _postgres_folded),
    (2, _postgres_key_phrase),
    (3, _postgres_key_words),
    (4, _postgres_trigram),
]
