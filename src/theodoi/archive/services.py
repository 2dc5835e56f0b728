"""Ingesting an old report: the document with its full text and header, the documents it
cites linked into the graph, its figures queued for review."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q
from rapidfuzz import fuzz

from theodoi.documents.models import Document, DocumentReference, DocumentType, ReferenceKind
from theodoi.domain.extraction import DocumentMeta, Extraction
from theodoi.domain.ocr import text_keys
from theodoi.domain.references import normalize_symbol, symbol_key
from theodoi.domain.text import fold
from theodoi.filetext import SUFFIXES, UnreadableFile, check_file, read_text
from theodoi.history import save_tracked, upsert

SUBJECT_MATCH = 90  # rapidfuzz score on OCR keys for "the same subject"


@dataclass
class IngestResult:
    path: Path
    document: Document | None
    status: str  # "created", "updated", "unchanged"
    cited: int = 0
    stubs: int = 0
    figures_queued: int = 0
    messages: list[str] = field(default_factory=list)


def lexicon_texts() -> list[str]:
    """Correctly written Vietnamese the system holds: names, subjects, titles. Used to put
    diacritics back on OCR'd headers."""
    from theodoi.orgs.models import OrgUnit
    from theodoi.plans.models import Indicator, Task
    from theodoi.progress.models import DataElement

    texts: list[str] = []
    for unit in OrgUnit.objects.only("name", "aliases"):
        texts.append(unit.name)
        texts.extend(unit.aliases or [])
    texts.extend(
        f"{d.issuer}. {d.subject}"
        for d in Document.objects.filter(content_sha256="").only("issuer", "subject")
    )
    texts.extend(Task.objects.values_list("title", flat=True))
    texts.extend(Indicator.objects.values_list("name", flat=True))
    texts.extend(DataElement.objects.values_list("name", flat=True))
    return texts


def extract_file(path: Path, *, lexicon: list[str] | None = None) -> tuple[str, Extraction]:
    """The text of ``path`` and what it states (header, figures, arithmetic findings)."""
    from theodoi.domain.extract import extract

    text = read_text(path)
    return text, extract(text, lexicon=lexicon_texts() if lexicon is None else lexicon)


