"""Org units the caller may read."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from theodoi.api.common import ERRORS, Pagination, caller, visible_unit
from theodoi.domain.text import matches
from theodoi.orgs.models import OrgUnit, OrgUnitKind
from theodoi.orgs.selectors import units_visible_to

router = Router(tags=["Đơn vị"])


class UnitOut(Schema):
    code: str = Field(description="Mã đơn vị.")
    name: str = Field(description="Tên đơn vị.")
    kind: OrgUnitKind = Field(description="Loại đơn vị.")
    kind_label: str = Field(description="Tên loại đơn vị.")
    parent: str | None = Field(description="Mã đơn vị cấp trên.")
    depth: int = Field(description="Cấp trong cây đơn vị (0 là gốc).")
    aliases: list[str] = Field(description="Tên gọi khác.")
    valid_from: dt.date | None = Field(description="Hiệu lực từ ngày.")
    valid_to: dt.date | None = Field(description="Hiệu lực đến ngày (đơn vị đã sáp nhập, đổi tên).")

    @staticmethod
    def resolve_kind_label(unit: OrgUnit) -> str:
        return unit.get_kind_display()

    @staticmethod
    def resolve_parent(unit: OrgUnit) -> str | None:
        return unit.parent.code if unit.parent else None


class UnitDetailOut(UnitOut):
    children: list[str] = Field(description="Mã các đơn vị trực thuộc.")

    @staticmethod
    def resolve_children(unit: OrgUnit) -> list[str]:
        return [child.code for child in unit.children.order_by("path")]


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="Danh sách đơn vị")
@paginate(Pagination)
def unit_list(request: HttpRequest, q: str = "", kind: OrgUnitKind | None = None):
    """Các đơn vị người gọi được xem, theo thứ tự cây. `q` tìm theo mã, tên, tên gọi khác,
    gõ có hay không có dấu đều được."""
    units = units_visible_to(user=caller(request)).select_related("parent").order_by("path")
    if kind:
        units = units.filter(kind=kind)
    if q.strip():
        return [u for u in units if matches(q, u.search_key)]
    return units


@router.get("/units/{code}", response={200: UnitDetailOut, **ERRORS}, summary="Một đơn vị")
def unit_detail(request: HttpRequest, code: str):
    """Một đơn vị trong phạm vi người gọi được xem (ngoài phạm vi: 404)."""
    return visible_unit(request, code)
