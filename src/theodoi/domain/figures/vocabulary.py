"""The words figures are recognised by: the catalogue of elements, the phrases of each
family (F_), unit (U_) and qualifier (Q_), the columns of flattened tables, and small helpers
the prose and table readers share. All phrases match OCR-tolerant keys."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from theodoi.domain.extraction import ExtractedFigure
from theodoi.domain.reading import any_of

# ---------------------------------------------------------------------------- the catalogue
CATALOGUE: dict[str, str] = {
    "procedures.total": "thủ tục",
    "procedures.full_online": "thủ tục",
    "procedures.partial_online": "thủ tục",
    "procedures.direct": "thủ tục",
    "executed.full_online": "thủ tục",
    "executed.partial_online": "thủ tục",
    "executed.direct": "thủ tục",
    "executed.full_online_rate": "%",
    "executed.partial_online_rate": "%",
    "executed.direct_rate": "%",
    "dossiers.received": "hồ sơ",
    "dossiers.online": "hồ sơ",
    "dossiers.direct": "hồ sơ",
    "dossiers.resolved": "hồ sơ",
    "dossiers.resolved_on_time": "hồ sơ",
    "dossiers.withdrawn": "hồ sơ",
    "dossiers.in_progress": "hồ sơ",
    "dossiers.overdue": "hồ sơ",
    "dossiers.online_rate": "%",
    "vneid.level2.collected": "hồ sơ",
    "vneid.level2.activated": "tài khoản",
    "vneid.level2.base": "người",
    "vneid.orgs.registered": "tổ chức",
    "vneid.orgs.total": "tổ chức",
    "vneid.orgs.registered_rate": "%",
    "vneid.residents_rate": "%",
    "certificates.changed.individuals": "chứng thư",
    "certificates.changed.orgs": "chứng thư",
    "certificates.new.individuals": "chứng thư",
    "certificates.new.orgs": "chứng thư",
    "certificates.revoked.individuals": "chứng thư",
    "certificates.revoked.orgs": "chứng thư",
    "digital_certificates.in_use": "chứng thư",
    "tasks.assigned": "nhiệm vụ",
    "tasks.completed": "nhiệm vụ",
    "tasks.completed_on_time": "nhiệm vụ",
    "tasks.late": "nhiệm vụ",
    "tasks.in_progress": "nhiệm vụ",
    "tasks.overdue": "nhiệm vụ",
    "tasks.not_started": "nhiệm vụ",
    "tasks.completed_rate": "%",
    "tasks.in_progress_rate": "%",
    "indicators.assigned": "chỉ tiêu",
    "indicators.completed": "chỉ tiêu",
    "community_tech_team.members": "người",
    "community_tech_team.count": "tổ",
    "community_tech_team.members_trained": "người",
    "training.officials": "người",
    "budget.proposed_million_vnd": "triệu đồng",
    "budget.allocated_vnd": "đồng",
    "service_index.transparency": "điểm",
    "service_index.progress": "điểm",
    "service_index.online_service": "điểm",
    "service_index.online_payment": "điểm",
    "service_index.satisfaction": "điểm",
    "service_index.digitization": "điểm",
    "admin_reform.rank": "hạng",
}


# Figures that count what exists at a moment (procedures in force, teams, certificates in
# use), not what happened during a period: the report's period does not apply to them unless
# their own sentence gives one.
STOCKS = (
    "procedures.",
    "community_tech_team.count",
    "community_tech_team.members",
    "digital_certificates.",
    "vneid.orgs.",
    "vneid.level2.base",
)


# How the scopes the reader gives are named to a person.
SCOPE_LABELS = {
    "city": "Hệ thống giải quyết TTHC của tỉnh, thành phố",
    "ministries": "Hệ thống của các Bộ, ngành",
    "agencies": "Cơ quan, đơn vị",
    "enterprises_cooperatives": "Doanh nghiệp, hợp tác xã",
}


# ---------------------------------------------------------------------------- words
def P(*phrases: str) -> re.Pattern[str]:
    """Phrases over keys; a phrase of several words tolerates lost final consonants
    ("thue hien" for "thực hiện"), a single word does not (too many short words share it)."""
    multi = [p for p in phrases if len(p.split()) > 1]
    single = [p for p in phrases if len(p.split()) <= 1]
    parts = []
    if multi:
        parts.append(any_of(*multi, loose=True).pattern)
    if single:
        parts.append(any_of(*single).pattern)
    return re.compile("|".join(f"(?:{p})" for p in parts))


U_DOSSIER = P("hồ sơ", "bộ hồ sơ", "hồ sơ TTHC")
U_PROCEDURE = P("thủ tục", "TTHC", "dịch vụ công", "DVC")
U_TASK = P("nhiệm vụ")
U_INDICATOR = P("chỉ tiêu")
U_INDIVIDUAL = P("cá nhân")
U_ORG = any_of("tổ chức", "cơ quan", "đơn vị", loose=True)
U_MEMBER = P("thành viên")
U_TEAM = P("tổ", "tổ công nghệ số", "tổ CNSCĐ")
U_POINTS = P("điểm")
U_ACCOUNT = P("tài khoản")
U_PERSON = P("cán bộ", "công chức", "lượt", "học viên", "người", "đại biểu", "viên chức")

F_DOSSIER = P("hồ sơ")
F_PROCEDURE = P("thủ tục hành chính", "TTHC", "thủ tục")
F_EXECUTED = P(
    "đã thực hiện",
    "đã phát sinh",
    "phát sinh hồ sơ",
    "có phát sinh",
    "thực hiện theo hình thức",
    "tỷ lệ thực hiện",
)
F_CERT = P("chứng thư số", "chứng thư", "chữ ký số", "chứng thư chữ ký số")
F_VNEID = P("định danh", "VNeID", "định danh điện tử", "mức 2", "mức độ 2")
F_TASK = P("nhiệm vụ")
F_CTT = P(
    "tổ công nghệ số",
    "công nghệ số cộng đồng",
    "CNSCĐ",
    "tổ CNS",
    "thành viên của tổ",
    "thành viên tổ",
    "tổ CNSCP",
    "tổ CNSCD",
    "tổ CNSCB",
)
F_TRAINING = P("tập huấn", "bồi dưỡng", "đào tạo")
F_BUDGET = P("kinh phí", "ngân sách", "nguồn lực tài chính", "nguồn vốn")
F_INDEX = P("bộ chỉ số", "chỉ số", "766")
F_RANK = P("cải cách hành chính", "CCHC", "PAR INDEX", "chỉ số cải cách")

Q_RATE = P("tỷ lệ", "chiếm", "đạt tỷ lệ", "tỉ lệ", "đạt")
# Procedures and executed procedures by mode.
Q_FULL = P("toàn trình")
Q_PARTIAL = P("một phần")
Q_DIRECT = P("trực tiếp")
Q_TOTAL_PROC = P("thuộc thẩm quyền", "tổng số", "số lượng", "tổng")
# Dossiers.
Q_RECEIVED = P("tiếp nhận", "tổng số hồ sơ", "tổng hồ sơ", "nhận")
Q_ONLINE = P("trực tuyến", "qua mạng", "dịch vụ công trực tuyến")
Q_DIRECT_D = P("trực tiếp", "bưu chính", "qua bưu điện")
Q_RESOLVED = P("đã giải quyết", "giải quyết xong", "đã trả kết quả", "đã xử lý", "hoàn thành")
Q_ON_TIME = P("đúng hạn", "trước hạn", "trước và đúng hạn", "đúng và trước hạn")
Q_WITHDRAWN = P("rút", "từ chối", "trả lại", "không đủ điều kiện")
Q_IN_PROGRESS = P("đang giải quyết", "đang xử lý", "chưa đến hạn", "trong hạn", "trong thời hạn")
Q_OVERDUE = P("quá hạn", "trễ hạn", "chậm trả", "chậm so với")
# Certificates.
Q_CHANGED = P("thay đổi thông tin", "thay đổi", "điều chỉnh thông tin", "gia hạn")
Q_NEW = P("cấp mới", "cấp")
Q_REVOKED = P("thu hồi")
Q_IN_USE = P("đang sử dụng", "đang hoạt động", "còn hiệu lực")
# VNeID.
Q_COLLECTED = P("thu nhận", "tiếp nhận hồ sơ", "thu thập")
Q_ACTIVATED = P("kích hoạt", "đã kích hoạt")
Q_BASE = P("tổng số", "trên tổng số", "đủ điều kiện", "thuộc diện", "trong độ tuổi")
Q_REGISTERED = P("đăng ký", "cài đặt", "đã đăng ký")
Q_RESIDENTS = P("người dân", "công dân", "dân số")
# Tasks and indicators.
Q_ASSIGNED = P(
    "được giao", "giao", "tổng số", "tổng cộng", "gồm", "có tổng", "đề ra", "đặt ra", "theo dõi"
)
Q_COMPLETED = P("hoàn thành", "đã hoàn thành", "đã thực hiện xong", "đạt")
Q_LATE = P("quá hạn", "trễ hạn", "chậm", "không đúng hạn")
Q_ONGOING = P("đang thực hiện", "đang triển khai", "đang tiếp tục", "đang làm", "chưa đến hạn")
Q_NOT_STARTED = P("chưa triển khai", "chưa thực hiện", "chưa bắt đầu")
Q_NOT_DONE = P("chưa hoàn thành")
# Community technology teams, training.
Q_TRAINED = P("được tập huấn", "tập huấn", "được bồi dưỡng", "bồi dưỡng", "được tập")
# Budget.
Q_PROPOSED = P("đề xuất", "đề nghị", "dự kiến")
Q_ALLOCATED = P("bố trí", "cấp", "phân bổ", "giao", "được cấp", "đầu tư")
# Service index (Bộ chỉ số 766).
Q_TRANSPARENCY = P("công khai", "minh bạch")
Q_PROGRESS = P("tiến độ")
Q_ONLINE_SERVICE = P("dịch vụ công trực tuyến", "cung cấp dịch vụ trực tuyến")
Q_PAYMENT = P("thanh toán trực tuyến", "thanh toán")
Q_SATISFACTION = P("hài lòng")
Q_DIGITIZATION = P("số hóa")
Q_RANK = P("xếp hạng", "xếp thứ", "đứng thứ", "hạng")

# Words that make a number something else: document numbers, years, decree names.
# Headings of sections about what is still to do: their numbers are plans, not results.
_FUTURE = P(
    "phương hướng",
    "nhiệm vụ trọng tâm",
    "nhiệm vụ quý",
    "nhiệm vụ năm",
    "nhiệm vụ thời gian tới",
    "nhiệm vụ, giải pháp",
    "kế hoạch năm",
    "thời gian tới",
)
_TARGET = P("phấn đấu", "mục tiêu", "đạt trên", "đạt ít nhất", "tối thiểu")
# what a plan sets, not what was done: "Kế hoạch năm 2026 tiếp nhận 2.000 hồ sơ"
_PLANNED = P("phấn đấu", "kế hoạch năm", "chỉ tiêu kế hoạch", "phải đạt")
# ("mục tiêu" is not: "đã đạt mục tiêu năm 2025 đối với 14 chỉ tiêu" is what was done)
# ("dự kiến" is left out: by its OCR key it is also "điều kiện")
# after a number: what is left to do, not what was done ("07 chỉ tiêu còn lại phấn đấu …")
_STILL_TO_DO = P("còn lại", "phấn đấu", "sẽ hoàn thành", "dự kiến hoàn thành")
# another body's figure: "toàn tỉnh hiện có 2.004 Tổ công nghệ số cộng đồng"
_ELSEWHERE = P("toàn tỉnh", "toàn quốc", "cả nước", "toàn thành phố", "toàn ngành")
# a group that is not a community digital technology team
_OTHER_GROUP = P(
    "tổ công tác",
    "đề án 06",
    "đoàn thanh niên",
    "chi đoàn",
    "đoàn viên",
    "hội viên",
    "hội liên hiệp",
    "hội phụ nữ",
    "ban chỉ đạo",
    "tổ giúp việc",
    "hội đồng",
)
_LEVEL_WORDS = {"muc", "level"}
_TAIL_STOPS = {",", ";", "(", ")", ".", ":", "|", "/"}
# "tăng 120", "giảm 3", "nhiều hơn 5": a change, not the figure
_CHANGE_BEFORE = re.compile(
    r"(?:^| )(?:tang|giam|tang them|giam di|nhieu hon|it hon|cao hon|thap hon)$"
)
_NOT_DOSSIER_COUNT = P("thanh toán", "số hóa hồ sơ", "số hóa kết quả", "liên thông", "ký số")
_DOC_WORDS = P(
    "nghị định",
    "nghị quyết",
    "quyết định",
    "kế hoạch",
    "công văn",
    "thông báo",
    "thông tư",
    "chỉ thị",
    "kết luận",
    "báo cáo",
    "đề án",
    "mô hình",
    "hướng dẫn",
    "chương trình",
    "tờ trình",
    "luật",
)
# Units after a number that make it a date, a duration, a rating or a size, compared folded.
_NOT_COUNT_AFTER = {
    "nam",
    "nim",
    "thang",
    "ngay",
    "gio",
    "tuan",
    "sao",
    "km",
    "ha",
    "m",
    "km2",
    "m2",
}
_MONEY = re.compile(
    r"^\s?(?:(?P<dong>d|dong|vnd)(?![a-z])|(?P<scale>trieu|ty)\s+(?:dong|d)(?![a-z]))"
)


@dataclass
class Candidate:
    index: int  # token index of the number
    value: Decimal
    raw: str
    unit_keys: str  # keys of the words right after the number
    label_keys: str  # keys between the previous number (or clause start) and this one
    percent: bool
    ratio_total: Decimal | None  # "316/316": the second number
    tail: str = ""  # keys after the number up to the next punctuation: "hồ sơ nộp trực tuyến"


def _search(pattern: re.Pattern[str], keys: str) -> re.Match[str] | None:
    return pattern.search(keys)


def _last(pattern: re.Pattern[str], keys: str) -> tuple[int, int]:
    """Where the last match of ``pattern`` in ``keys`` ends, and its length (a longer phrase
    ending at the same place wins: "chưa hoàn thành" over "hoàn thành"); (-1, 0) for none."""
    best = (-1, 0)
    for m in _overlapping(pattern, keys):
        best = max(best, (m.end(), m.end() - m.start()))
    return best


def _overlapping(pattern: re.Pattern[str], keys: str):
    at = 0
    while True:
        m = pattern.search(keys, at)
        if m is None:
            return
        yield m
        at = m.start() + 1


def _labelled(label: str) -> bool:
    """The label ends the way a figure is introduced: "…: 369", "… là 1.436"."""
    return bool(re.search(r"(?:^| )(?::|lz|gzm|cz)$", label.rstrip()))


def _starts(pattern: re.Pattern[str], keys: str) -> bool:
    m = pattern.search(keys)
    return m is not None and m.start() == 0


# Columns of a flattened dossier table, as their header words start.
_DOSSIER_COLUMNS: list[tuple[str, re.Pattern[str]]] = [
    ("received", P("tiếp nhận", "tổng số hồ sơ", "số hồ sơ tiếp nhận")),
    ("direct", P("trực tiếp", "bưu chính")),
    ("online", P("trực tuyến", "trực")),
    ("resolved_on_time", P("đúng hạn", "trước hạn")),
    ("resolved", P("đã giải", "đã giải quyết", "giải quyết xong")),
    ("withdrawn", P("rút", "từ chối", "trả lại")),
    ("in_progress", P("đang giải", "đang giải quyết", "đang xử lý")),
    ("overdue", P("quá hạn", "trễ hạn")),
]
_INDEX_ROWS = {
    "service_index.online_payment": Q_PAYMENT,
    "service_index.online_service": Q_ONLINE_SERVICE,
    "service_index.transparency": Q_TRANSPARENCY,
    "service_index.progress": Q_PROGRESS,
    "service_index.satisfaction": Q_SATISFACTION,
    "service_index.digitization": Q_DIGITIZATION,
}


# On folded text: "Hệ thống thông tin giải quyết TTHC tỉnh / của thành phố", "Cổng dịch vụ công
# của tỉnh"; "hệ thống (thông tin) của các Bộ, ngành".
_CITY = re.compile(
    r"h\w{0,2}\s*th\w{1,3}ng[^.;\n]{0,60}?(?:c\w{1,3}\s+)?(?:th\w{1,3}nh\s+ph\w{1,2}|t\w{1,2}nh)\b"
)
_MINISTRIES = re.compile(
    r"h\w{0,2}\s*th\w{1,3}ng[^.;\n]{0,60}?(?:c\w{1,3}\s+)?(?:c\w{1,2}c\s+)?[bdp]\w{1,2},?\s+ng\w{1,2}nh"
)


def _clean(value: Decimal) -> Decimal:
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal


def _dedupe(figures: list[ExtractedFigure]) -> list[ExtractedFigure]:
    """The same figure stated twice (a summary table repeating the text) is kept once."""
    seen: set[tuple] = set()
    out = []
    for f in figures:
        key = (f.element, f.value, f.scope, f.period)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out


def ocr_split(text: str, left, right) -> bool:
    """Whether two number tokens of ``text`` are one number OCR broke in two: "1 624",
    "1. 590", "1: 543" — a group of three digits cut off from the one to three digits before
    it by a space or a stray mark. "1.624" and "95,01" are whole numbers (one token)."""
    gap = text[left.end : right.start]
    if "\n" in gap or not re.fullmatch(r"\s*[.,:;]?\s+", gap):
        return False
    return bool(re.fullmatch(r"\d{3}", right.text)) and re.fullmatch(r"\d{1,3}", left.text)
