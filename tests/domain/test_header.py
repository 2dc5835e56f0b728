import datetime as dt
from pathlib import Path

import pytest
import yaml

from theodoi.domain.header import read_header

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def lexicon():
    """Correctly written names and subjects, as the system holds them (data/)."""
    units = yaml.safe_load((ROOT / "data" / "units.yaml").read_text(encoding="utf-8"))["units"]
    documents = yaml.safe_load((ROOT / "data" / "documents.yaml").read_text(encoding="utf-8"))
    texts = [u["name"] for u in units] + [a for u in units for a in u.get("aliases", [])]
    # Subjects of documents other than the seeds themselves, so nothing is copied from the answer.
    texts += [d.get("subject") or "" for d in documents["documents"] if not d.get("seed")]
    return texts


def _seed(prefix):
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


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


def test_header_without_number_of_001(lexicon):
    meta = read_header(_seed("001"), lexicon=lexicon)
    assert meta.doc_type == "BC"
    assert meta.symbol is None and meta.issued_on is None
    assert meta.subject.startswith("Kết quả công tác lãnh đạo, chỉ đạo, tổ chức thực hiện Nghị")
    assert "57-NQ/TW" in meta.subject
    assert meta.issuer == "Ủy ban nhân dân đặc khu Cát Hải"  # from "TM. ỦY BAN NHÂN DÂN"
    assert meta.signer == "Vũ Hữu Vững"


def test_plan_missing_its_first_page_003(lexicon):
    meta = read_header(_seed("003"), lexicon=lexicon)
    assert meta.doc_type == "KH"
    assert meta.subject.startswith("Thực hiện Kế hoạch hành động số 09-KH/ĐU")
    symbols = {r["symbol"] for r in meta.references}
    assert {"09-KH/ĐU", "57-NQ/TW", "238/KH-UBND", "71/NQ-CP"} <= symbols


def test_cited_documents_with_their_dates_from_ocr(lexicon):
    meta = read_header(_seed("004"), lexicon=lexicon)
    cited = {r["symbol"]: r for r in meta.references}
    # 004:10 "Cong vin sb 4157/SKHCN-CNTT ngay 19/11/2025"
    assert cited["4157/SKHCN-CNTT"]["issued_on"] == "2025-11-19"
    # 004:31 "Quyét dinh s 749/Qb- TTg ngay 03/6/2020": OCR "Qb" for "QĐ"
    assert cited["749/QĐ-TTg"]["issued_on"] == "2020-06-03"
    assert cited["09-KH/ĐU"]["line"] > 0
