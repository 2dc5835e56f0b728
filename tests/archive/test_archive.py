"""Ingesting old reports: the three seeds and three invented documents like them (an OCR'd
report, a clean report without number, an OCR'd plan), Word and PDF files, broken files,
re-ingesting."""

import datetime as dt
import shutil
import subprocess

import pytest
from django.core.management import call_command

from tests import invented
from tests.conftest import seed_path
from theodoi.archive.models import ExtractedFigure
from theodoi.archive.services import document_ingest
from theodoi.documents.models import Document, DocumentReference
from theodoi.domain.figures import read_figures
from theodoi.filetext import UnreadableFile, read_text

_seed = seed_path


def _history_rows():
    return Document.history.count() + DocumentReference.history.count()


@pytest.mark.seeds
@pytest.mark.django_db
def test_the_three_seeds_ingest_into_the_documents_the_dataset_describes(loader_user):
    # The dataset describes the seeds (data/documents.yaml, keys seed:NNN); ingesting a seed
    # finds that document — by symbol for 004, by subject for 001 and 003 whose headers
    # have no number — and gives it the full text.
    expected = {"001": None, "003": "96/KH-UBND", "004": "276/BC-UBND"}
    for prefix, symbol in expected.items():
        result = document_ingest(path=_seed(prefix), user=loader_user)
        document = result.document
        assert result.status == "updated"
        assert (document.symbol or None) == symbol
        if symbol is None:
            assert document.key == f"seed:{prefix}"
        assert document.full_text == _seed(prefix).read_text(encoding="utf-8")
        assert document.source_file == _seed(prefix).name
    report = Document.objects.get(symbol="276/BC-UBND")
    assert report.place == "Cát Hải"
    assert str(report.issued_on) == "2025-11-25"
    assert report.history.first().history_user == loader_user


@pytest.mark.seeds
@pytest.mark.django_db
def test_ingesting_the_same_file_again_changes_nothing(loader_user):
    first = document_ingest(path=_seed("004"), user=loader_user)
    before = (_history_rows(), ExtractedFigure.objects.count(), Document.objects.count())
    again = document_ingest(path=_seed("004"), user=loader_user)
    assert again.status == "unchanged"
    assert again.document.pk == first.document.pk
    assert (_history_rows(), ExtractedFigure.objects.count(), Document.objects.count()) == before


@pytest.mark.seeds
@pytest.mark.django_db
def test_cited_documents_are_linked_and_unknown_ones_become_stubs(tmp_path, loader_user):
    result = document_ingest(path=_seed("004"), user=loader_user)
    # 004:10 "Cong vin sb 4157/SKHCN-CNTT": the document the report answers, already known
    known = Document.objects.get(symbol="4157/SKHCN-CNTT")
    assert DocumentReference.objects.filter(source=result.document, target=known).exists()
    # 004:38 "Quyet dinh s 505/Qb- TTg ngay 2 22/4/2022": OCR's "Qb" read as "QĐ"
    decision = Document.objects.get(symbol="505/QĐ-TTg")
    assert DocumentReference.objects.filter(source=result.document, target=decision).exists()
    assert result.stubs == 0

    letter = tmp_path / "cong-van.txt"
    letter.write_text(
        "Thực hiện Công văn số 999/UBND-VP ngày 01/12/2025 của UBND đặc khu, báo cáo như sau.",
        encoding="utf-8",
    )
    assert not Document.objects.filter(symbol="999/UBND-VP").exists()
    result = document_ingest(path=letter, user=loader_user)
    stub = Document.objects.get(symbol="999/UBND-VP")
    assert stub.is_stub and str(stub.issued_on) == "2025-12-01"
    assert DocumentReference.objects.get(source=result.document, target=stub).kind == "implements"
    assert result.stubs == 1


@pytest.mark.seeds
@pytest.mark.django_db
def test_figures_wait_for_review(loader_user):
    result = document_ingest(path=_seed("004"), user=loader_user)
    queued = ExtractedFigure.objects.filter(document=result.document)
    assert result.figures_queued == queued.count() > 10
    members = queued.get(element_code="community_tech_team.members")
    assert members.value == 386 and members.line == 244 and "386" in members.quote
    assert set(queued.values_list("status", flat=True)) == {"pending"}


