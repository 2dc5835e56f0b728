"""Loading the Cát Hải dataset: completeness against the seeds, idempotence, atomicity."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal

import pytest
import yaml
from django.db.models import Count

from tests.conftest import DATA_DIR, seed_text
from theodoi.dataset.common import DatasetError
from theodoi.dataset.loader import load_dataset
from theodoi.documents.models import Document
from theodoi.orgs.models import OrgUnit
from theodoi.plans.models import Indicator, IndicatorTarget, Plan, Task
from theodoi.progress.models import DataValue, TaskUpdate


def _history_rows() -> int:
    models = [OrgUnit, Document, Plan, Task, Indicator, IndicatorTarget, DataValue, TaskUpdate]
    return sum(model.history.count() for model in models)


@pytest.mark.seeds
def test_every_section_ii_task_of_the_seed_is_loaded(dataset):
    """The codes 1.1 … 7.2 are read from the OCR text of seed 003 itself."""
    text = seed_text("003")
    section = text[text.index("NHIEM VU, GIAI PHAP") : text.index("TO CHUC THUC HIEN")]
    seed_codes = set(re.findall(r"^([1-7]\.\d{1,2})\. ", section, flags=re.MULTILINE))
    plan = Plan.objects.get(document__symbol="96/KH-UBND")
    loaded = set(plan.tasks.values_list("code", flat=True))
    assert len(seed_codes) >= 45
    assert seed_codes <= loaded


def test_every_task_the_plan_files_list_is_loaded(dataset):
    """What the seed test above checks against seed 003, from the dataset's own side: each task
    written in data/plans is in the database, and nothing else is."""
    plan_dir = DATA_DIR / "plans" / "96-KH-UBND"
    listed = set()
    for name in ("tasks.yaml", "appendix_tasks.yaml"):
        content = yaml.safe_load((plan_dir / name).read_text(encoding="utf-8"))
        listed |= {str(task["code"]) for task in content.get("tasks") or []}
    plan = Plan.objects.get(document__symbol="96/KH-UBND")
    assert len(listed) >= 45
    assert set(plan.tasks.values_list("code", flat=True)) == listed


def test_appendix_2_has_its_34_indicators_with_milestone_targets(dataset):
    plan = Plan.objects.get(document__symbol="96/KH-UBND")
    appendix2 = plan.indicators.filter(code__startswith="PL2.")
    assert appendix2.count() == 34
    years = set(
        IndicatorTarget.objects.filter(indicator__in=appendix2).values_list("year", flat=True)
    )
    assert years == {2025, 2030, 2035, 2040, 2045}
    # rows whose target cells the OCR lost are listed in data/README.md; all others have targets
    without = set(appendix2.annotate(n=Count("targets")).filter(n=0).values_list("code", flat=True))
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert all(code in readme for code in without)
    assert len(without) <= 3


def test_loaded_text_keeps_full_vietnamese_diacritics(dataset):
    task = Task.objects.get(plan__document__symbol="96/KH-UBND", code="1.1")
    assert "Nghị quyết" in task.title and "chuyển đổi số" in task.title


def test_figures_keep_their_provenance(dataset):
    """Each stated figure keeps the document, line and quote its entry in figures.yaml gives."""
    entries = yaml.safe_load((DATA_DIR / "figures.yaml").read_text(encoding="utf-8"))["figures"]
    stated = {
        (
            e["element"],
            e["org_unit"],
            str(e["seed"]),
            e["line"],
            e["quote"],
            Decimal(str(e["value"])),
        )
        for e in entries
    }
    values = DataValue.objects.filter(is_illustrative=False)
    assert values.exists()
    loaded = set()
    for value in values.select_related("source_document", "element", "org_unit"):
        assert value.source_document is not None and value.source_quote
        seed = value.source_document.source_file.removeprefix("seeds/")
        loaded.add(
            (
                value.element.code,
                value.org_unit.code,
                seed,
                value.source_line,
                value.source_quote,
                value.value,
            )
        )
    assert loaded <= stated
    assert {s[:2] for s in loaded} == {s[:2] for s in stated}  # no entry left out


@pytest.mark.seeds
def test_figures_quote_their_seed_lines_verbatim(dataset):
    values = DataValue.objects.filter(is_illustrative=False, source_line__isnull=False)
    assert values.exists()
    for value in values.select_related("source_document"):
        lines = seed_text(value.source_document.source_file.removeprefix("seeds/")).splitlines()
        assert value.source_quote in lines[value.source_line - 1], value


def test_loading_again_changes_nothing_not_even_history(dataset, loader_user):
    before = _history_rows()
    report = load_dataset(DATA_DIR, user=loader_user)
    assert report.written == {}
    assert _history_rows() == before


def test_every_change_is_recorded_with_who(dataset):
    task = Task.objects.get(plan__document__symbol="96/KH-UBND", code="1.1")
    record = task.history.latest()
    assert record.history_user.username == "theodoi-dulieu"
    assert record.history_change_reason == "Nạp bộ dữ liệu"


@pytest.fixture
def broken_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def test_a_bad_deadline_rejects_the_whole_load_naming_file_and_task(db, loader_user, broken_copy):
    path = broken_copy / "plans" / "96-KH-UBND" / "tasks.yaml"
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    content["tasks"][3]["deadline"] = "Tháng 13/2025"
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    code = content["tasks"][3]["code"]
    content["tasks"][0]["title"] = "Nội dung đã sửa"
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    before = _history_rows()
    with pytest.raises(DatasetError, match=rf"tasks.yaml, nhiệm vụ {re.escape(code)}: .*tháng 13"):
        load_dataset(broken_copy, user=loader_user)
    assert _history_rows() == before
    assert (
        Task.objects.get(
            plan__document__symbol="96/KH-UBND", code=content["tasks"][0]["code"]
        ).title
        != "Nội dung đã sửa"
    )


def test_a_yaml_syntax_error_names_the_line(db, loader_user, broken_copy):
    (broken_copy / "units.yaml").write_text("units:\n  - code: [VN\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"units.yaml sai cú pháp YAML \(dòng \d+"):
        load_dataset(broken_copy, user=loader_user)


def test_an_unknown_unit_code_in_figures_is_refused(db, loader_user, broken_copy):
    path = broken_copy / "figures.yaml"
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    content["figures"][0]["org_unit"] = "KHONG-CO"
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    before = _history_rows()
    with pytest.raises(DatasetError, match="không có đơn vị mã “KHONG-CO”"):
        load_dataset(broken_copy, user=loader_user)
    assert _history_rows() == before


def test_illustrative_progress_is_flagged_and_deterministic(dataset):
    from theodoi.dataset.demo import load_demo

    updates = TaskUpdate.objects.all()
    assert updates.exists() and not updates.filter(is_illustrative=False).exists()
    assert all("[Dữ liệu minh họa]" in u.results for u in updates)
    snapshot = sorted(
        updates.values_list("task__code", "period__code", "reported_state", "completion_date")
    )
    load_demo(DATA_DIR)
    assert (
        sorted(
            TaskUpdate.objects.values_list(
                "task__code", "period__code", "reported_state", "completion_date"
            )
        )
        == snapshot
    )
