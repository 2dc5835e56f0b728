"""The outline editor: a coordinator copies the default outline to the unit and edits it on
the page — every change checked before it is saved, kept in the history with its reason, and
used by the next report; others read it or are refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.test_views import login
from theodoi.domain.periods import parse_period
from theodoi.orgs.models import OrgUnit
from theodoi.plans.selectors import plans_for_unit
from theodoi.reports.models import OutlineBlock, ReportOutline
from theodoi.reports.services import report_build

pytestmark = pytest.mark.django_db
DEFAULT = "bao-cao-dinh-ky-nq57"


@pytest.fixture
def copied(dataset):
    coordinator = login("vhxh.tonghop")
    default = ReportOutline.objects.get(org_unit=None, code=DEFAULT)
    response = coordinator.post(
        reverse("web:outline_copy", args=[default.pk]), {"don-vi": "CATHAI"}, follow=True
    )
    assert "Đã sao chép" in response.content.decode()
    own = ReportOutline.objects.get(org_unit__code="CATHAI", code=DEFAULT)
    assert own.sections.count() == default.sections.count()
    assert OutlineBlock.objects.filter(section__outline=own).count() == (
        OutlineBlock.objects.filter(section__outline=default).count()
    )
    return coordinator, own


def _report(**kwargs):
    unit = OrgUnit.objects.get(code="CATHAI")
    return report_build(
        unit=unit,
        period=parse_period("2026-Q1"),
        plans=plans_for_unit(unit=unit, user=None),
        user=None,
        **kwargs,
    )


def _figures_block(outline):
    return OutlineBlock.objects.filter(section__outline=outline, kind="figures").first()


def test_a_bad_pattern_is_refused_naming_the_element_and_nothing_changes(copied):
    coordinator, own = copied
    block = _figures_block(own)
    before = dict(block.config)
    response = coordinator.post(
        reverse("web:outline_edit", args=[own.pk]),
        {
            "action": "block-save",
            "block": block.pk,
            "heading": block.heading,
            "sentences": 'Số hồ sơ: {{ so("ho_so.khong_co") }} hồ sơ.',
        },
        follow=True,
    )
    assert "ho_so.khong_co" in response.content.decode()
    block.refresh_from_db()
    assert block.config == before


def test_an_edited_sentence_and_heading_reach_the_next_report_with_history(copied):
    coordinator, own = copied
    block = _figures_block(own)
    section = block.section
    url = reverse("web:outline_edit", args=[own.pk])
    coordinator.post(
        url,
        {
            "action": "block-save",
            "block": block.pk,
            "heading": "2. Hạ tầng số của đặc khu",
            "sentences": 'Hồ sơ tiếp nhận trực tuyến: {{ so("dossiers.online") }} hồ sơ.',
            "ly-do": "Rút gọn theo yêu cầu lãnh đạo",
        },
    )
    coordinator.post(
        url,
        {"action": "section-save", "section": section.pk, "heading": "II. KẾT QUẢ ĐẠT ĐƯỢC"},
    )
    snapshot = _report()
    assert "II. KẾT QUẢ ĐẠT ĐƯỢC" in [s["title"] for s in snapshot["sections"]]
    paragraphs = [p for s in snapshot["sections"] for b in s["blocks"] for p in b["paragraphs"]]
    assert [p for p in paragraphs if p.startswith("Hồ sơ tiếp nhận trực tuyến: ")]
    page = coordinator.get(url).content.decode()
    assert "Rút gọn theo yêu cầu lãnh đạo" in page and "vhxh.tonghop" in page
    # the default is untouched
    default = ReportOutline.objects.get(org_unit=None, code=DEFAULT)
    assert "II. KẾT QUẢ ĐẠT ĐƯỢC" not in [s.heading for s in default.sections.all()]


def test_sections_and_blocks_are_added_moved_and_removed(copied):
    coordinator, own = copied
    url = reverse("web:outline_edit", args=[own.pk])
    headings = lambda: [s.heading for s in own.sections.order_by("position")]  # noqa: E731
    first, second = headings()[:2]
    section = own.sections.get(heading=first)
    coordinator.post(url, {"action": "section-down", "section": section.pk})
    assert headings()[:2] == [second, first]
    coordinator.post(url, {"action": "section-add", "heading": "VI. PHỤ LỤC KÈM THEO"})
    assert headings()[-1] == "VI. PHỤ LỤC KÈM THEO"
    added = own.sections.get(heading="VI. PHỤ LỤC KÈM THEO")
    coordinator.post(
        url,
        {
            "action": "block-add",
            "section": added.pk,
            "kind": "text",
            "sentences": "Đoạn một.\n\nĐoạn hai.",
        },
    )
    block = added.blocks.get()
    assert block.config == {"paragraphs": ["Đoạn một.", "Đoạn hai."]}
    coordinator.post(
        url,
        {
            "action": "block-add",
            "section": added.pk,
            "kind": "narrative",
            "settings": "field: vu_tru",
        },
    )
    assert added.blocks.count() == 1  # the unknown field was refused
    coordinator.post(url, {"action": "block-delete", "block": block.pk, "ly-do": "Không cần"})
    assert added.blocks.count() == 0
    coordinator.post(url, {"action": "section-delete", "section": added.pk})
    assert "VI. PHỤ LỤC KÈM THEO" not in headings()
    page = coordinator.get(url).content.decode()
    assert "xóa khối đoạn văn soạn sẵn" in page and "Không cần" in page


@pytest.mark.parametrize(
    "settings, words",
    [
        ("a: &x [1, 2]\nb: *x", "tham chiếu"),
        ("- chỉ là danh sách", "khóa: giá trị"),
        ("field: [", "không đọc được (dòng"),
    ],
)
def test_settings_that_are_not_plain_key_values_are_refused(copied, settings, words):
    coordinator, own = copied
    block = OutlineBlock.objects.filter(section__outline=own, kind="narrative").first()
    before = dict(block.config)
    response = coordinator.post(
        reverse("web:outline_edit", args=[own.pk]),
        {"action": "block-save", "block": block.pk, "heading": "", "settings": settings},
        follow=True,
    )
    assert words in response.content.decode()
    block.refresh_from_db()
    assert block.config == before


def test_who_may_read_and_who_may_edit(copied):
    _, own = copied
    default = ReportOutline.objects.get(org_unit=None, code=DEFAULT)
    coordinator = login("vhxh.tonghop")
    assert (
        coordinator.post(
            reverse("web:outline_edit", args=[default.pk]),
            {"action": "section-add", "heading": "X"},
        ).status_code
        == 403
    )
    leader = login("lanhdao")
    assert leader.get(reverse("web:outline_edit", args=[own.pk])).status_code == 200
    assert "Lưu khối" not in leader.get(reverse("web:outline_edit", args=[own.pk])).content.decode()
    assert (
        leader.post(
            reverse("web:outline_edit", args=[own.pk]), {"action": "section-add", "heading": "X"}
        ).status_code
        == 403
    )
    assert leader.post(reverse("web:outline_copy", args=[default.pk])).status_code == 403
    for username in ("vhxh.baocao", "kiemtra"):
        assert login(username).get(reverse("web:outlines")).status_code == 403
    assert not own.sections.filter(heading="X").exists()
