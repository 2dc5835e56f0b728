"""Writes to report outlines: a unit's own copy of a default outline, edited section by
section and block by block in the web app (no admin, no code).

Every write checks that the person may edit the unit's outlines (``outline.edit``: the
coordinator), that the outline is a unit's copy (the shipped defaults change only through
``data/outlines/``), and that a block's settings pass :func:`block_config_problems` (a
pattern's syntax, an element the catalogue lacks …) before anything is saved; each change is
kept in the history with who, when and why.
"""

from __future__ import annotations

from typing import Any

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from theodoi.history import save_tracked
from theodoi.orgs.models import OrgUnit
from theodoi.orgs.permissions import can
from theodoi.reports.models import BlockKind, OutlineBlock, OutlineSection, ReportOutline
from theodoi.reports.outlines import block_config_problems

MAX_SETTINGS = 20_000  # characters of a block's settings typed on the page


def _may_edit(user: Any, outline: ReportOutline) -> None:
    if outline.org_unit is None:
        raise PermissionDenied(
            "Dàn ý mặc định không sửa trực tiếp được: hãy “Sao chép để sửa” thành dàn ý của đơn vị."
        )
    if not can(user, "outline.edit", outline.org_unit):
        raise PermissionDenied(
            f"Bạn không có quyền sửa dàn ý báo cáo của {outline.org_unit.name} (cần vai trò "
            "đầu mối tổng hợp)."
        )


def _reason(reason: str, default: str) -> str:
    return " ".join(reason.split())[:255] or default


@transaction.atomic
def outline_copy(*, outline: ReportOutline, unit: OrgUnit, user: Any) -> ReportOutline:
    """The unit's own copy of ``outline`` (of the same kind), with every section and block;
    it then serves the unit and the units below it in place of the one copied."""
    if not can(user, "outline.edit", unit):
        raise PermissionDenied(
            f"Bạn không có quyền sửa dàn ý báo cáo của {unit.name} (cần vai trò đầu mối tổng hợp)."
        )
    if ReportOutline.objects.filter(org_unit=unit, code=outline.code).exists():
        raise ValidationError(f"{unit.name} đã có dàn ý “{outline.name}” riêng; hãy sửa dàn ý đó.")
    reason = f"Sao chép từ dàn ý “{outline.name}”"
    copy = ReportOutline(
        code=outline.code,
        name=outline.name,
        org_unit=unit,
        subject=outline.subject,
        opening=outline.opening,
        profile_code=outline.profile_code,
        plan_symbols=list(outline.plan_symbols or []),
        recipients=list(outline.recipients or []),
        position=outline.position,
    )
    save_tracked(copy, user=user, reason=reason)
    for section in outline.sections.order_by("position", "id"):
        new_section = OutlineSection(
            outline=copy, position=section.position, heading=section.heading
        )
        save_tracked(new_section, user=user, reason=reason)
        for block in section.blocks.order_by("position", "id"):
            save_tracked(
                OutlineBlock(
                    section=new_section,
                    position=block.position,
                    kind=block.kind,
                    heading=block.heading,
                    config=dict(block.config or {}),
                ),
                user=user,
                reason=reason,
            )
    return copy


