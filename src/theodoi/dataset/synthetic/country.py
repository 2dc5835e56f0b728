"""The country the synthetic dataset fills: the 34 provinces and cities since 1 July 2025 with
their numbers of commune-level units, the scales, and the commune layout of a scale."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, models

from theodoi.domain.periods import Period as DomainPeriod
from theodoi.domain.periods import quarter
from theodoi.domain.text import fold
from theodoi.orgs.models import OrgUnit, OrgUnitKind

log = logging.getLogger(__name__)


SYN_PREFIX = "SYN-"


GENERATION_KEY = "syn:generation"


REASON = "Sinh dữ liệu tổng hợp"


MARK = "[Dữ liệu tổng hợp]"


TEMPLATE_PLAN = "96/KH-UBND"


TEMPLATE_INDICATORS = "PL2."  # Appendix 2: the 34 indicators followed per five-year stage


UPSTREAM_RESOLUTION = "57-NQ/TW"


COUNTRY = "VN"


SYMBOL_BASE = 10000  # commune plan numbers 10001…: no real commune numbers its plans so high


@dataclass(frozen=True)
class ProvinceSpec:
    """A province or centrally-run city since 1 July 2025 and its number of commune-level
    units (xã, phường, đặc khu)."""

    name: str
    communes: int

    @property
    def short_name(self) -> str:
        for prefix in ("Thành phố ", "Tỉnh "):
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name

    @property
    def code(self) -> str:
        return SYN_PREFIX + fold(self.short_name).upper().replace(" ", "-")

    @property
    def ward_share(self) -> float:
        """The share of phường among its synthetic communes: higher in the cities."""
        return 0.45 if self.name.startswith("Thành phố") else 0.15


# The 34 provinces and cities after the 2025 reorganisation, north to south, with their numbers
# of commune-level units as published with the reform (2,621 xã, 687 phường, 13 đặc khu). Only
# the total, 3,321, is relied on; the split just sizes the synthetic tree plausibly.
PROVINCES: tuple[ProvinceSpec, ...] = (
    ProvinceSpec("Thành phố Hà Nội", 126),
    ProvinceSpec("Tỉnh Cao Bằng", 56),
    ProvinceSpec("Tỉnh Tuyên Quang", 124),
    ProvinceSpec("Tỉnh Điện Biên", 45),
    ProvinceSpec("Tỉnh Lai Châu", 38),
    ProvinceSpec("Tỉnh Sơn La", 75),
    ProvinceSpec("Tỉnh Lào Cai", 99),
    ProvinceSpec("Tỉnh Thái Nguyên", 92),
    ProvinceSpec("Tỉnh Lạng Sơn", 65),
    ProvinceSpec("Tỉnh Quảng Ninh", 54),
    ProvinceSpec("Tỉnh Bắc Ninh", 99),
    ProvinceSpec("Tỉnh Phú Thọ", 148),
    ProvinceSpec("Thành phố Hải Phòng", 114),
    ProvinceSpec("Tỉnh Hưng Yên", 104),
    ProvinceSpec("Tỉnh Ninh Bình", 129),
    ProvinceSpec("Tỉnh Thanh Hóa", 166),
    ProvinceSpec("Tỉnh Nghệ An", 130),
    ProvinceSpec("Tỉnh Hà Tĩnh", 69),
    ProvinceSpec("Tỉnh Quảng Trị", 78),
    ProvinceSpec("Thành phố Huế", 40),
    ProvinceSpec("Thành phố Đà Nẵng", 94),
    ProvinceSpec("Tỉnh Quảng Ngãi", 96),
    ProvinceSpec("Tỉnh Gia Lai", 135),
    ProvinceSpec("Tỉnh Khánh Hòa", 65),
    ProvinceSpec("Tỉnh Đắk Lắk", 102),
    ProvinceSpec("Tỉnh Lâm Đồng", 124),
    ProvinceSpec("Tỉnh Đồng Nai", 95),
    ProvinceSpec("Thành phố Hồ Chí Minh", 168),
    ProvinceSpec("Tỉnh Tây Ninh", 96),
    ProvinceSpec("Tỉnh Đồng Tháp", 102),
    ProvinceSpec("Tỉnh Vĩnh Long", 124),
    ProvinceSpec("Tỉnh An Giang", 102),
    ProvinceSpec("Thành phố Cần Thơ", 103),
    ProvinceSpec("Tỉnh Cà Mau", 64),
)


@dataclass(frozen=True)
class Scale:
    """Which provinces to fill, and how many commune-level units each gets at most."""

    provinces: tuple[str, ...]
    communes_per_province: int | None = None  # None: the province's real number


SCALES: dict[str, Scale] = {
    "national": Scale(tuple(p.name for p in PROVINCES)),
    "province": Scale(("Thành phố Hải Phòng",)),
    "small": Scale(("Thành phố Hà Nội", "Thành phố Hải Phòng"), 5),
}


# Eight quarters: from the quarter of Resolution 57 (22/12/2024) to the last one completed.
QUARTERS: tuple[DomainPeriod, ...] = tuple(
    quarter(2024 + (3 + i) // 4, (3 + i) % 4 + 1) for i in range(8)
)


PLAN_DATES = (dt.date(2024, 12, 23), dt.date(2024, 12, 31))


# Tasks whose deadline the template plan does not state get one of these in each commune.
DEADLINE_MONTHS = [(2025 + (2 + m) // 12, (2 + m) % 12 + 1) for m in range(28)]  # 3/2025–6/2027


# The twenty figures each commune reports every quarter.
ADMINISTRATIVE_CODES = (
    "procedures.total",
    "procedures.full_online",
    "procedures.partial_online",
    "procedures.direct",
    "dossiers.received",
    "dossiers.online",
    "dossiers.direct",
    "dossiers.resolved",
    "dossiers.resolved_on_time",
    "dossiers.withdrawn",
    "dossiers.in_progress",
    "dossiers.overdue",
)


ELEMENT_CODES = (
    *ADMINISTRATIVE_CODES,
    "vneid.level2.base",
    "vneid.level2.collected",
    "vneid.level2.activated",
    "certificates.new.individuals",
    "certificates.new.orgs",
    "tasks.assigned",
    "tasks.completed",
    "tasks.completed_on_time",
)


# Indicators of the template whose actual value the synthetic figures give, as a ratio.
RATIO_INDICATORS = {
    "PL2.26": ("dossiers.online", "dossiers.received"),
    "PL2.32": ("vneid.level2.activated", "vneid.level2.base"),
}


START_WEIGHTS = (30, 25, 17, 10, 7, 5, 4, 2)  # the quarter a one-off task is taken up in


DIFFICULTIES = (
    "Thiếu cán bộ chuyên trách về chuyển đổi số.",
    "Kinh phí thực hiện chưa được bố trí đủ.",
    "Hạ tầng mạng tại một số thôn còn hạn chế.",
    "Người dân, nhất là người cao tuổi, còn ngại sử dụng dịch vụ số.",
)


PROPOSAL = "Đề nghị cấp trên hỗ trợ kinh phí và tổ chức tập huấn cho cán bộ."


VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class GenerationError(ValueError):
    """The synthetic data cannot be generated (or removed); the message is Vietnamese."""


@dataclass
class GenerationResult:
    scale: str
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    timings: list[tuple[str, float]] = field(default_factory=list)
    removed: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    checksum: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "scale": self.scale,
            "seed": self.seed,
            "database": connection.vendor,
            "counts": self.counts,
            "removed": self.removed,
            "timings": {step: round(seconds, 2) for step, seconds in self.timings},
            "elapsed_seconds": round(self.elapsed, 2),
            "checksum": self.checksum,
        }


@dataclass(frozen=True)
class CommuneSpec:
    code: str
    name: str
    province: ProvinceSpec
    number: int  # plan number, unique over the country


def province_units() -> dict[str, OrgUnit]:
    """Provinces already under the country unit, by folded name."""
    return {
        fold(u.name): u
        for u in OrgUnit.objects.filter(parent__code=COUNTRY, kind=OrgUnitKind.PROVINCE)
    }


def _real_communes(province: OrgUnit | None) -> int:
    """Commune-level units of a province that are not synthetic and still in force."""
    if province is None:
        return 0
    return (
        OrgUnit.objects.filter(
            parent=province, kind__in=[OrgUnitKind.COMMUNE, OrgUnitKind.SPECIAL_ZONE]
        )
        .filter(valid_to__isnull=True)
        .exclude(code__startswith=SYN_PREFIX)
        .count()
    )


def commune_layout(scale: str) -> list[CommuneSpec]:
    """The synthetic communes of ``scale``. The national list is laid out first so that a
    commune has the same code, name and plan number at every scale; a smaller scale takes the
    first communes of its provinces."""
    wanted = SCALES[scale]
    existing = province_units()
    layout: list[CommuneSpec] = []
    number = SYMBOL_BASE
    for spec in PROVINCES:
        real = _real_communes(existing.get(fold(spec.name)))
        limit = spec.communes
        if spec.name in wanted.provinces and wanted.communes_per_province is not None:
            limit = min(limit, wanted.communes_per_province)
        wards = villages = 0
        for index in range(1, spec.communes - real + 1):
            number += 1
            # Phường and xã interleave, at the province's share of phường.
            is_ward = int(index * spec.ward_share) != int((index - 1) * spec.ward_share)
            if is_ward:
                wards += 1
                name = f"Phường Số {wards} ({spec.name})"
            else:
                villages += 1
                name = f"Xã Số {villages} ({spec.name})"
            if spec.name in wanted.provinces and index <= limit - real:
                layout.append(CommuneSpec(f"{spec.code}-{index:03d}", name, spec, number))
    return layout


def synthetic_units() -> models.QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(code__startswith=SYN_PREFIX)
