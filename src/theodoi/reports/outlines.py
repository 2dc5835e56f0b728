"""Report outlines: which a unit may use, each as the plain structure the content builder
reads, and the checks of a block's settings (its patterns above all) before they are saved."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet

from theodoi.domain.fields import Field
from theodoi.domain.patterns import check_pattern
from theodoi.orgs.models import OrgUnit
from theodoi.progress.models import DataElement
from theodoi.reports.models import BlockKind, OutlineBlock, ReportOutline

# The outline a report uses when none is chosen: the periodic report on Resolution 57.
DEFAULT_OUTLINE = "bao-cao-dinh-ky-nq57"


def outlines_for(unit: OrgUnit) -> QuerySet[ReportOutline]:
    """The outlines ``unit`` may use: its own, those of the units above it, and the
    defaults; a unit's own outline of a kind hides the one above it (see :func:`outline_for`)."""
    ancestors = [c for c in unit.path.split("/") if c]
    return ReportOutline.objects.filter(
        Q(org_unit__isnull=True) | Q(org_unit__code__in=ancestors) | Q(org_unit=unit)
    ).select_related("org_unit")


def outline_for(unit: OrgUnit, code: str | None = None) -> ReportOutline | None:
    """The outline of kind ``code`` (the default kind when None) closest to ``unit``: its own,
    else its nearest ancestor's, else the default."""
    code = code or DEFAULT_OUTLINE
    found = {
        o.org_unit.code if o.org_unit else None: o for o in outlines_for(unit).filter(code=code)
    }
    for ancestor in reversed([c for c in unit.path.split("/") if c]):
        if ancestor in found:
            return found[ancestor]
    return found.get(None)


def outline_choices(unit: OrgUnit) -> list[ReportOutline]:
    """One outline per kind of report, the closest to ``unit``, in the outlines' order."""
    kinds = dict.fromkeys(o.code for o in outlines_for(unit).order_by("position", "name"))
    return [o for o in (outline_for(unit, code) for code in kinds) if o is not None]


def outline_spec(outline: ReportOutline | None, code: str | None = None) -> dict[str, Any]:
    """The outline as the content builder reads it. Raises ValidationError in Vietnamese when
    there is none (a database the dataset was never loaded into)."""
    if outline is None:
        outline = ReportOutline.objects.filter(
            org_unit__isnull=True, code=code or DEFAULT_OUTLINE
        ).first()
    if outline is None:
        raise ValidationError(
            f"Chưa có dàn ý báo cáo “{code or DEFAULT_OUTLINE}” trong hệ thống: hãy nạp bộ dữ "
            "liệu (theodoi demo) hoặc tạo dàn ý ở trang Dàn ý báo cáo."
        )
    sections = outline.sections.prefetch_related(
        Prefetch("blocks", queryset=OutlineBlock.objects.order_by("position", "id"))
    ).order_by("position", "id")
    return {
        "id": outline.pk,
        "code": outline.code,
        "name": outline.name,
        "subject": outline.subject,
        "opening": outline.opening,
        "profile": outline.profile_code,
        "plans": list(outline.plan_symbols or []),
        "recipients": list(outline.recipients or []),
        "sections": [
            {
                "id": section.pk,
                "heading": section.heading,
                "blocks": [
                    {
                        "id": block.pk,
                        "kind": block.kind,
                        "heading": block.heading,
                        "config": dict(block.config or {}),
                    }
                    for block in section.blocks.all()
                ],
            }
            for section in sections
        ],
    }


def block_config_problems(kind: str, config: dict[str, Any]) -> list[str]:
    """What is wrong with a block's settings, in Vietnamese: a pattern's syntax or an element
    code the catalogue lacks, an unknown field, a body, a text kind or table name."""
    problems: list[str] = []
    if kind not in BlockKind.values:
        return [f"Không có loại khối “{kind}”."]
    known = set(DataElement.objects.values_list("code", flat=True))
    texts = []
    if kind == BlockKind.FIGURES:
        texts = list(config.get("patterns") or [])
        if not texts:
            problems.append("Khối câu số liệu cần ít nhất một mẫu câu.")
    elif kind == BlockKind.TEXT:
        texts = list(config.get("paragraphs") or [])
    elif kind == BlockKind.DOCUMENTS and config.get("intro"):
        texts = [config["intro"]]
    for number, text in enumerate(texts, start=1):
        for problem in check_pattern(str(text), known=known.__contains__):
            problems.append(f"Câu {number}: {problem}")
    if kind == BlockKind.NARRATIVE:
        field = config.get("field")
        if field and field not in {f.value for f in Field}:
            problems.append(f"Không có lĩnh vực “{field}”.")
        for name in config.get("texts") or []:
            if name not in ("results", "difficulties", "causes", "proposals", "next_steps"):
                problems.append(f"Không có loại nội dung “{name}”.")
        contributors = config.get("contributors") or []
        if not isinstance(contributors, list):
            problems.append("“contributors” là danh sách mã đơn vị viết phần này.")
        else:
            known_units = set(
                OrgUnit.objects.filter(code__in=[str(c) for c in contributors]).values_list(
                    "code", flat=True
                )
            )
            for code in contributors:
                if str(code) not in known_units:
                    problems.append(f"Không có đơn vị mã “{code}” (contributors).")
    if kind == BlockKind.DOCUMENTS:
        from theodoi.documents.models import DocumentType
        from theodoi.reports.blocks.documents import BODY_KINDS

        for doc_type in config.get("types") or []:
            if doc_type not in DocumentType.values:
                problems.append(
                    f"Không có loại văn bản “{doc_type}”; dùng: {', '.join(DocumentType.values)}."
                )
        for body in config.get("bodies") or []:
            if body not in BODY_KINDS and not OrgUnit.objects.filter(code=body).exists():
                problems.append(
                    f"Không có cơ quan “{body}”: dùng {', '.join(BODY_KINDS)} hoặc mã đơn vị."
                )
    if kind == BlockKind.APPENDIX:
        for table in config.get("tables") or []:
            if table not in ("tasks", "indicators"):
                problems.append(f"Không có phụ lục “{table}” (chỉ có tasks, indicators).")
    return problems


def contribution_fields(unit: OrgUnit) -> list[Field]:
    """The fields ``unit`` writes for: those of the narrative blocks, in the outlines it
    reports under, that name it among their contributors."""
    found: list[Field] = []
    outlines = outline_choices(unit)
    blocks = OutlineBlock.objects.filter(
        section__outline__in=outlines, kind=BlockKind.NARRATIVE
    ).order_by("section__outline__position", "section__position", "position")
    for block in blocks:
        config = block.config or {}
        field = config.get("field")
        if unit.code in (config.get("contributors") or []) and field in Field._value2member_map_:
            if Field(field) not in found:
                found.append(Field(field))
    return found