def files_in(paths: list[Path]) -> list[Path]:
    """The report files named, folders expanded (sorted, recursively)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            )
        else:
            found.append(path)
    return found


def _same_issuer(document: Document, meta: DocumentMeta) -> bool:
    return bool(meta.issuer and document.issuer and fold(meta.issuer) == fold(document.issuer))


def _held_with_symbol(symbol: str) -> list[Document]:
    """The documents held under ``symbol`` as written or as OCR wrote it ("09-KH/PU" is
    "09-KH/ĐU"): same number, same :func:`symbol_key`."""
    number = re.match(r"\d+", symbol)
    held = Document.objects.filter(symbol__startswith=number.group()) if number else []
    key = symbol_key(symbol)
    return [d for d in held if symbol_key(d.symbol) == key]


def _same_document(meta: DocumentMeta) -> Document | None:
    """The document already held that this file is a copy of: same symbol and date (or, when
    either date is unknown, the same issuer too); without a symbol, the same type, subject,
    date and issuer. Two bodies numbering their reports alike are never merged."""
    if meta.symbol:
        candidates = _held_with_symbol(normalize_symbol(meta.symbol))
        if meta.issued_on:
            dated = [d for d in candidates if d.issued_on == meta.issued_on]
            if dated:
                return dated[0]
        undated = [
            d
            for d in candidates
            if (d.issued_on is None or meta.issued_on is None) and _same_issuer(d, meta)
        ]
        return undated[0] if undated else None
    if not meta.subject:
        return None
    wanted = text_keys(meta.subject)
    best, best_score = None, 0.0
    # A document does not cite itself: what the text cites is not what it is.
    cited = {normalize_symbol(r["symbol"]) for r in meta.references}
    query = Document.objects.exclude(subject="").exclude(symbol__in=cited)
    if meta.doc_type:
        query = query.filter(doc_type=meta.doc_type)
    if meta.issued_on:
        query = query.filter(Q(issued_on=meta.issued_on) | Q(issued_on__isnull=True))
    for document in query:
        if meta.issuer and document.issuer and not _same_issuer(document, meta):
            continue
        score = fuzz.ratio(wanted, text_keys(document.subject))
        if score > best_score:
            best, best_score = document, score
    return best if best_score >= SUBJECT_MATCH else None


def _issuer_unit(issuer: str | None) -> Any:
    from theodoi.orgs.models import OrgUnit

    if not issuer:
        return None
    wanted = fold(issuer)
    for unit in OrgUnit.objects.all():
        if wanted in unit.search_key.split(" | "):
            return unit
    return None


# Reports state results; plans, decisions and normative texts state targets and duties, so
# their numbers are not queued as reported figures.
FIGURES_FROM = {"BC", "TB", "CV", "TTr", "other"}


def document_ingest(*, path: Path, user: Any, lexicon: list[str] | None = None) -> IngestResult:
    """Store the report in ``path`` with its full text and header, link the documents it
    cites (unknown ones as stubs) and queue its figures for review. Ingesting the same file
    again changes nothing. The file is read and its figures extracted before the database
    is written to, so a long reading never holds others' writes (a sign-in) waiting."""
    check_file(path)  # the reader's Vietnamese message for a wrong, missing or huge file
    try:
        with path.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        raise UnreadableFile(f"{path.name}: không đọc được tệp ({exc.strerror}).") from None
    held = Document.objects.filter(content_sha256=digest).first()
    if held is not None:
        return IngestResult(path, held, "unchanged")
    text, extraction = extract_file(path, lexicon=lexicon)
    return _store(path=path, digest=digest, text=text, extraction=extraction, user=user)


@transaction.atomic
def _store(
    *, path: Path, digest: str, text: str, extraction: Extraction, user: Any
) -> IngestResult:
    held = Document.objects.filter(content_sha256=digest).first()
    if held is not None:  # the same file, stored meanwhile
        return IngestResult(path, held, "unchanged")
    meta = extraction.document
    reason = f"Nạp văn bản từ tệp {path.name}"
    document = _same_document(meta)
    if document is None:
        key = _new_key(meta, digest)
        document = Document(
            key=key,
            doc_type=meta.doc_type or DocumentType.OTHER.value,
            symbol=normalize_symbol(meta.symbol) if meta.symbol else "",
            issuer=meta.issuer or "",
            issuer_unit=_issuer_unit(meta.issuer),
            issued_on=meta.issued_on,
            subject=meta.subject or "",
        )
        status = "created"
    else:
        status = "updated"
    # Fill what the held document lacks; what it already states (checked by a person) stays.
    was_stub = document.is_stub
    for name, value in (
        ("issuer", meta.issuer),
        ("issued_on", meta.issued_on),
        ("subject", meta.subject),
        ("place", meta.place),
        ("signer", meta.signer),
    ):
        if value and (was_stub or not getattr(document, name)):
            setattr(document, name, value)
    if document.issuer_unit is None:
        document.issuer_unit = _issuer_unit(document.issuer)
    if was_stub and meta.doc_type:
        document.doc_type = meta.doc_type
    unchanged = (
        document.pk is not None
        and not was_stub
        and document.full_text == text
        and all(getattr(document, k) == v for k, v in _held_fields(document).items())
    )
    document.is_stub = False
    document.full_text = text
    document.source_file = path.name
    document.content_sha256 = digest
    if unchanged:
        # The same text from another copy (CRLF line ends, another name): nothing to record.
        Document.objects.filter(pk=document.pk).update(content_sha256=digest)
        return IngestResult(path, document, "unchanged")
    save_tracked(document, user=user, reason=reason)

    result = IngestResult(path, document, status)
    _link_citations(document, meta, text, user=user, reason=reason, result=result)

    from theodoi.archive.review import extraction_queue

    if document.doc_type in FIGURES_FROM:
        result.figures_queued = extraction_queue(
            document=document, figures=extraction.figures, user=user
        )
    from theodoi.search.index import search_index_refresh

    search_index_refresh(documents=[document])
    return result


