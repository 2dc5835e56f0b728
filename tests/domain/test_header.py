import datetime as dt
from pathlib import Path

import pytest
import yaml

from tests import invented
from tests.conftest import seed_text
from theodoi.domain.header import read_header

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def lexicon():
    """Correctly written names and subjects, as the system holds them (data/)."""
    units = yaml.safe_load((ROOT / "data" / "units.yaml").read_text(encoding="utf-8"))["units"]
    documents = yaml.safe_load((ROOT / "data" / "documents.yaml").read_text(encoding="utf-8"))
    texts = [u["name"] for u in units] + [a for u in units for a in u.get("aliases", [])]
    # Subjects of documents other than the seeds themselves, so nothing is copied from the answer.
    texts += [d.get("subject") or "" for d in documents["documents"] if not d.get("seed")]
    return texts


_seed = seed_text


@pytest.mark.seeds
def test_ocr_header_of_004(lexicon):
    # 004:1-9 "UY BAN NHAN DAN … PAC KHU CAT HAI … S6:276 /BC-UBND Céat Hdi, ngay 25 thang 11
    # nam 2025 BAO CAO Két qua thuce hién chuyén ddi s6 nim 2025 trén dia ban dac khu Cat Hai"
    meta = read_header(_seed("004"), lexicon=lexicon)
    assert meta.doc_type == "BC"
    assert meta.symbol == "276/BC-UBND"
    assert meta.number == "276"
    assert meta.issued_on == dt.date(2025, 11, 25)
    assert meta.place == "Cát Hải"
    assert meta.issuer == "Ủy ban nhân dân đặc khu Cát Hải"
    assert meta.subject == "Kết quả thực hiện chuyển đổi số năm 2025 trên địa bàn đặc khu Cát Hải"


@pytest.mark.seeds
def test_header_without_number_of_001(lexicon):
    meta = read_header(_seed("001"), lexicon=lexicon)
    assert meta.doc_type == "BC"
    assert meta.symbol is None and meta.issued_on is None
    assert meta.subject.startswith("Kết quả công tác lãnh đạo, chỉ đạo, tổ chức thực hiện Nghị")
    assert "57-NQ/TW" in meta.subject
    assert meta.issuer == "Ủy ban nhân dân đặc khu Cát Hải"  # from "TM. ỦY BAN NHÂN DÂN"
    assert meta.signer == "Vũ Hữu Vững"


@pytest.mark.seeds
def test_plan_missing_its_first_page_003(lexicon):
    meta = read_header(_seed("003"), lexicon=lexicon)
    assert meta.doc_type == "KH"
    assert meta.subject.startswith("Thực hiện Kế hoạch hành động số 09-KH/ĐU")
    symbols = {r["symbol"] for r in meta.references}
    assert {"09-KH/ĐU", "57-NQ/TW", "238/KH-UBND", "71/NQ-CP"} <= symbols


@pytest.mark.seeds
def test_cited_documents_with_their_dates_from_ocr(lexicon):
    meta = read_header(_seed("004"), lexicon=lexicon)
    cited = {r["symbol"]: r for r in meta.references}
    # 004:10 "Cong vin sb 4157/SKHCN-CNTT ngay 19/11/2025"
    assert cited["4157/SKHCN-CNTT"]["issued_on"] == "2025-11-19"
    # 004:31 "Quyét dinh s 749/Qb- TTg ngay 03/6/2020": OCR "Qb" for "QĐ"
    assert cited["749/QĐ-TTg"]["issued_on"] == "2020-06-03"
    assert cited["09-KH/ĐU"]["line"] > 0


# --- the same on documents the project owns (tests/data/documents, an invented commune) ------


@pytest.fixture(scope="module")
def commune_lexicon(lexicon):
    """The lexicon of a system that holds the commune (its name and its committee's)."""
    return [*lexicon, invented.COMMUNE, invented.ISSUER]


def test_ocr_header_of_an_invented_report_gets_its_diacritics_from_the_lexicon(
    lexicon, commune_lexicon
):
    # "XA HAI YEN XUAN … S6:118 /BC-UBND Hai Yén Xuan, ngay 28 thang 11 nam 2025 BAO CAO
    # Két qua trién khai chuyén déi s6 nim 2025 trén dia ban xa Hai Yen Xuan"
    text = invented.text(invented.OCR_REPORT)
    meta = read_header(text, lexicon=commune_lexicon)
    assert meta.doc_type == "BC"
    assert (meta.symbol, meta.number) == ("118/BC-UBND", "118")
    assert meta.issued_on == dt.date(2025, 11, 28)
    assert meta.place == "Hải Yến Xuân"
    assert meta.issuer == invented.ISSUER
    assert meta.subject == invented.DESCRIBED[invented.OCR_REPORT]["subject"]
    # The commune's name comes from the lexicon, not from the text.
    bare = read_header(text, lexicon=lexicon)
    assert bare.place != "Hải Yến Xuân" and bare.issuer != invented.ISSUER


def test_invented_header_without_number_names_its_issuer_from_the_signature(commune_lexicon):
    meta = read_header(invented.text(invented.REPORT_WITHOUT_NUMBER), lexicon=commune_lexicon)
    assert meta.doc_type == "BC"
    assert meta.symbol is None and meta.issued_on is None and meta.place is None
    assert meta.subject == invented.DESCRIBED[invented.REPORT_WITHOUT_NUMBER]["subject"]
    assert meta.issuer == invented.ISSUER  # "TM. ỦY BAN NHÂN DÂN" and the text's own words
    assert meta.signer == "Lê Thị Thu Hà"


def test_invented_plan_missing_its_first_page(commune_lexicon):
    meta = read_header(invented.text(invented.OCR_PLAN), lexicon=commune_lexicon)
    assert meta.doc_type == "KH"  # "Uy ban nhan dan xa … xay dung Ké hoach"
    assert meta.symbol is None
    assert meta.subject.startswith("Thực hiện Kế hoạch hành động số 15-KH/ĐU")
    symbols = {r["symbol"] for r in meta.references}
    assert {"15-KH/ĐU", "57-NQ/TW", "71/NQ-CP", "27/KH-UBND"} <= symbols


def test_cited_documents_with_their_dates_from_an_invented_ocr_report(commune_lexicon):
    meta = read_header(invented.text(invented.OCR_REPORT), lexicon=commune_lexicon)
    cited = {r["symbol"]: r for r in meta.references}
    # line 10: "Céng van s6 2961/SKHCN-QLCN ngay 14/11/2025"
    assert cited["2961/SKHCN-QLCN"]["issued_on"] == "2025-11-14"
    assert cited["2961/SKHCN-QLCN"]["line"] == 10
    # line 18: "Quyét dinh s6 365/Qb- UBND ngay 12/3/2025": OCR's "Qb" for "QĐ"
    assert cited["365/QĐ-UBND"]["issued_on"] == "2025-03-12"
    assert cited["41/KH-UBND"]["issued_on"] == "2025-02-20"


@pytest.mark.parametrize(
    "line",
    ["S6: 209 ' /BC-UBND", "Số: 209, /BC-UBND", "S6:209 . /BC-UBND", "S6 : 209 -/BC-UBND"],
)
def test_header_number_kept_with_its_symbol_through_ocr_noise(line):
    text = f"UY BAN NHAN DAN\nPHUONG A\n{line}   A, ngay 17 thang 12 nam 2025\nBAO CAO\nKet qua\n"
    assert read_header(text).symbol == "209/BC-UBND"
