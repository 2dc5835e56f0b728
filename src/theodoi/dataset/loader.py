"""Loading a dataset of reviewable YAML files (``data/``) into the database.

The load is one transaction and idempotent: every row is found by its natural key (unit
code, document key, plan and task code …) and written only when it differs, so loading the
same files twice changes nothing, history included. Errors name the file and the entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from theodoi.dataset.common import (
    REASON,
    DatasetError,
    DocumentIndex,
    LoadReport,
    _doc_type,
    _read,
    _text,
    ensure_document,
)
from theodoi.dataset.plans import load_plan
from theodoi.documents.models import Document, DocumentReference, ReferenceKind
from theodoi.domain.references import document_key, normalize_symbol
from theodoi.domain.values import ValueType, value_type_for_unit
from theodoi.history import upsert
from theodoi.orgs.models import OrgUnit, OrgUnitSuccession, SuccessionKind
from theodoi.progress.models import DataElement
from theodoi.progress.services.periods import period_for_stated_figure
from theodoi.progress.services.values import (
    ValueWrite,
    data_values_write,
    validation_rules_install_builtin,
)


def load_units(path: Path, *, user: Any, report: LoadReport) -> None:
    entries = _read(path).get("units") or []
    by_code: dict[str, OrgUnit] = {}
    for index, entry in enumerate(entries, start=1):
        code = entry.get("code")
        if not code or not entry.get("name") or not entry.get("kind"):
            raise DatasetError(f"{path.name}, đơn vị thứ {index}: thiếu code, name hoặc kind.")
        parent = None
        if entry.get("parent"):
            parent = by_code.get(entry["parent"])
            if parent is None:
                raise DatasetError(
                    f"{path.name}, đơn vị {code}: đơn vị cấp trên “{entry['parent']}” chưa được "
                    "khai báo ở phía trên."
                )
        values = {
            "name": _text(entry["name"]),
            "kind": entry["kind"],
            "parent": parent,
            "aliases": [_text(a) for a in entry.get("aliases", [])],
            "valid_from": entry.get("valid_from"),
            "valid_to": entry.get("valid_to"),
            "note": _text(entry.get("note")),
        }
        probe = OrgUnit(code=code, **values)
        probe.refresh_derived()
        values.update(path=probe.path, depth=probe.depth, search_key=probe.search_key)
        obj, written = upsert(
            OrgUnit, lookup={"code": code}, values=values, user=user, reason=REASON
        )
        by_code[code] = obj  # type: ignore[assignment]
        report.count("units", written)
    for entry in entries:
        if entry.get("successor"):
            successor = by_code.get(entry["successor"])
            if successor is None:
                raise DatasetError(
                    f"{path.name}, đơn vị {entry['code']}: đơn vị kế thừa “{entry['successor']}” "
                    "không có trong tệp."
                )
            effective = successor.valid_from or entry.get("valid_to")
            _, written = upsert(
                OrgUnitSuccession,
                lookup={"predecessor": by_code[entry["code"]], "successor": successor},
                values={
                    "kind": SuccessionKind.TRANSFORM,
                    "effective_on": effective,
                    "note": _text(entry.get("note")),
                },
                user=user,
                reason=REASON,
            )
            report.count("successions", written)


def load_documents(path: Path, *, user: Any, report: LoadReport) -> DocumentIndex:
    entries = _read(path).get("documents") or []
    index = DocumentIndex()
    units = {u.code: u for u in OrgUnit.objects.all()}
    pending: list[tuple[Document, dict[str, Any]]] = []
    for number, entry in enumerate(entries, start=1):
        symbol = normalize_symbol(_text(entry.get("symbol"))) if entry.get("symbol") else ""
        where = f"{path.name}, văn bản thứ {number} ({symbol or entry.get('seed')})"
        issued_on = entry.get("date")
        if issued_on is not None and not isinstance(issued_on, dt.date):
            raise DatasetError(f"{where}: ngày “{issued_on}” phải viết dạng yyyy-mm-dd.")
        try:
            key = document_key(
                symbol,
                issued_on,
                entry.get("seed"),
                f"{entry.get('type')}:{entry.get('issuer') or ''}:{entry.get('subject') or ''}",
            )
        except ValueError as exc:
            raise DatasetError(f"{where}: {exc}") from None
        issuer_unit = units.get(entry.get("issuer_unit") or "")
        if entry.get("issuer_unit") and issuer_unit is None:
            raise DatasetError(f"{where}: không có đơn vị mã “{entry['issuer_unit']}”.")
        doc, written = upsert(
            Document,
            lookup={"key": key},
            values={
                "doc_type": _doc_type(entry.get("type"), where),
                "symbol": symbol,
                "issuer": _text(entry.get("issuer")),
                "issuer_unit": issuer_unit,
                "issued_on": issued_on,
                "subject": _text(entry.get("subject")),
                "source_file": f"seeds/{entry['seed']}" if entry.get("seed") else "",
                "is_stub": False,
            },
            user=user,
            reason=REASON,
        )
        report.count("documents", written)
        index.add(doc, entry.get("seed"))  # type: ignore[arg-type]
        as_of = entry.get("figures_as_of") or issued_on
        if entry.get("seed") and as_of:
            index.figures_as_of[str(entry["seed"])] = as_of
        pending.append((doc, entry))  # type: ignore[arg-type]
    for doc, entry in pending:
        for kind, field_name in (
            (ReferenceKind.IMPLEMENTS, "implements"),
            (ReferenceKind.REPLACES, "replaces"),
        ):
            targets = entry.get(field_name) or []
            if isinstance(targets, str):
                targets = [targets]
            for symbol in targets:
                target = ensure_document(index, str(symbol), user=user, report=report)
                _, written = upsert(
                    DocumentReference,
                    lookup={"source": doc, "target": target, "kind": kind},
                    values={},
                    user=user,
                    reason=REASON,
                )
                report.count("references", written)
    return index


def load_elements(path: Path, *, user: Any, report: LoadReport) -> None:
    for number, entry in enumerate(_read(path).get("elements") or [], start=1):
        unit = _text(entry.get("unit"))
        try:
            value_type = ValueType(entry.get("value_type") or value_type_for_unit(unit))
        except ValueError:
            kinds = ", ".join(t.value for t in ValueType)
            raise DatasetError(
                f"{path.name}, số liệu thứ {number} ({entry.get('code')}): loại số "
                f"“{entry.get('value_type')}” không có; dùng một trong: {kinds}."
            ) from None
        _, written = upsert(
            DataElement,
            lookup={"code": entry["code"]},
            values={
                "name": _text(entry["name"]),
                "unit": unit,
                "value_type": value_type.value,
                "description": _text(entry.get("description")),
                "aggregation": entry.get("aggregation", "last"),
            },
            user=user,
            reason=REASON,
        )
        report.count("data elements", written)
    from theodoi.progress.models import Breakdown

    for entry in _read(path).get("breakdowns") or []:
        _, written = upsert(
            Breakdown,
            lookup={"code": str(entry["code"])},
            values={"name": _text(entry["name"])},
            user=user,
            reason=REASON,
        )
        report.count("breakdowns", written)
    units = {u.code: u for u in OrgUnit.objects.all()}
    for number, entry in enumerate(_read(path).get("reporting") or [], start=1):
        where = f"{path.name}, mục reporting thứ {number}"
        by, area = units.get(entry.get("reported_by")), units.get(entry.get("reported_for"))
        if by is None or (entry.get("reported_for") and area is None):
            raise DatasetError(f"{where}: mã đơn vị không có trong units.yaml.")
        for code in entry.get("elements") or []:
            element = DataElement.objects.filter(code=code).first()
            if element is None:
                raise DatasetError(f"{where}: loại số liệu “{code}” chưa có trong elements.yaml.")
            _, written = upsert(
                DataElement,
                lookup={"code": code},
                values={"reported_by": by, "reported_for": area},
                user=user,
                reason=REASON,
            )
            report.count("data elements", written)


def load_figures(path: Path, *, index: DocumentIndex, user: Any, report: LoadReport) -> None:
    """Figures stated in source documents, kept with the document, line and quoted text."""
    elements = {e.code: e for e in DataElement.objects.all()}
    units = {u.code: u for u in OrgUnit.objects.all()}
    for number, entry in enumerate(_read(path).get("figures") or [], start=1):
        where = f"{path.name}, số liệu thứ {number} ({entry.get('element')})"
        element = elements.get(entry.get("element"))
        if element is None:
            raise DatasetError(f"{where}: loại số liệu chưa có trong elements.yaml.")
        unit = units.get(entry.get("org_unit") or "")
        if unit is None:
            raise DatasetError(f"{where}: không có đơn vị mã “{entry.get('org_unit')}”.")
        document = index.by_seed.get(str(entry.get("seed")))
        if document is None:
            raise DatasetError(f"{where}: không có văn bản nguồn seed “{entry.get('seed')}”.")
        start, end = (entry.get("period") or [None, None])[:2]
        try:
            # A figure stated without its own range counts from the start of the year up to
            # the date the report's figures run to.
            period = period_for_stated_figure(
                start=start,
                end=end,
                as_of=index.figures_as_of.get(str(entry.get("seed"))),
                user=user,
                reason=REASON,
            )
        except ValidationError as exc:
            raise DatasetError(f"{where}: {' '.join(exc.messages)}") from None
        write = ValueWrite(
            element=element,
            area=unit,
            period=period,
            value=Decimal(str(entry["value"])),
            breakdown=_text(entry.get("scope")),
            comment=_text(entry.get("note")),
            source_document=document,
            source_line=entry.get("line"),
            source_quote=str(entry["quote"]),  # verbatim
        )
        try:
            [(_, written)] = data_values_write(writes=[write], user=user, reason=REASON)
        except ValidationError as exc:
            raise DatasetError(f"{where}: {' '.join(exc.messages)}") from None
        report.count("data values", written)


@transaction.atomic
def load_dataset(directory: Path, *, user: Any) -> LoadReport:
    """Load every file of the dataset in ``directory``; all or nothing."""
    report = LoadReport()
    load_units(directory / "units.yaml", user=user, report=report)
    index = load_documents(directory / "documents.yaml", user=user, report=report)
    load_elements(directory / "elements.yaml", user=user, report=report)
    rules_written = validation_rules_install_builtin(user=user)
    if rules_written:
        report.written["validation rules"] = rules_written
    for plan_dir in sorted(p for p in (directory / "plans").iterdir() if p.is_dir()):
        load_plan(plan_dir, index=index, user=user, report=report)
    load_figures(directory / "figures.yaml", index=index, user=user, report=report)
    if (directory / "reports.yaml").exists():
        load_report_profiles(directory / "reports.yaml", user=user, report=report)
    for path in sorted((directory / "outlines").glob("*.yaml")):
        load_outline(path, user=user, report=report)
    from theodoi.search.index import search_index_rebuild

    search_index_rebuild()
    return report


def load_report_profiles(path: Path, *, user: Any, report: LoadReport) -> None:
    """The bodies each unit issues reports under (UBND, its steering committee, the Party
    committee): header, signing block, recipients and house style of numbers."""
    from theodoi.reports.models import ReportProfile, default_motto

    units = {u.code: u for u in OrgUnit.objects.all()}
    for number, entry in enumerate(_read(path).get("profiles") or [], start=1):
        where = f"{path.name}, mục thứ {number}"
        unit = units.get(entry.get("org_unit"))
        if unit is None:
            raise DatasetError(f"{where}: không có đơn vị mã “{entry.get('org_unit')}”.")
        issuing = units.get(entry.get("issuing_unit") or "") if entry.get("issuing_unit") else None
        if entry.get("issuing_unit") and issuing is None:
            raise DatasetError(f"{where}: không có đơn vị mã “{entry['issuing_unit']}”.")
        style = entry.get("style") or {}
        _, written = upsert(
            ReportProfile,
            lookup={"org_unit": unit, "code": _text(entry.get("code") or "ubnd")},
            values={
                "name": _text(entry.get("name") or "Ủy ban nhân dân"),
                "issuing_unit": issuing,
                "parent_body": _text(entry.get("parent_body")),
                "motto_lines": [_text(x) for x in entry.get("motto_lines") or default_motto()],
                "issuer_lines": [_text(x) for x in entry.get("issuer_lines", [])],
                "place": _text(entry["place"]),
                "symbol_suffix": _text(entry.get("symbol_suffix") or "BC-UBND"),
                "signing_lines": [_text(x) for x in entry.get("signing_lines", [])],
                "signer_name": _text(entry.get("signer_name")),
                "recipients": [_text(x) for x in entry.get("recipients", [])],
                "archive_line": _text(entry.get("archive_line") or "Lưu: VT."),
                "share_places": int(style.get("share_places", 1)),
                "zero_word": _text(style.get("zero_word", "Không")),
                "pad_counts": bool(style.get("pad_counts", True)),
                "leader_review": bool(entry.get("leader_review", False)),
            },
            user=user,
            reason=REASON,
        )
        report.count("report profiles", written)


def load_outline(path: Path, *, user: Any, report: LoadReport) -> None:
    """A default report outline (``data/outlines/*.yaml``): its sections and blocks, in order,
    their settings checked as the outline editor checks them. Loading the same file twice
    changes nothing; sections and blocks the file no longer has are removed."""
    from theodoi.reports.models import OutlineBlock, OutlineSection, ReportOutline
    from theodoi.reports.outlines import block_config_problems

    data = _read(path)
    outline, written = upsert(
        ReportOutline,
        lookup={"org_unit": None, "code": data["code"]},
        values={
            "name": _text(data["name"]),
            "subject": " ".join(str(data["subject"]).split()),
            "opening": " ".join(str(data.get("opening") or "").split()),
            "profile_code": data.get("profile") or "ubnd",
            "plan_symbols": list(data.get("plans") or []),
            "recipients": [_text(r) for r in data.get("recipients") or []],
            "position": int(data.get("position") or 0),
        },
        user=user,
        reason=REASON,
    )
    report.count("report outlines", written)
    kept_sections = []
    for s_number, section_data in enumerate(data.get("sections") or [], start=1):
        section, written = upsert(
            OutlineSection,
            lookup={"outline": outline, "position": s_number},
            values={"heading": _text(section_data["heading"])},
            user=user,
            reason=REASON,
        )
        report.count("report outlines", written)
        kept_sections.append(section.pk)
        kept_blocks = []
        for b_number, block_data in enumerate(section_data.get("blocks") or [], start=1):
            kind, config = block_data["kind"], dict(block_data.get("config") or {})
            problems = block_config_problems(kind, config)
            if problems:
                raise DatasetError(
                    f"{path.name}, mục “{section_data['heading']}”, khối thứ {b_number}: "
                    + " ".join(problems)
                )
            block, written = upsert(
                OutlineBlock,
                lookup={"section": section, "position": b_number},
                values={
                    "kind": kind,
                    "heading": _text(block_data.get("heading")),
                    "config": config,
                },
                user=user,
                reason=REASON,
            )
            report.count("report outlines", written)
            kept_blocks.append(block.pk)
        for stale in OutlineBlock.objects.filter(section=section).exclude(pk__in=kept_blocks):
            stale._history_user, stale._change_reason = user, REASON  # type: ignore[attr-defined]
            stale.delete()
    for stale in OutlineSection.objects.filter(outline=outline).exclude(pk__in=kept_sections):
        stale._history_user, stale._change_reason = user, REASON  # type: ignore[attr-defined]
        stale.delete()