def _held_fields(document: Document) -> dict[str, Any]:
    """The fields an ingest may fill, as the database holds them now."""
    if document.pk is None:
        return {}
    return Document.objects.filter(pk=document.pk).values(
        "issuer", "issued_on", "subject", "place", "signer", "doc_type", "issuer_unit_id"
    )[0]


def _new_key(meta: DocumentMeta, digest: str) -> str:
    if meta.symbol:
        symbol = normalize_symbol(meta.symbol)
        key = f"{symbol}@{meta.issued_on.isoformat()}" if meta.issued_on else symbol
        if not Document.objects.filter(key=key).exists():
            return key
    return f"tep:{digest[:16]}"


def _link_citations(
    document: Document,
    meta: DocumentMeta,
    text: str,
    *,
    user: Any,
    reason: str,
    result: IngestResult,
) -> None:
    import datetime as dt

    opening = fold(text[:1500])
    linked = set(
        DocumentReference.objects.filter(source=document).values_list("target_id", flat=True)
    )
    # Symbols compared by their OCR key: OCR writes "02/2025/TT-BGDDT" for "02/2025/TT-BGDĐT"
    # and "09-KH/PU" for "09-KH/ĐU".
    by_symbol: dict[str, list[Document]] = {}
    for held in Document.objects.exclude(symbol=""):
        by_symbol.setdefault(symbol_key(held.symbol), []).append(held)
    for ref in meta.references:
        symbol = normalize_symbol(ref["symbol"])
        if symbol == document.symbol:
            continue
        issued_on = dt.date.fromisoformat(ref["issued_on"]) if ref["issued_on"] else None
        candidates = list(by_symbol.get(symbol_key(symbol), []))
        if issued_on:
            # "Kế hoạch số 96/KH-UBND ngày 10/3/2024" is not the 96/KH-UBND of 22/10/2025.
            candidates = [d for d in candidates if d.issued_on in (None, issued_on)]
        if candidates:
            target = max(candidates, key=lambda d: (d.issued_on == issued_on, not d.is_stub))
        else:
            key = f"{symbol}@{issued_on.isoformat()}" if issued_on else symbol
            target, _ = upsert(
                Document,
                lookup={"key": key},
                values={
                    "doc_type": ref.get("doc_type") or DocumentType.OTHER.value,
                    "symbol": symbol,
                    "issued_on": issued_on,
                    "is_stub": True,
                },
                user=user,
                reason=f"Văn bản được viện dẫn trong tệp {document.source_file}",
            )
            by_symbol.setdefault(symbol_key(symbol), []).append(target)
            result.stubs += 1
        if target.pk == document.pk or target.pk in linked:
            continue
        # Documents named in the opening "Thực hiện …/Căn cứ …" are what this one implements.
        implements = fold(ref["symbol"]) in opening and (
            "thuc hien" in opening[:300] or "can cu" in opening[:300]
        )
        upsert(
            DocumentReference,
            lookup={
                "source": document,
                "target": target,
                "kind": ReferenceKind.IMPLEMENTS if implements else ReferenceKind.CITES,
            },
            values={"quote": _line(text, ref.get("line"))},
            user=user,
            reason=reason,
        )
        linked.add(target.pk)
        result.cited += 1


def _line(text: str, line: int | None) -> str:
    if not line:
        return ""
    lines = text.split("\n")
    return lines[line - 1].strip()[:500] if 0 < line <= len(lines) else ""
