"""Search over the database: source documents found however their text was scanned, ranked
exact, folded, OCR, fuzzy; only what the user may see; the index kept fresh; SQLite FTS5 and
PostgreSQL full-text and trigram indexes."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from tests import invented
from tests.conftest import SEED_PREFIXES, seed_text, unit_outside_cathai
from theodoi.cli import main
from theodoi.documents.models import Document
from theodoi.domain.search import Tier
from theodoi.domain.text import fold
from theodoi.orgs.models import Membership
from theodoi.plans.models import Task
from theodoi.search.index import search_index_rebuild, search_index_refresh
from theodoi.search.models import SearchEntry, SearchKind
from theodoi.search.selectors import search

INVENTED = [invented.REPORT_WITHOUT_NUMBER, invented.OCR_PLAN, invented.OCR_REPORT]


@pytest.fixture(params=["invented", pytest.param("seeds", marks=pytest.mark.seeds)])
def sources(request, dataset):
    """Three texts as documents: a clean one (“Đảng ủy” as typed), a scanned one without
    diacritics (“Dang uy”) and a worse one with OCR readings only (“Pang uy”) — the invented
    commune's report without number, plan and report (tests/data/documents), or Cát Hải's
    seeds 001, 003 and 004."""
    if request.param == "seeds":
        texts = [(f"seed-{p}", f"Văn bản nguồn {p}", seed_text(p)) for p in SEED_PREFIXES]
    else:
        texts = [
            (f"t-{p.stem}", f"Văn bản tự viết {i}", invented.text(p))
            for i, p in enumerate(INVENTED, start=1)
        ]
    documents = [
        Document.objects.create(key=key, doc_type="BC", subject=subject, full_text=text)
        for key, subject, text in texts
    ]
    search_index_refresh(documents=documents)
    return documents


def document(key: str, full_text: str, subject: str = "Văn bản thử") -> Document:
    doc = Document.objects.create(key=key, doc_type="BC", subject=subject, full_text=full_text)
    search_index_refresh(documents=[doc])
    return doc


def found(query: str, *, user=None, kinds=("document",), limit=200):
    return search(user=user, query=query, kinds=kinds, limit=limit)


def collapsed(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# --- the source documents ---------------------------------------------------------------------


@pytest.mark.parametrize("query", ["chuyen doi so", "Đảng ủy", "chuyển đổi số", "dang uy"])
def test_every_source_document_is_found(sources, query):
    ids = {r.object.id for r in found(query)}
    assert {d.id for d in sources} <= ids


def test_sources_are_ranked_exact_then_folded_then_ocr(sources):
    clean, scanned, worse = sources
    # What each text holds decides its grade: the clean report has "Đảng ủy" as typed; the
    # plan (003) only without diacritics; the report (004) neither, only OCR readings.
    assert "Đảng ủy" in clean.full_text
    assert "Đảng ủy" not in scanned.full_text and re.search(r"(?i)dang\s+uy", scanned.full_text)
    assert not re.search(r"(?i)(đảng|dang)\s+(ủy|uy)", worse.full_text)
    results = found("Đảng ủy")
    grade = {r.object.id: r.tier for r in results}
    assert [grade[d.id] for d in sources] == [Tier.EXACT, Tier.FOLDED, Tier.OCR]
    order = [r.object.id for r in results]
    assert order.index(clean.id) < order.index(scanned.id) < order.index(worse.id)
    assert [r.tier for r in results] == sorted(r.tier for r in results)


def test_snippet_quotes_the_hit_on_its_line(sources):
    for result in found("Đảng ủy"):
        if result.object not in sources:
            continue
        text = result.object.full_text
        assert result.line is not None
        assert result.match and collapsed(result.match) == result.match
        # The quoted words are on the line given (a phrase may run on to the next one).
        first_word = result.match.split()[0]
        assert first_word in text.splitlines()[result.line - 1]
        context = result.before.removeprefix("…") + result.match + result.after.removesuffix("…")
        assert context.strip() in collapsed(text)
        assert (
            result.tier_label
            == {
                Tier.EXACT: "Khớp đúng",
                Tier.FOLDED: "Khớp không dấu",
                Tier.OCR: "Khớp gần đúng (OCR)",
            }[result.tier]
        )


def test_small_case_ranks_exact_folded_ocr_fuzzy(dataset):
    fuzzy = document("t-fuzzy", "Ủy ban và Đảng bộ đặc khu")
    ocr = document("t-ocr", "Ban Thuong vu Pang uy dac khu")
    folded = document("t-folded", "Ban Thuong vu Dang uy dac khu")
    exact = document("t-exact", "Ban Thường vụ Đảng ủy đặc khu")
    mine = {d.id for d in (exact, folded, ocr, fuzzy)}
    results = [r for r in found("Đảng ủy") if r.object.id in mine]
    assert [r.object.id for r in results] == [exact.id, folded.id, ocr.id]
    assert [r.tier for r in results] == [Tier.EXACT, Tier.FOLDED, Tier.OCR]
    assert [r.match for r in results[:3]] == ["Đảng ủy", "Dang uy", "Pang uy"]
    # Loose matches are noise beside five or more closer ones (the dataset has several)…
    assert fuzzy.id not in {r.object.id for r in found("Đảng ủy")}
    # …and a help when closer ones are few.
    loose = found("Đảng ủy đặc khu Ủy ban")
    assert [r.tier for r in loose if r.object.id == fuzzy.id] == [Tier.FUZZY]


def test_within_a_grade_a_title_naming_the_query_comes_before_a_mention(dataset):
    mention = document("t-mention", "Báo cáo ngắn có nhắc tới tàu ngầm vàng.", subject="Báo cáo")
    long_text = "Nội dung chi tiết của đề án. " * 400
    named = document("t-named", long_text, subject="Đề án tàu ngầm vàng")
    results = found("tau ngam vang")
    assert [r.object for r in results[:2]] == [named, mention]
    assert results[0].tier == results[1].tier == Tier.FOLDED


def test_title_fields_are_searched_too(dataset):
    doc = Document.objects.get(symbol="96/KH-UBND")
    results = found("96/KH-UBND")
    assert results[0].object == doc and results[0].line is None


# --- tasks and indicators --------------------------------------------------------------------


def test_query_without_diacritics_finds_a_task_with_them(dataset):
    task = dataset.tasks.get(code="2.8")
    words = fold(task.title).split()[:6]
    results = found(" ".join(words), kinds=["task"])
    assert results[0].object == task
    assert results[0].tier == Tier.FOLDED and results[0].kind_label == "Nhiệm vụ"
    assert all(r.kind == "task" for r in results)


def test_indicator_found_by_code_and_name(dataset):
    indicator = dataset.indicators.order_by("position").first()
    results = found(fold(indicator.name), kinds=["indicator"])
    assert results[0].object == indicator


def test_kinds_limit_and_order(dataset):
    everything = search(user=None, query="chuyen doi so", limit=500)
    # every kind the dataset holds (it has no issued report: see tests/web/test_report_drafts)
    assert {r.kind for r in everything} == set(SearchKind.values) - {SearchKind.REPORT}
    assert len(search(user=None, query="chuyen doi so", limit=3)) == 3
    assert search(user=None, query="chuyen doi so", kinds=["nonsense"]) == []
    assert [r.tier for r in everything] == sorted(r.tier for r in everything)


# --- who sees what -----------------------------------------------------------------------------


@pytest.fixture
def outsider_user(dataset, django_user_model):
    """A reporter of a unit outside Cát Hải's subtree."""
    user = django_user_model.objects.create_user("ngoai-tim", password="x")
    unit = unit_outside_cathai()
    Membership.objects.create(user=user, org_unit=unit, role="reporter")
    return user


