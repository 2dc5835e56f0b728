"""What the units wrote for a field in the period — results, difficulties, causes, proposals
or next steps of their approved task updates — as sentences, each once, without task codes.
Nothing entered is said in brackets ("[chưa có nội dung: …]"), never as a fact ("Không có
kiến nghị …"). The next issue brings the units' own contributions here."""

from __future__ import annotations

from typing import Any

from theodoi.domain.fields import Field
from theodoi.domain.richtext import paragraphs
from theodoi.domain.text import fold
from theodoi.progress.models import TaskUpdate, UpdateState
from theodoi.reports.blocks.base import MISSING_TEXT, BlockContext, RenderedBlock
from theodoi.reports.selectors import contributions_counted

TEXT_LABELS = {
    "results": "kết quả thực hiện",
    "difficulties": "tồn tại, hạn chế",
    "causes": "nguyên nhân",
    "proposals": "kiến nghị, đề xuất",
    "next_steps": "nhiệm vụ kỳ tới",
}


def period_updates(ctx: BlockContext, plans: list[Any], field: str | None) -> list[TaskUpdate]:
    """The approved task updates of the period for the plans (and field, if given)."""
    updates = TaskUpdate.objects.filter(
        task__plan__in=plans,
        period__start__gte=ctx.period.start,
        period__end__lte=ctx.period.end,
        state=UpdateState.APPROVED,
    )
    if field:
        updates = updates.filter(task__field=field)
    return list(updates.select_related("task").order_by("task__position", "period__start"))


def as_sentence(text: str) -> str:
    text = " ".join(text.split()).strip(" -–•;")
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."


SHORT = 80  # characters: a result this short says nothing without the task it is of
ILLUSTRATIVE_MARK = "[Dữ liệu minh họa]"


def _work(title: str, limit: int = 160) -> str:
    """A task's title as the subject of a sentence, cut at a word before ``limit``."""
    title = " ".join(title.split()).rstrip(" .;:")
    if len(title) > limit:
        title = title[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.-–") + "…"
    return title


def update_sentence(update: TaskUpdate, text: str, *, with_task: bool = False) -> str:
    """What a unit wrote, as a sentence of the report. With ``with_task`` (results), a short
    one ("Đã hoàn thành.") is said with the task it is of, by its title (never its code); an
    illustrative one keeps its mark in front."""
    sentence = as_sentence(text)
    if not sentence:
        return ""
    mark = sentence.startswith(ILLUSTRATIVE_MARK)
    body = sentence.removeprefix(ILLUSTRATIVE_MARK).strip() if mark else sentence
    if with_task and len(body) < SHORT:
        body = f"{as_sentence(_work(update.task.title)).rstrip('.')}: {body[:1].lower()}{body[1:]}"
    return f"{ILLUSTRATIVE_MARK} {body}" if mark else body


def render(block: dict[str, Any], ctx: BlockContext) -> RenderedBlock:
    config = block["config"]
    field = config.get("field") or None
    texts = config.get("texts") or ["results"]
    plans = ctx.plans_named(config.get("plans"))
    updates = period_updates(ctx, plans, field)
    out = RenderedBlock("narrative", block.get("heading", ""), [])
    seen: set[str] = set()
    # What the units wrote for the field, as they wrote it, first; then their task updates.
    if field and config.get("contributions", True):
        for contribution in contributions_counted(
            unit=ctx.unit, start=ctx.period.start, end=ctx.period.end, field=field
        ):
            for line in paragraphs(contribution.text):
                key = fold(line)
                if key not in seen:
                    seen.add(key)
                    out.paragraphs.append(line)
            out.data.setdefault("contributors", []).append(contribution.org_unit.code)
    for name in texts:
        for update in updates:
            sentence = update_sentence(
                update, getattr(update, name, "") or "", with_task=name == "results"
            )
            key = fold(sentence)
            if not sentence or key in seen:
                continue
            seen.add(key)
            if update.is_illustrative:
                out.illustrative = True
                if "minh họa" not in sentence.lower():
                    sentence += " (dữ liệu minh họa)"
            out.paragraphs.append(f"- {sentence}")
    if "difficulties" in texts and not field and config.get("explanations", True):
        out.paragraphs += explanation_lines(ctx, plans)
    if not out.paragraphs and config.get("if_empty") != "omit":
        what = " và ".join(TEXT_LABELS.get(n, n) for n in texts)
        where = f" lĩnh vực {Field(field).label.lower()}" if field else ""
        out.paragraphs.append(
            MISSING_TEXT.format(what=f"{what}{where} — các đơn vị chưa báo cáo trong kỳ")
        )
        out.missing.append({"code": f"narrative:{field or 'all'}:{'+'.join(texts)}", "name": what})
    return out


def explanation_lines(ctx: BlockContext, plans: list[Any]) -> list[str]:
    """The lead units' explanations of the period's red items (overdue tasks, indicators off
    track), as answered, each with its corrective action or saying there is none."""
    from django.db.models import Q

    from theodoi.progress.models import Explanation

    lines = []
    for e in (
        Explanation.objects.filter(
            Q(task__plan__in=plans) | Q(indicator__plan__in=plans),
            answered_at__isnull=False,
            period__start__gte=ctx.period.start,
            period__end__lte=ctx.period.end,
            org_unit__path__startswith=ctx.unit.path,
        )
        .select_related("task", "indicator", "org_unit")
        .order_by("period__end", "pk")
    ):
        what = (
            f"Nhiệm vụ {e.task.code} ({_work(e.task.title, 100)})"
            if e.task_id
            else f"Chỉ tiêu {e.indicator.code} ({_work(e.indicator.name, 100)})"
        )
        why = as_sentence(e.explanation).rstrip(".")
        action = as_sentence(e.corrective_action).rstrip(".") if e.corrective_action else ""
        fix = f"; giải pháp: {_inline(action)}" if action else " (chưa có giải pháp khắc phục)"
        lines.append(f"- {what}, {e.org_unit.name} giải trình: {_inline(why)}{fix}.")
    return lines


def _inline(text: str) -> str:
    """A sentence continued inside another: its first letter lower-cased unless the first
    word is an acronym or a name in capitals ("UBND", "VNeID")."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1:] == first[1:].lower():
        return text[0].lower() + text[1:]
    return text
