"""Broken files never crash the readers: every unreadable file is an UnreadableFile naming the
file and the fault, `theodoi ingest|extract|check-doc` exit 2 without a traceback, and nothing
of a refused file stays in the database. Control characters never reach the database."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from theodoi.archive.services import document_ingest
from theodoi.cli import main
from theodoi.documents.models import Document
from theodoi.filetext import MAX_DOCUMENT_XML_BYTES, UnreadableFile, read_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REPORT = [
    "ỦY BAN NHÂN DÂN ĐẶC KHU CÁT HẢI",
    "Số: 318/BC-UBND",
    "Cát Hải, ngày 20 tháng 12 năm 2025",
    "BÁO CÁO",
    "Kết quả chuyển đổi số năm 2025",
    "Tổng số hồ sơ tiếp nhận: 1.234 hồ sơ.",
]


def word_file(path: Path, lines: list[str] = REPORT) -> Path:
    from docx import Document as WordDocument

    word = WordDocument()
    for line in lines:
        word.add_paragraph(line)
    word.save(path)
    return path


def with_part(source: Path, path: Path, part: str, content: bytes) -> Path:
    """``source`` with ``part`` replaced by ``content``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, content if info.filename == part else old.read(info))
    return path


def broken_word_files(tmp_path: Path) -> dict[str, Path]:
    good = word_file(tmp_path / "goc.docx")
    document = zipfile.ZipFile(good).read("word/document.xml")
    body = f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'.encode()
    end = b"</w:t></w:r></w:p></w:body></w:document>"
    bomb = tmp_path / "bom.docx"
    with zipfile.ZipFile(good) as old, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != "word/document.xml":
                new.writestr(info, old.read(info))
        with new.open("word/document.xml", "w") as handle:
            handle.write(body)
            for _ in range(MAX_DOCUMENT_XML_BYTES // (1024 * 1024) + 1):
                handle.write(b"a" * 1024 * 1024)
            handle.write(end)
    return {
        "cut": with_part(good, tmp_path / "cut.docx", "word/document.xml", document[:-200]),
        "not-xml": with_part(good, tmp_path / "not-xml.docx", "word/document.xml", b"\x00\xff"),
        "laughs": with_part(
            good,
            tmp_path / "laughs.docx",
            "word/document.xml",
            (
                '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;">]>'
                f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p>'
                "</w:body></w:document>"
            ).encode(),
        ),
        "bomb": bomb,
    }


@pytest.mark.parametrize("kind", ["cut", "not-xml", "laughs", "bomb"])
def test_a_broken_word_file_is_an_unreadable_file_naming_it(tmp_path, kind):
    path = broken_word_files(tmp_path)[kind]
    with pytest.raises(UnreadableFile) as error:
        read_text(path)
    assert str(error.value).startswith(f"{path.name}: không phải tệp Word (.docx) hợp lệ")


def test_a_bomb_among_the_parts_never_read_costs_nothing(tmp_path):
    good = word_file(tmp_path / "goc.docx")
    path = tmp_path / "anh.docx"
    with zipfile.ZipFile(good) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        with new.open("word/media/image1.png", "w") as handle:
            for _ in range(64):
                handle.write(bytes(1024 * 1024))
    assert "Số: 318/BC-UBND" in read_text(path)


@pytest.mark.parametrize("command", ["extract", "check-doc"])
def test_extract_and_check_doc_say_what_is_wrong_and_exit_2(tmp_path, capsys, command, db):
    for path in broken_word_files(tmp_path).values():
        code = main([command, str(path)])
        _, err = capsys.readouterr()
        assert code == 2
        assert err.startswith(f"Lỗi: {path.name}: ") and "Traceback" not in err


def test_ingest_reports_each_broken_file_and_stores_only_the_good_ones(tmp_path, capsys, db):
    broken = broken_word_files(tmp_path)
    good = word_file(tmp_path / "tot.docx")
    before = Document.objects.count()

    with pytest.raises(SystemExit) as ended:  # the exit status of the whole run
        main(["ingest", str(good), *[str(p) for p in broken.values()]])
    code = ended.value.code

    _, err = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in err
    for path in broken.values():
        assert f"Lỗi: {path.name}: " in err
    assert Document.objects.count() == before + 1
    assert Document.objects.filter(source_file="tot.docx").exists()
    assert not Document.objects.filter(source_file__in=[p.name for p in broken.values()]).exists()


def test_nul_and_other_control_characters_never_reach_the_database(tmp_path, loader_user):
    path = tmp_path / "nul.txt"
    text = "\n".join(REPORT) + "\nGhi chú:\x00 hết\x07.\x0cTrang 2\tcột"
    path.write_text(text, encoding="utf-8")

    document = document_ingest(path=path, user=loader_user).document

    stored = Document.objects.get(pk=document.pk).full_text
    assert "\x00" not in stored and "\x07" not in stored and "\x0c" not in stored
    assert "Ghi chú: hết.\nTrang 2\tcột" in stored  # page break a line break, tab kept


def test_a_text_that_is_mostly_control_characters_is_refused(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes("\n".join(REPORT).encode("utf-16-le"))  # no byte order mark: NUL-laden
    with pytest.raises(UnreadableFile, match=r"^utf16\.txt: .*ký tự điều khiển"):
        read_text(path)


def test_a_damaged_utf16_text_is_an_unreadable_file(tmp_path):
    path = tmp_path / "cut16.txt"
    path.write_bytes("\n".join(REPORT).encode("utf-16")[:-1])  # odd length: cut in a character
    with pytest.raises(UnreadableFile, match=r"^cut16\.txt: .*UTF-16"):
        read_text(path)


def test_a_damaged_pdf_is_an_unreadable_file(tmp_path):
    path = tmp_path / "hong.pdf"
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /Contents 4 0 R >> endobj\n"
        b"4 0 obj << /Length 999 /Filter /FlateDecode >> stream\nxx\nendstream endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )
    with pytest.raises(UnreadableFile, match=r"^hong\.pdf: "):
        read_text(path)


def test_a_line_break_inside_a_word_paragraph_stays_a_line_break(tmp_path):
    # Shift+Enter in Word (w:br) separates two lines of one paragraph; joining them
    # would glue the last word of one line to the first of the next.
    import docx

    path = tmp_path / "xuong-dong.docx"
    document = docx.Document()
    run = document.add_paragraph().add_run("Đã ban hành 12 kế hoạch")
    run.add_break()
    run.add_text("Hoàn thành 5 nhiệm vụ")
    document.save(path)

    text = read_text(path)

    assert "Đã ban hành 12 kế hoạch\nHoàn thành 5 nhiệm vụ" in text
    assert "kế hoạchHoàn thành" not in text


def test_a_text_longer_than_a_report_can_be_is_refused_before_anything_is_stored(
    tmp_path, loader_user
):
    from theodoi.filetext import MAX_TEXT_CHARS

    path = tmp_path / "qua-dai.txt"
    line = "Đã tiếp nhận 1.495 hồ sơ, giải quyết đúng hạn 98,39%.\n"
    path.write_text(line * (MAX_TEXT_CHARS // len(line) + 2), encoding="utf-8")
    before = Document.objects.count()

    with pytest.raises(UnreadableFile, match=r"quá giới hạn 1\.000\.000 ký tự"):
        document_ingest(path=path, user=loader_user)

    assert Document.objects.count() == before
