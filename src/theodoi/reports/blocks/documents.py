"""The documents of direction issued in the period, each by the body that really issued it
(the People's Committee, its steering committee, the Party committee …), grouped by body in
the outline's order, then by type (plans, then decisions, then official letters …), then by
date: "- Ban Thường vụ Đảng ủy đặc khu ban hành Kế hoạch hành động số 09-KH/ĐU ngày
03/10/2025 về thực hiện Nghị quyết số 57-NQ/TW …;". ``types`` keeps only some types."""

from __future__ import annotations

from typing import Any

from theodoi.documents.models import Document
from theodoi.domain.formatting import format_date
from theodoi.orgs.models import OrgUnit
from theodoi.reports.blocks.base import BlockContext, RenderedBlock

# The bodies of a unit that issue documents in its name or beside it, by their kind.
BODY_KINDS = ("self", "party_committee", "steering_committee", "council")
# The order the offices list documents of one body in: direction first, letters last.
TYPE_ORDER = ("NQ", "CT", "CTr", "KH", "ĐA", "QĐ", "KL", "TB", "HD", "CV", "TTr", "other")


def issuing_units(unit: OrgUnit, bodies: list[str]) -> list[OrgUnit]:
    """The unit itself ("self") and the units below it of the kinds named, in that order."""
    found: list[OrgUnit] = []
    below = list(OrgUnit.objects.filter(path__startswith=unit.path).exclude(pk=unit.pk))
    for body in bodies:
        if body == "self":
            found.append(unit)
        elif body in BODY_KINDS:
            found += [u for u in below if u.kind == body]
        else:  # a unit code
            found += [u for u in [*below, unit] if u.code == body]
    return list(dict.fromkeys(found))


def _about(subject: str) -> str:
    subject = subject.strip().rstrip(".;")
    if not subject:
        return ""
    lowered = subject[0].lower() + subject[1:]
    return " " + (lowered if lowered.startswith("về ") else f"về {lowered}")


def document_line(doc: Document) -> str:
    """One document as the reports list it, attributed to its own issuer."""
    issuer = doc.issuer or (doc.issuer_unit.name if doc.issuer_unit else "")
    symbol = f" số {doc.symbol}" if doc.symbol else ""
    when = f" ngày {format_date(doc.issued_on)}" if doc.issued_on else ""
    kind = doc.get_doc_type_display()
    return f"{issuer} ban hành {kind}{symbol}{when}{_about(doc.subject)}".strip()


def render(block: dict[str, Any], ctx: BlockContext) -> RenderedBlock:
    config = block["config"]
    bodies = config.get("bodies") or ["self", "party_committee", "steering_committee"]
    units = issuing_units(ctx.unit, bodies)
    found = Document.objects.filter(
        issuer_unit__in=units,
        issued_on__gte=ctx.period.start,
        issued_on__lte=ctx.period.end,
    ).exclude(doc_type="BC")  # reports answer direction; they are not direction
    types = list(config.get("types") or [])
    if types:
        found = found.filter(doc_type__in=types)
    documents = list(found.select_related("issuer_unit").order_by("issued_on", "symbol"))
    order = {u.pk: i for i, u in enumerate(units)}
    type_order = {t: i for i, t in enumerate(types or TYPE_ORDER)}
    documents.sort(
        key=lambda d: (
            order.get(d.issuer_unit_id, len(order)),
            type_order.get(d.doc_type, len(type_order)),
            d.issued_on,
        )
    )
    lines = [f"- {document_line(d)};" for d in documents]
    if lines:
        lines[-1] = lines[-1][:-1] + "."
    else:
        lines = [
            "Trong kỳ báo cáo, hệ thống chưa ghi nhận văn bản chỉ đạo, điều hành nào được "
            "ban hành (nếu có, hãy bổ sung văn bản vào hệ thống)."
        ]
    intro = config.get("intro")
    out = RenderedBlock(
        "documents",
        block.get("heading", ""),
        ([ctx.pattern(intro)] if intro and documents else []) + lines,
    )
    out.data["documents"] = [
        {
            "symbol": d.symbol,
            "issued_on": d.issued_on.isoformat() if d.issued_on else None,
            "issuer": d.issuer or (d.issuer_unit.name if d.issuer_unit else ""),
        }
        for d in documents
    ]
    return out
