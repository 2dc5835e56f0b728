"""The fields (lĩnh vực) a report on digital transformation, science, technology and
innovation is written by, one part each — the order offices write them in."""

from __future__ import annotations

from enum import StrEnum


class Field(StrEnum):
    INSTITUTIONS = "institutions"
    INFRASTRUCTURE = "infrastructure"
    GOVERNMENT = "government"
    DATA = "data"
    WORKFORCE = "workforce"
    ECONOMY = "economy"
    SOCIETY = "society"
    SECURITY = "security"
    SCIENCE = "science"
    INNOVATION = "innovation"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    Field.INSTITUTIONS: "Thể chế, lãnh đạo, chỉ đạo, tuyên truyền",
    Field.INFRASTRUCTURE: "Hạ tầng số",
    Field.GOVERNMENT: "Chính quyền số",
    Field.DATA: "Dữ liệu số",
    Field.WORKFORCE: "Nhân lực số",
    Field.ECONOMY: "Kinh tế số",
    Field.SOCIETY: "Xã hội số",
    Field.SECURITY: "An toàn, an ninh mạng",
    Field.SCIENCE: "Khoa học, công nghệ",
    Field.INNOVATION: "Đổi mới sáng tạo",
}
