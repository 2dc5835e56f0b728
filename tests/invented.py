"""Documents the project owns (tests/data/documents): an invented commune, xã Hải Yến Xuân,
with an OCR'd report (118/BC-UBND), a clean report without number or date and an OCR'd plan
whose first page is lost — written for the tests the way the seeds 004, 001 and 003 are, so a
fresh clone without ../shared/seeds still tests what those seeds test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

DOCUMENTS_DIR = Path(__file__).resolve().parent / "data" / "documents"
OCR_REPORT = DOCUMENTS_DIR / "hai-yen-xuan-118-BC-UBND-ocr.txt"
REPORT_WITHOUT_NUMBER = DOCUMENTS_DIR / "hai-yen-xuan-bao-cao-khong-so.txt"
OCR_PLAN = DOCUMENTS_DIR / "hai-yen-xuan-ke-hoach-ocr.txt"

COMMUNE = "Xã Hải Yến Xuân"
ISSUER = "Ủy ban nhân dân xã Hải Yến Xuân"

# Each document as a dataset describes it before its text is read (data/documents.yaml does so
# for the seeds): what ingesting the file must find and complete.
DESCRIBED = {
    OCR_REPORT: {
        "key": "hyx-118-bc",
        "doc_type": "BC",
        "symbol": "118/BC-UBND",
        "issued_on": dt.date(2025, 11, 28),
        "subject": "Kết quả triển khai chuyển đổi số năm 2025 trên địa bàn xã Hải Yến Xuân",
    },
    REPORT_WITHOUT_NUMBER: {
        "key": "hyx-so-ket-57",
        "doc_type": "BC",
        "symbol": "",
        "issued_on": None,
        "subject": "Kết quả sơ kết một năm thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 "
        "của Bộ Chính trị trên địa bàn xã Hải Yến Xuân",
    },
    OCR_PLAN: {
        "key": "hyx-63-kh",
        "doc_type": "KH",
        "symbol": "63/KH-UBND",
        "issued_on": dt.date(2025, 10, 30),
        "subject": "Thực hiện Kế hoạch hành động số 15-KH/ĐU ngày 10/10/2025 của Ban Thường vụ "
        "Đảng ủy xã về ứng dụng công nghệ thông tin, xây dựng chính quyền số và chuyển đổi số "
        "trên địa bàn xã Hải Yến Xuân giai đoạn 2025 - 2030",
    },
}


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def commune_create():
    """The commune as the system would hold it: a unit under Hải Phòng, known by its
    People's Committee too (how its documents name their issuer)."""
    from theodoi.orgs.models import OrgUnit, OrgUnitKind
    from theodoi.orgs.services import org_unit_create

    return org_unit_create(
        code="XA-HAIYENXUAN",
        name=COMMUNE,
        kind=OrgUnitKind.COMMUNE,
        parent=OrgUnit.objects.get(code="HP"),
        user=None,
        aliases=[ISSUER],
    )


def documents_describe(unit) -> dict:
    """The three documents described (no text yet), by file."""
    from theodoi.documents.models import Document

    return {
        path: Document.objects.create(issuer=ISSUER, issuer_unit=unit, **fields)
        for path, fields in DESCRIBED.items()
    }