def _check_patterns(texts: dict[str, str]) -> None:
    from theodoi.domain.patterns import check_pattern
    from theodoi.progress.models import DataElement

    known = set(DataElement.objects.values_list("code", flat=True))
    errors = {}
    for name, text in texts.items():
        problems = check_pattern(text, known=known.__contains__)
        if problems:
            errors[name] = problems
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def outline_update(
    *,
    outline: ReportOutline,
    user: Any,
    name: str,
    subject: str,
    opening: str,
    profile_code: str,
    recipients: list[str],
    plan_symbols: list[str],
    reason: str = "",
) -> ReportOutline:
    """Change the outline's name, subject and opening patterns, issuing body, recipients and
    plans."""
    _may_edit(user, outline)
    name, subject = " ".join(name.split()), " ".join(subject.split())
    if not name or not subject:
        raise ValidationError("Dàn ý cần tên loại báo cáo và trích yếu.")
    _check_patterns({"subject": subject, "opening": opening})
    profiles = set(outline.org_unit.report_profiles.values_list("code", flat=True))
    if profiles and profile_code not in profiles:
        raise ValidationError(
            {
                "profile_code": [
                    f"Không có cơ quan ban hành “{profile_code}” của {outline.org_unit.name}."
                ]
            }
        )
    outline.name, outline.subject = name, subject
    outline.opening = " ".join(opening.split())
    outline.profile_code = profile_code
    outline.recipients = [" ".join(r.split()) for r in recipients if r.strip()]
    outline.plan_symbols = [" ".join(p.split()) for p in plan_symbols if p.strip()]
    save_tracked(outline, user=user, reason=_reason(reason, "Sửa thông tin dàn ý"))
    return outline


def _renumber(items: list[Any], *, user: Any, reason: str) -> None:
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            save_tracked(item, user=user, reason=reason)


@transaction.atomic
def outline_section_add(
    *, outline: ReportOutline, heading: str, user: Any, reason: str = ""
) -> OutlineSection:
    _may_edit(user, outline)
    heading = " ".join(heading.split())
    if not heading:
        raise ValidationError({"heading": ["Hãy nhập tiêu đề mục."]})
    _check_patterns({"heading": heading})
    last = outline.sections.aggregate(last=Max("position"))["last"] or 0
    section = OutlineSection(outline=outline, position=last + 1, heading=heading)
    save_tracked(section, user=user, reason=_reason(reason, "Thêm mục"))
    return section


@transaction.atomic
def outline_section_update(
    *, section: OutlineSection, heading: str, user: Any, reason: str = ""
) -> None:
    _may_edit(user, section.outline)
    heading = " ".join(heading.split())
    if not heading:
        raise ValidationError({"heading": ["Hãy nhập tiêu đề mục."]})
    _check_patterns({"heading": heading})
    section.heading = heading
    save_tracked(section, user=user, reason=_reason(reason, "Sửa tiêu đề mục"))


@transaction.atomic
def outline_section_move(*, section: OutlineSection, step: int, user: Any) -> None:
    """Move a section up (``step`` -1) or down (+1) among its outline's sections."""
    _may_edit(user, section.outline)
    sections = list(section.outline.sections.order_by("position", "id"))
    index = sections.index(section)
    target = max(0, min(len(sections) - 1, index + step))
    sections.insert(target, sections.pop(index))
    _renumber(sections, user=user, reason="Đổi thứ tự mục")


@transaction.atomic
def outline_section_delete(*, section: OutlineSection, user: Any, reason: str = "") -> None:
    outline = section.outline
    _may_edit(user, outline)
    why = _reason(reason, f"Xóa mục “{section.heading}”")
    for block in section.blocks.all():
        block._history_user, block._change_reason = user, why  # type: ignore[attr-defined]
        block.delete()
    section._history_user, section._change_reason = user, why  # type: ignore[attr-defined]
    section.delete()
    _renumber(list(outline.sections.order_by("position", "id")), user=user, reason=why)


