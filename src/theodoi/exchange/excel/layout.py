"""The three kinds of workbook, their sheets and columns, and the instructions sheet.

The same layout is written by templates and exports and read back by the import, so an
exported plan can be edited in a spreadsheet and imported again. Columns are found by their
header text (with or without diacritics, in any order); columns marked read-only are written
for the reader's convenience and ignored on import.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from theodoi.domain.text import fold


class Kind(StrEnum):
    PLAN = "plan"
    PROGRESS = "progress"
    VALUES = "values"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    Kind.PLAN: "kế hoạch (nhiệm vụ, chỉ tiêu, mục tiêu)",
    Kind.PROGRESS: "tiến độ thực hiện nhiệm vụ",
    Kind.VALUES: "số liệu",
}


class CellType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int = 18
    type: CellType = CellType.TEXT
    required: bool = False
    read_only: bool = False
    wrap: bool = False
    note: str = ""

    @property
    def match_key(self) -> str:
        return header_key(self.header)


def header_key(text: str) -> str:
    """What a header is recognised by: its words before any "(…)", folded."""
    return fold(str(text).split("(")[0])


@dataclass(frozen=True)
class SheetLayout:
    name: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def letter(self, key: str) -> str:
        from openpyxl.utils import get_column_letter

        return get_column_letter(self.columns.index(self.column(key)) + 1)


INSTRUCTIONS = "Hướng dẫn"
LISTS = "Danh mục"
META = "_theodoi"  # hidden: what kind of workbook this is, for which plan, unit and period
FORMAT_VERSION = 1

PLAN = SheetLayout(
    "Kế hoạch",
    (
        Column("symbol", "Số, ký hiệu", 16, required=True, note="Ví dụ 96/KH-UBND."),
        Column(
            "issued_on",
            "Ngày ban hành",
            14,
            CellType.DATE,
            note="dd/mm/yyyy; chỉ dùng khi tạo kế hoạch mới.",
        ),
        Column("title", "Tên kế hoạch", 80, required=True, wrap=True),
        Column("owner_unit", "Đơn vị ban hành", 32, required=True, note="Tên hoặc mã đơn vị."),
    ),
)
GROUPS = SheetLayout(
    "Nhóm",
    (
        Column("code", "Mã nhóm", 10, required=True),
        Column("title", "Tên nhóm", 100, required=True, wrap=True),
    ),
)
TASKS = SheetLayout(
    "Nhiệm vụ",
    (
        Column("code", "Mã nhiệm vụ", 10, required=True, note="Mã như kế hoạch ghi, ví dụ 2.8."),
        Column("group", "Nhóm", 8, note="Mã nhóm ở trang “Nhóm”."),
        Column("title", "Nội dung nhiệm vụ", 70, required=True, wrap=True),
        Column("lead_unit", "Cơ quan chủ trì", 30, note="Một đơn vị, chọn trong danh sách."),
        Column(
            "lead_text",
            "Chủ trì khác (ghi như kế hoạch)",
            24,
            wrap=True,
            note="Cơ quan chủ trì không phải đơn vị trong hệ thống, ghi nguyên văn.",
        ),
        Column(
            "coordinating_units",
            "Cơ quan phối hợp",
            30,
            wrap=True,
            note="Các đơn vị trong hệ thống, cách nhau bằng dấu chấm phẩy (;).",
        ),
        Column(
            "coordinating_text",
            "Phối hợp khác (ghi như kế hoạch)",
            30,
            wrap=True,
            note="Cơ quan phối hợp không phải đơn vị trong hệ thống, ghi nguyên văn.",
        ),
        Column(
            "deadline",
            "Thời hạn",
            18,
            note="Tháng 12/2025, Quý II/2026, Năm 2026, 31/12/2025, Hằng năm, Thường xuyên; "
            "để trống nếu theo văn bản nguồn.",
        ),
        Column("output", "Sản phẩm đầu ra", 20, wrap=True),
    ),
)
INDICATORS = SheetLayout(
    "Chỉ tiêu",
    (
        Column("code", "Mã chỉ tiêu", 12, required=True),
        Column("group", "Nhóm", 8, note="Mã nhóm ở trang “Nhóm”."),
        Column("name", "Tên chỉ tiêu", 70, required=True, wrap=True),
        Column("unit", "Đơn vị tính", 12, note="%, người, hồ sơ, điểm …; để trống là %."),
        Column("direction", "Chiều tốt", 20, note="Càng cao càng tốt / Càng thấp càng tốt."),
        Column("lead_unit", "Cơ quan chủ trì", 30, note="Một đơn vị, chọn trong danh sách."),
        Column("lead_text", "Chủ trì khác (ghi như kế hoạch)", 24, wrap=True),
        Column("output", "Sản phẩm đầu ra", 20, wrap=True),
    ),
)
TARGETS = SheetLayout(
    "Mục tiêu",
    (
        Column("indicator", "Mã chỉ tiêu", 12, required=True),
        Column("year", "Mốc năm", 10, CellType.NUMBER, required=True, note="Ví dụ 2030."),
        Column(
            "target",
            "Mục tiêu",
            16,
            required=True,
            note="Như kế hoạch ghi: ≥ 80%, 95%, 45–50%, phấn đấu ít nhất 3%.",
        ),
        Column("name", "Tên chỉ tiêu (chỉ để đọc)", 70, read_only=True, wrap=True),
    ),
)
PROGRESS = SheetLayout(
    "Tiến độ",
    (
        Column("plan", "Kế hoạch", 14, required=True, note="Số, ký hiệu kế hoạch."),
        Column("code", "Mã nhiệm vụ", 10, required=True),
        Column("title", "Nội dung nhiệm vụ (chỉ để đọc)", 50, read_only=True, wrap=True),
        Column("deadline", "Thời hạn (chỉ để đọc)", 16, read_only=True),
        Column("unit", "Đơn vị báo cáo (chỉ để đọc)", 22, read_only=True),
        Column("state", "Trạng thái báo cáo (chỉ để đọc)", 18, read_only=True),
        Column(
            "reported_state",
            "Tình hình thực hiện",
            18,
            note="Chưa triển khai / Đang thực hiện / Đã hoàn thành; để trống nếu chưa báo cáo.",
        ),
        Column(
            "progress_percent",
            "Tiến độ (%)",
            10,
            CellType.NUMBER,
            note="Số nguyên từ 0 đến 100, ví dụ 50 (không ghi 50%).",
        ),
        Column(
            "completion_date",
            "Ngày hoàn thành",
            14,
            CellType.DATE,
            note="dd/mm/yyyy; chỉ khi đã hoàn thành.",
        ),
        Column("results", "Kết quả thực hiện", 40, wrap=True),
        Column("difficulties", "Tồn tại, hạn chế, khó khăn", 30, wrap=True),
        Column("causes", "Nguyên nhân", 30, wrap=True),
        Column("proposals", "Kiến nghị, đề xuất", 30, wrap=True),
        Column("next_steps", "Nhiệm vụ kỳ tới", 30, wrap=True),
    ),
)
VALUES = SheetLayout(
    "Số liệu",
    (
        Column("unit", "Đơn vị (mã hoặc tên)", 22, required=True, note="Đơn vị có số liệu."),
        Column("element", "Số liệu (mã hoặc tên)", 30, required=True),
        Column("period", "Kỳ", 12, required=True, note="2026-Q1, 2026-03, 2026-H1, 2026 …"),
        Column(
            "value",
            "Giá trị",
            14,
            CellType.NUMBER,
            note="Số; gõ kiểu Việt Nam (1.495 hoặc 98,39) nếu ô là chữ; để trống nếu chưa có.",
        ),
        Column("comment", "Ghi chú", 30, wrap=True),
        Column(
            "breakdown",
            "Phân tổ",
            14,
            note="Để trống (tổng). Số liệu phân tổ chỉ xuất ra để xem.",
        ),
        Column("element_name", "Tên số liệu (chỉ để đọc)", 50, read_only=True, wrap=True),
        Column("element_unit", "Đơn vị tính (chỉ để đọc)", 12, read_only=True),
        Column("source", "Nguồn (chỉ để đọc)", 30, read_only=True, wrap=True),
    ),
)

SHEETS: dict[Kind, tuple[SheetLayout, ...]] = {
    Kind.PLAN: (PLAN, GROUPS, TASKS, INDICATORS, TARGETS),
    Kind.PROGRESS: (PROGRESS,),
    Kind.VALUES: (VALUES,),
}

REPORTED_STATE_LABELS = {
    "not_started": "Chưa triển khai",
    "in_progress": "Đang thực hiện",
    "completed": "Đã hoàn thành",
}
DIRECTION_LABELS = {"higher": "Càng cao càng tốt", "lower": "Càng thấp càng tốt"}


def kind_from_sheets(names: list[str]) -> Kind | None:
    """The kind of a workbook without its metadata sheet, from its sheet names."""
    folded = {fold(n) for n in names}
    if fold(PROGRESS.name) in folded:
        return Kind.PROGRESS
    if fold(VALUES.name) in folded:
        return Kind.VALUES
    if {fold(s.name) for s in SHEETS[Kind.PLAN]} & folded:
        return Kind.PLAN
    return None


def instructions(kind: Kind, *, context: list[str]) -> list[str]:
    """The lines of the “Hướng dẫn” sheet, in Vietnamese."""
    sheets = SHEETS[kind]
    lines = [
        f"TỆP NHẬP {kind.label.upper()} — PHẦN MỀM THEO DÕI THỰC HIỆN NGHỊ QUYẾT 57-NQ/TW",
        "",
        *context,
        "",
        "CÁCH LÀM",
        "1. Điền hoặc sửa các ô ở "
        + ", ".join(f"trang “{s.name}”" for s in sheets)
        + ". Giữ nguyên dòng tiêu đề (dòng 1); có thể đổi thứ tự cột.",
        "2. Các cột có ghi “(chỉ để đọc)” chỉ để tiện theo dõi: sửa ở đó không có tác dụng.",
        "3. Mỗi dòng được nhận ra bằng mã của nó: nhập lại cùng một tệp không tạo bản ghi mới, "
        "dòng nào không đổi thì không bị ghi lại. Xóa một dòng khỏi tệp không xóa dữ liệu "
        "trong hệ thống.",
        "4. Trên giao diện web: vào mục “Nhập Excel”, tải tệp lên, xem trước những gì sẽ được "
        "tạo mới, thay đổi (giá trị cũ → mới) rồi bấm “Nhập”. Hoặc bằng lệnh, nhập thử trước:",
        "     theodoi import TÊN_TỆP.xlsx --dry-run --as TÊN_ĐĂNG_NHẬP",
        "   rồi nhập thật:",
        "     theodoi import TÊN_TỆP.xlsx --as TÊN_ĐĂNG_NHẬP",
        "5. Nếu có ô sai, không có gì được ghi: phần mềm liệt kê mọi ô sai với trang, dòng, cột, "
        "giá trị và lý do. Sửa hết rồi nhập lại.",
        "6. Tên đơn vị, tên số liệu không khớp đúng (kể cả khi gõ không dấu) nhưng gần giống "
        "một tên trong hệ thống được báo “gợi ý: … (điểm …)” và vẫn tính là lỗi. Sửa ô theo "
        "gợi ý, hoặc nhập lại với --accept-suggestions để dùng các gợi ý đã xem.",
        "",
        "CÁCH GHI",
        "• Ngày: dd/mm/yyyy, ví dụ 31/03/2026.",
        "• Số: ô số của Excel, hoặc chữ theo kiểu Việt Nam: 1.495 (một nghìn bốn trăm chín "
        "mươi lăm), 98,39.",
        "• Danh sách đơn vị, kỳ báo cáo, tình hình thực hiện, số liệu: xem trang “Danh mục”; "
        "các ô có danh sách thả xuống.",
        "",
        "CÁC CỘT",
    ]
    for sheet in sheets:
        lines.append(f"Trang “{sheet.name}”:")
        for column in sheet.columns:
            flags = []
            if column.required:
                flags.append("bắt buộc")
            flag = f" ({', '.join(flags)})" if flags else ""
            note = f": {column.note}" if column.note else ""
            lines.append(f"  • {column.header}{flag}{note}")
    return lines