@pytest.mark.django_db
def test_a_word_file_becomes_a_new_document(tmp_path, loader_user):
    from docx import Document as WordDocument

    word = WordDocument()
    for line in [
        "ỦY BAN NHÂN DÂN",
        "ĐẶC KHU CÁT HẢI",
        "Số: 301/BC-UBND",
        "Cát Hải, ngày 15 tháng 12 năm 2025",
        "BÁO CÁO",
        "Kết quả giải quyết thủ tục hành chính quý IV năm 2025",
        "Thực hiện Kế hoạch số 96/KH-UBND ngày 22/10/2025 của UBND đặc khu.",
        "- Tổng số hồ sơ tiếp nhận: 1.234 hồ sơ, trong đó trực tuyến 1.200 hồ sơ.",
    ]:
        word.add_paragraph(line)
    table = word.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Số hồ sơ đã giải quyết"
    table.rows[0].cells[1].text = "1.100"
    path = tmp_path / "bao-cao-301.docx"
    word.save(path)
    assert "Số hồ sơ đã giải quyết | 1.100" in read_text(path)

    result = document_ingest(path=path, user=loader_user)
    document = result.document
    assert result.status == "created"
    assert (document.doc_type, document.symbol, str(document.issued_on)) == (
        "BC",
        "301/BC-UBND",
        "2025-12-15",
    )
    assert document.issuer == "Ủy ban nhân dân đặc khu Cát Hải"
    assert document.issuer_unit.code == "CATHAI"
    plan = Document.objects.get(symbol="96/KH-UBND")
    assert DocumentReference.objects.get(source=document, target=plan).kind == "implements"
    codes = set(
        ExtractedFigure.objects.filter(document=document).values_list("element_code", flat=True)
    )
    assert {"dossiers.received", "dossiers.online"} <= codes


@pytest.mark.skipif(shutil.which("soffice") is None, reason="cần LibreOffice để tạo PDF")
@pytest.mark.django_db
def test_a_pdf_with_a_text_layer_is_read(tmp_path, loader_user):
    source = tmp_path / "bao-cao.txt"
    source.write_text(invented.text(invented.REPORT_WITHOUT_NUMBER), encoding="utf-8")
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = read_text(tmp_path / "bao-cao.pdf")
    assert "Ủy ban nhân dân xã Hải Yến Xuân phối hợp với Đảng ủy xã" in " ".join(text.split())


@pytest.mark.django_db
def test_a_broken_file_is_refused_in_vietnamese_and_nothing_is_written(tmp_path, loader_user):
    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    before = (Document.objects.count(), _history_rows())
    with pytest.raises(UnreadableFile, match=r"hong\.docx: không phải tệp Word"):
        document_ingest(path=broken, user=loader_user)
    scanned = tmp_path / "anh.pdf"
    scanned.write_bytes(b"%PDF-1.4\n%%EOF\n")
    with pytest.raises(UnreadableFile, match=r"anh\.pdf"):
        document_ingest(path=scanned, user=loader_user)
    with pytest.raises(UnreadableFile, match="chỉ nạp được tệp"):
        document_ingest(path=tmp_path / "x.xlsx", user=loader_user)
    assert (Document.objects.count(), _history_rows()) == before