def test_outsider_does_not_find_cat_hai_tasks(dataset, outsider_user, django_user_model):
    task = dataset.tasks.get(code="2.8")
    query = fold(task.title)
    assert task in [r.object for r in search(user=None, query=query)]
    leader = django_user_model.objects.get(username="lanhdao")
    assert task in [r.object for r in search(user=leader, query=query)]
    assert not [r for r in search(user=outsider_user, query=query) if r.kind != "document"]


def test_signed_out_user_finds_nothing(sources):
    assert search(user=AnonymousUser(), query="chuyen doi so") == []


# --- odd queries ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["", "   ", "?!", '"NOT AND (', "NEAR(a b)", "a OR", "*", "col : x", "^x", '"""', "-"],
)
def test_query_syntax_typed_by_a_user_never_fails(sources, query):
    results = found(query, kinds=None)
    assert isinstance(results, list)
    if not re.search(r"\w", query):
        assert results == []


def test_quoted_phrase_is_found_as_a_phrase(sources):
    clean = sources[0]
    results = found('"chuyển đổi số"')
    assert results[0].tier == Tier.EXACT
    assert clean in [r.object for r in results]


# --- keeping the index fresh -----------------------------------------------------------------


def test_refresh_follows_an_edited_task_and_leaves_other_kinds(dataset):
    task = dataset.tasks.get(code="2.8")
    old_title = task.title
    assert task in [r.object for r in found(old_title, kinds=["task"])]
    task.title = "Xây dựng đề án lặn biển san hô Cát Bà"
    task.save()
    other = SearchEntry.objects.get(kind="document", object_id=dataset.document.id)
    assert search_index_refresh(tasks=[task]) == 1
    assert [r.object for r in found("lan bien san ho", kinds=["task"])] == [task]
    assert task not in [r.object for r in found(old_title, kinds=["task"])]
    assert SearchEntry.objects.get(pk=other.pk).updated_at == other.updated_at
    assert search_index_refresh(tasks=[task]) == 0  # unchanged: not rewritten


