"""Documents (văn bản): public acts every signed-in user reads."""

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from theodoi.api.common import ERRORS, Pagination, caller
from theodoi.documents.models import Document, DocumentReference, DocumentType
from theodoi.documents.selectors import documents_visible_to
from theodoi.domain.text import matches

router = Router(tags=["Văn bản"])


class DocumentOut(Schema):
    id: int
    key: str = Field(description="Khóa nhận diện văn bản trong bộ dữ liệu.")
    doc_type: DocumentType = Field(description="Loại văn bản (NQ, KH, QĐ …).")
    doc_type_label: str = Field(description="Tên loại văn bản.")
    symbol: str = Field(description="Số, ký hiệu như ghi trên văn bản, ví dụ 96/KH-UBND.")
    issuer: str = Field(description="Cơ quan ban hành.")
    issued_on: dt.date | None = Field(description="Ngày ban hành.")
    subject: str = Field(description="Trích yếu.")
    is_stub: bool = Field(description="Mới biết số hiệu, chưa đủ thông tin.")

    @staticmethod
    def resolve_doc_type_label(document: Document) -> str:
        return document.get_doc_type_display()


class ReferenceOut(Schema):
    kind: str = Field(description="Quan hệ: implements, adjusts, replaces, cites.")
    kind_label: str = Field(description="Tên quan hệ.")
    document_id: int = Field(description="Văn bản ở đầu kia của quan hệ.")
    document: str = Field(description="Tên văn bản ở đầu kia của quan hệ.")
    quote: str = Field(description="Câu trích dẫn.")


class DocumentDetailOut(DocumentOut):
    full_text: str = Field(description="Toàn văn.")
    references: list[ReferenceOut] = Field(description="Các văn bản văn bản này dẫn tới.")
    referenced_by: list[ReferenceOut] = Field(description="Các văn bản dẫn tới văn bản này.")

    @staticmethod
    def resolve_references(document: Document) -> list[dict]:
        refs = document.outgoing.select_related("target")
        return [_reference(r, r.target) for r in refs]

    @staticmethod
    def resolve_referenced_by(document: Document) -> list[dict]:
        refs = document.incoming.select_related("source")
        return [_reference(r, r.source) for r in refs]


def _reference(reference: DocumentReference, other: Document) -> dict:
    return {
        "kind": reference.kind,
        "kind_label": reference.get_kind_display(),
        "document_id": other.id,
        "document": str(other),
        "quote": reference.quote,
    }


@router.get("/documents", response={200: list[DocumentOut], **ERRORS}, summary="Danh sách văn bản")
@paginate(Pagination)
def document_list(request: HttpRequest, q: str = "", type: DocumentType | None = None):
    """Văn bản, mới nhất trước. `q` tìm trong số ký hiệu, trích yếu, cơ quan ban hành, gõ có hay
    không có dấu đều được; `type` lọc theo loại văn bản."""
    documents = (
        documents_visible_to(user=caller(request))
        .defer("full_text")
        .order_by("-issued_on", "symbol", "id")
    )
    if type:
        documents = documents.filter(doc_type=type)
    if q.strip():
        return [d for d in documents if matches(q, d.symbol, d.subject, d.issuer)]
    return documents


@router.get(
    "/documents/{document_id}", response={200: DocumentDetailOut, **ERRORS}, summary="Một văn bản"
)
def document_detail(request: HttpRequest, document_id: int):
    """Một văn bản với toàn văn và các văn bản liên quan."""
    document = documents_visible_to(user=caller(request)).filter(pk=document_id).first()
    if document is None:
        raise Http404("Không có văn bản này.")
    return document