def test_migrations_leave_nothing_to_make(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


REPORT_112 = """ỦY BAN NHÂN DÂN
{unit}
Số: 112/BC-UBND
{place}, ngày {date}
BÁO CÁO
Kết quả giải quyết thủ tục hành chính quý III năm 2025
Thực hiện Kế hoạch số 96/KH-UBND ngày 10/3/2024 của UBND tỉnh.
- Tổng số hồ sơ tiếp nhận: 1.234 hồ sơ.
"""


@pytest.mark.django_db
def test_two_bodies_numbering_alike_are_not_merged(tmp_path, loader_user):
    first = tmp_path / "dong-hai.txt"
    first.write_text(
        REPORT_112.format(unit="PHƯỜNG ĐÔNG HẢI", place="Đông Hải", date="20 tháng 9 năm 2025"),
        encoding="utf-8",
    )
    other = tmp_path / "hoa-binh.txt"  # same number, another commune, date unreadable
    other.write_text(
        REPORT_112.format(unit="XÃ HÒA BÌNH", place="Hòa Bình", date="    tháng 12 năm 2025"),
        encoding="utf-8",
    )
    a = document_ingest(path=first, user=loader_user)
    b = document_ingest(path=other, user=loader_user)
    assert a.status == b.status == "created"
    assert a.document.pk != b.document.pk
    assert a.document.issuer == "Ủy ban nhân dân phường Đông Hải"
    assert b.document.issuer == "Ủy ban nhân dân xã Hòa Bình"
    # "Kế hoạch số 96/KH-UBND ngày 10/3/2024 của UBND tỉnh" is not Cát Hải's 96/KH-UBND of
    # 22/10/2025: a stub of its own.
    cited = DocumentReference.objects.get(source=a.document).target
    assert str(cited.issued_on) == "2024-03-10" and cited.is_stub


@pytest.mark.django_db
def test_the_same_text_with_other_line_ends_changes_nothing(tmp_path, loader_user):
    text = REPORT_112.format(unit="PHƯỜNG ĐÔNG HẢI", place="Đông Hải", date="20 tháng 9 năm 2025")
    unix, windows = tmp_path / "lf.txt", tmp_path / "crlf.txt"
    unix.write_bytes(text.encode("utf-8"))
    windows.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    first = document_ingest(path=unix, user=loader_user)
    before = (_history_rows(), ExtractedFigure.objects.count())
    for path in (windows, unix, windows):
        assert document_ingest(path=path, user=loader_user).status == "unchanged"
    assert (_history_rows(), ExtractedFigure.objects.count()) == before
    assert first.document.full_text == text


@pytest.mark.seeds
@pytest.mark.django_db
def test_a_plans_numbers_are_not_queued_as_reported_figures(loader_user):
    result = document_ingest(path=_seed("003"), user=loader_user)
    assert result.document.doc_type == "KH"
    assert result.figures_queued == 0
    assert not ExtractedFigure.objects.filter(document=result.document).exists()


@pytest.mark.django_db
def test_a_word_header_table_is_read_cell_by_cell(tmp_path, loader_user):
    from docx import Document as WordDocument

    word = WordDocument()
    header = word.add_table(rows=2, cols=2)
    left, right = header.rows[0].cells
    left.text = "ỦY BAN NHÂN DÂN"
    left.paragraphs[0].add_run().add_break()
    left.paragraphs[0].add_run("PHƯỜNG NAM SƠN")
    right.text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    header.rows[1].cells[0].text = "Số: 204/BC-UBND"
    header.rows[1].cells[1].text = "Nam Sơn, ngày 05 tháng 01 năm 2026"
    word.add_paragraph("BÁO CÁO")
    word.add_paragraph("Kết quả giải quyết thủ tục hành chính năm 2025")
    word.add_paragraph("Số hồ sơ tiếp nhận:\t4.825 hồ sơ.")
    path = tmp_path / "nam-son.docx"
    word.save(path)
    result = document_ingest(path=path, user=loader_user)
    document = result.document
    assert document.issuer == "Ủy ban nhân dân phường Nam Sơn"
    assert document.place == "Nam Sơn" and str(document.issued_on) == "2026-01-05"
    assert document.subject == "Kết quả giải quyết thủ tục hành chính năm 2025"
    figure = ExtractedFigure.objects.get(document=document, element_code="dossiers.received")
    assert figure.value == 4825


# --- the same on documents the project owns (tests/data/documents, an invented commune) ------


@pytest.fixture
def commune(db):
    return invented.commune_create()


@pytest.fixture
def described(commune):
    return invented.documents_describe(commune)


@pytest.mark.django_db
def test_invented_documents_ingest_into_the_documents_described_before(described, loader_user):
    # As the seeds: the OCR'd report is found by its symbol and date, the report without number
    # and the plan without its first page by their subjects; each gets its full text.
    for path, held in described.items():
        result = document_ingest(path=path, user=loader_user)
        document = result.document
        assert result.status == "updated", path.name
        assert document.pk == held.pk and document.symbol == held.symbol
        assert document.full_text == invented.text(path)
        assert document.source_file == path.name
        assert document.history.first().history_user == loader_user
    report = described[invented.OCR_REPORT]
    report.refresh_from_db()
    # Read from "Hai Yén Xuan, ngay 28 thang 11 nam 2025", its diacritics from the unit's name.
    assert report.place == "Hải Yến Xuân"
    assert str(report.issued_on) == "2025-11-28"
    assert described[invented.REPORT_WITHOUT_NUMBER].history.first().signer == "Lê Thị Thu Hà"


@pytest.mark.django_db
def test_ingesting_an_invented_ocr_report_again_changes_nothing(commune, loader_user):
    first = document_ingest(path=invented.OCR_REPORT, user=loader_user)
    assert first.status == "created" and first.figures_queued > 0
    before = (_history_rows(), ExtractedFigure.objects.count(), Document.objects.count())
    again = document_ingest(path=invented.OCR_REPORT, user=loader_user)
    assert again.status == "unchanged"
    assert again.document.pk == first.document.pk
    assert (_history_rows(), ExtractedFigure.objects.count(), Document.objects.count()) == before


@pytest.mark.django_db
def test_ocr_citations_of_an_invented_report_link_known_documents(commune, loader_user):
    letter = Document.objects.create(key="t-2961", doc_type="CV", symbol="2961/SKHCN-QLCN")
    decision = Document.objects.create(
        key="t-365", doc_type="QĐ", symbol="365/QĐ-UBND", issued_on=dt.date(2025, 3, 12)
    )
    result = document_ingest(path=invented.OCR_REPORT, user=loader_user)
    links = DocumentReference.objects.filter(source=result.document)
    # line 10 "Céng van s6 2961/SKHCN-QLCN": the letter the report answers
    assert links.get(target=letter).kind == "implements"
    # line 18 "Quyét dinh s6 365/Qb- UBND ngay 12/3/2025": OCR's "Qb" read as "QĐ"
    assert links.filter(target=decision).exists()
    # line 14 "Nghi quyét s6 57-NQ/TW": held by the dataset
    assert links.filter(target=Document.objects.get(symbol="57-NQ/TW")).exists()
    # line 16 "Ké hoach sé 41/KH-UBND ngay 20/02/2025": not held, a stub
    stub = Document.objects.get(symbol="41/KH-UBND")
    assert stub.is_stub and str(stub.issued_on) == "2025-02-20"
    assert links.filter(target=stub).exists()
    assert result.stubs == 1


@pytest.mark.django_db
def test_figures_of_an_invented_ocr_report_wait_for_review(commune, loader_user):
    result = document_ingest(path=invented.OCR_REPORT, user=loader_user)
    queued = ExtractedFigure.objects.filter(document=result.document)
    assert result.figures_queued == queued.count() >= 10
    # line 25 "… ¢ 11 thon véi tong s6 97 thanh vién."
    members = queued.get(element_code="community_tech_team.members")
    assert members.value == 97 and members.line == 25 and "97 thanh vién" in members.quote
    assert members.quote in invented.text(invented.OCR_REPORT).split("\n")[24]
    assert set(queued.values_list("status", flat=True)) == {"pending"}
    assert set(queued.values_list("org_unit", flat=True)) == {commune.pk}


@pytest.mark.django_db
def test_an_invented_plans_numbers_are_not_queued_as_reported_figures(loader_user):
    text = invented.text(invented.OCR_PLAN)
    assert read_figures(text)  # it states numbers a report's reader would take: targets
    result = document_ingest(path=invented.OCR_PLAN, user=loader_user)
    assert result.document.doc_type == "KH"
    assert result.figures_queued == 0
    assert not ExtractedFigure.objects.filter(document=result.document).exists()


@pytest.mark.django_db
def test_a_symbol_ocr_read_with_p_for_d_is_the_known_document(tmp_path, loader_user):
    known = Document.objects.get(symbol="09-KH/ĐU")
    letter = tmp_path / "bao-cao-ocr.txt"
    for written in ("09-KH/PU", "09-KH/BU", "09-KH/DU"):
        letter.write_text(
            f"Thực hiện Kế hoạch số {written} ngày 03/10/2025 của Ban Thường vụ Đảng ủy đặc khu, "
            "Ủy ban nhân dân đặc khu báo cáo kết quả như sau.",
            encoding="utf-8",
        )
        result = document_ingest(path=letter, user=loader_user)
        assert result.stubs == 0, written
        assert DocumentReference.objects.filter(source=result.document, target=known).exists()
        assert list(Document.objects.filter(symbol__startswith="09-")) == [known]
        letter.unlink()


@pytest.mark.django_db
def test_a_scan_of_a_known_document_with_p_for_d_in_its_symbol_is_that_document(
    tmp_path, loader_user
):
    known = Document.objects.get(symbol="09-KH/ĐU")
    scan = tmp_path / "09-kh-du-ocr.txt"
    scan.write_text(
        "DANG BO THANH PHO HAI PHONG\nDANG UY DAC KHU CAT HAI\nSo: 09-KH/PU\n"
        "Cat Hai, ngay 03 thang 10 nam 2025\nKE HOACH\n"
        "Thuc hien Nghi quyet so 57-NQ/TW ngay 22/12/2024 cua Bo Chinh tri\n",
        encoding="utf-8",
    )
    before = Document.objects.count()
    result = document_ingest(path=scan, user=loader_user)
    assert result.document == known
    assert Document.objects.count() == before


def test_symbol_key_survives_ocr_but_keeps_numbers_apart():
    from theodoi.domain.references import symbol_key

    assert symbol_key("09-KH/ĐU") == symbol_key("09-KH/PU") == symbol_key("09 - kh/du")
    assert symbol_key("09-KH/ĐU") != symbol_key("90-KH/ĐU")