def test_rebuild_drops_entries_of_deleted_objects(dataset):
    doc = document("t-gone", "Văn bản sẽ bị xóa: tàu ngầm vàng")
    assert found("tau ngam vang")
    doc.delete()
    assert found("tau ngam vang") == []  # a stale entry is never shown
    search_index_rebuild()
    assert not SearchEntry.objects.filter(kind="document", object_id=doc.id).exists()


def test_every_object_of_the_dataset_is_indexed(dataset):
    from theodoi.plans.models import Indicator

    for kind, model in (("document", Document), ("task", Task), ("indicator", Indicator)):
        assert SearchEntry.objects.filter(kind=kind).count() == model.objects.count()


def test_plan_workbook_import_refreshes_the_index(dataset, capsys, tmp_path):
    import openpyxl

    path = tmp_path / "ke-hoach.xlsx"
    assert main(["export", "plan", "--plan", "96/KH-UBND", "--out", str(path)]) == 0
    book = openpyxl.load_workbook(path)
    sheet = book["Nhiệm vụ"]
    headers = {str(c.value or ""): c.column for c in sheet[1]}
    code_col = next(col for h, col in headers.items() if h.startswith("Mã nhiệm vụ"))
    output_col = next(col for h, col in headers.items() if h.startswith("Sản phẩm đầu ra"))
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, code_col).value == "1.1")
    sheet.cell(row, output_col).value = "Bản đồ số rạn san hô"
    book.save(path)
    task = dataset.tasks.get(code="1.1")

    assert main(["import", str(path), "--dry-run"]) == 0
    assert task not in [r.object for r in found("ban do so ran san ho", kinds=["task"])]
    assert main(["import", str(path)]) == 0
    capsys.readouterr()
    assert [r.object for r in found("ban do so ran san ho", kinds=["task"])] == [task]


# --- the command -------------------------------------------------------------------------------


def test_command_finds_all_three_sources(sources, capsys):
    for query in ("chuyen doi so", "Đảng ủy"):
        assert main(["search", query, "--kind", "document", "--limit", "200", "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert {d.id for d in sources} <= {row["id"] for row in data}
        assert [row["rank"] for row in data] == list(range(1, len(data) + 1))


def test_command_prints_the_hit_in_context(sources, capsys):
    assert main(["search", "Đảng ủy", "--kind", "document", "--limit", "200"]) == 0
    out = capsys.readouterr().out
    assert "«Đảng ủy»" in out and "Khớp đúng" in out and ", dòng " in out
    assert "«Dang uy»" in out and "Khớp gần đúng (OCR)" in out


def test_command_without_a_query_says_so(dataset, capsys):
    assert main(["search"]) == 2
    assert "từ khóa" in capsys.readouterr().err


# --- per database --------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5")
def test_sqlite_fts_table_follows_the_entries(dataset):
    doc = document("t-fts", "Một câu về cá heo xanh")
    table = "documents_searchentry_fts"

    def matches(text: str) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [text])
            return [row[0] for row in cursor.fetchall()]

    entry = SearchEntry.objects.get(kind="document", object_id=doc.id)
    assert matches('folded : "ca heo xanh"') == [entry.id]
    doc.full_text = "Một câu về cá voi"
    doc.save()
    search_index_refresh(documents=[doc])
    assert matches('folded : "ca heo xanh"') == []
    assert matches('folded : "ca voi"') == [entry.id]
    entry.delete()
    assert matches('folded : "ca voi"') == []


@pytest.mark.postgres
def test_postgres_has_the_full_text_and_trigram_indexes(dataset):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone()
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'documents_searchentry'")
        names = {row[0] for row in cursor.fetchall()}
    assert {
        "documents_searchentry_keys_fts",
        "documents_searchentry_folded_fts",
        "documents_searchentry_folded_trgm",
    } <= names


@pytest.mark.postgres
def test_postgres_trigram_stage_finds_a_misspelling_the_keys_miss(dataset):
    doc = document("t-trgm", "Triển khai nền tảng Internet vạn vật cho cảng biển")
    # "intemet": OCR read "rn" as "m"; its key is not the key of "Internet".
    results = found("intemet van vat")
    assert doc in [r.object for r in results]


def test_control_characters_and_very_long_queries_are_harmless(dataset):
    from theodoi.domain.search import MAX_QUERY_LENGTH, parse_query

    assert isinstance(found("a\x00b"), list)  # a NUL pasted in the box is not an error
    assert "\x00" not in parse_query("a\x00b").text
    long = "chuyển đổi số " * 400
    assert len(parse_query(long).text) <= MAX_QUERY_LENGTH
    assert found(long)  # still finds what its first words ask for