def block_settings(kind: str, sentences: str, settings: str) -> dict[str, Any]:
    """A block's settings from what the page holds: its sentences (the patterns of a figures
    block, the paragraphs of a text block), one per paragraph, blank lines between; and the
    rest as YAML (``field: government``, ``bodies: [self]`` …). Raises ValidationError in
    Vietnamese naming what cannot be read."""
    if len(settings) > MAX_SETTINGS or len(sentences) > MAX_SETTINGS:
        raise ValidationError(f"Nội dung khối dài quá {MAX_SETTINGS:,} ký tự.".replace(",", "."))
    config: dict[str, Any] = {}
    if settings.strip():
        try:
            events = list(yaml.parse(settings, Loader=yaml.SafeLoader))
            if any(isinstance(e, yaml.AliasEvent) for e in events):
                raise ValidationError("Thiết lập khác: không dùng tham chiếu (&, *) của YAML.")
            loaded = yaml.safe_load(settings)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (dòng {mark.line + 1}, cột {mark.column + 1})" if mark else ""
            raise ValidationError(
                f"Thiết lập khác không đọc được{where}: viết mỗi dòng dạng “khóa: giá trị”, "
                "ví dụ “field: government”."
            ) from None
        if not isinstance(loaded, dict):
            raise ValidationError("Thiết lập khác phải là các dòng “khóa: giá trị”.")
        config.update(loaded)
    lines = [" ".join(p.split()) for p in sentences.replace("\r\n", "\n").split("\n\n")]
    lines = [line for line in lines if line]
    if kind == BlockKind.FIGURES:
        config["patterns"] = lines or list(config.get("patterns") or [])
    elif kind == BlockKind.TEXT:
        config["paragraphs"] = lines or list(config.get("paragraphs") or [])
    problems = block_config_problems(kind, config)
    if problems:
        raise ValidationError(problems)
    return config


@transaction.atomic
def outline_block_add(
    *,
    section: OutlineSection,
    kind: str,
    heading: str,
    config: dict[str, Any],
    user: Any,
    reason: str = "",
) -> OutlineBlock:
    _may_edit(user, section.outline)
    problems = block_config_problems(kind, config)
    if problems:
        raise ValidationError(problems)
    if heading.strip():
        _check_patterns({"heading": heading})
    last = section.blocks.aggregate(last=Max("position"))["last"] or 0
    block = OutlineBlock(
        section=section,
        position=last + 1,
        kind=kind,
        heading=" ".join(heading.split()),
        config=config,
    )
    save_tracked(block, user=user, reason=_reason(reason, "Thêm khối"))
    return block


@transaction.atomic
def outline_block_update(
    *, block: OutlineBlock, heading: str, config: dict[str, Any], user: Any, reason: str = ""
) -> None:
    _may_edit(user, block.section.outline)
    problems = block_config_problems(block.kind, config)
    if problems:
        raise ValidationError(problems)
    if heading.strip():
        _check_patterns({"heading": heading})
    block.heading = " ".join(heading.split())
    block.config = config
    save_tracked(block, user=user, reason=_reason(reason, "Sửa khối"))


@transaction.atomic
def outline_block_move(*, block: OutlineBlock, step: int, user: Any) -> None:
    """Move a block up or down within its section; past the first or last block of the
    section it goes to the end of the previous section or the start of the next."""
    section = block.section
    _may_edit(user, section.outline)
    blocks = list(section.blocks.order_by("position", "id"))
    index = blocks.index(block)
    target = index + step
    if 0 <= target < len(blocks):
        blocks.insert(target, blocks.pop(index))
        _renumber(blocks, user=user, reason="Đổi thứ tự khối")
        return
    sections = list(section.outline.sections.order_by("position", "id"))
    s_index = sections.index(section) + (1 if step > 0 else -1)
    if not 0 <= s_index < len(sections):
        return  # already first or last of the outline
    other = sections[s_index]
    blocks.pop(index)
    _renumber(blocks, user=user, reason="Chuyển khối sang mục khác")
    others = list(other.blocks.order_by("position", "id"))
    block.section = other
    others = [*others, block] if step < 0 else [block, *others]
    for position, item in enumerate(others, start=1):
        item.position = position
        save_tracked(item, user=user, reason="Chuyển khối sang mục khác")


@transaction.atomic
def outline_block_delete(*, block: OutlineBlock, user: Any, reason: str = "") -> None:
    section = block.section
    _may_edit(user, section.outline)
    block._history_user = user  # type: ignore[attr-defined]
    block._change_reason = _reason(reason, "Xóa khối")  # type: ignore[attr-defined]
    block.delete()
    _renumber(list(section.blocks.order_by("position", "id")), user=user, reason="Xóa khối")
