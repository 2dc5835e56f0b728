"""Reading flattened tables: dossier tables per system and the Bộ chỉ số rows, by column."""

from __future__ import annotations

import re
from decimal import Decimal

from theodoi.domain.figures.vocabulary import (
    _DOSSIER_COLUMNS,
    _INDEX_ROWS,
    F_INDEX,
    P,
    _last,
    ocr_split,
)
from theodoi.domain.ocr import parse_number
from theodoi.domain.reading import Reading


class TableReader:
    """Tables flattened into lines, as Word exports and OCR leave them:

    - a dossier table: a header naming the columns (Tiếp nhận | Trực tuyến | Trực tiếp | Đã
      giải quyết | Rút | Đang giải quyết | Quá hạn), then one row per system ("Hệ thống … tỉnh",
      "… Bộ, ngành", "Tổng cộng") whose numbers fill the columns in order;
    - a Bộ chỉ số 766 table: one row per group of indicators, the points achieved last
      ("1 | Công khai, minh bạch | 18 | 16,85").
    """

    def __init__(self, reading: Reading) -> None:
        self.r = reading
        self.consumed: set[int] = set()

    def figures(self) -> list[tuple[int, str, Decimal, str, str | None]]:
        return self._dossier_tables() + self._index_rows()

    def _line_tokens(self) -> dict[int, list[int]]:
        lines: dict[int, list[int]] = {}
        for i, line in enumerate(self.r.token_lines):
            lines.setdefault(line, []).append(i)
        return lines

    def _columns(self, keys: str) -> list[str]:
        found: list[tuple[int, str]] = []
        taken: list[tuple[int, int]] = []
        for name, pattern in _DOSSIER_COLUMNS:
            for m in pattern.finditer(keys):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                found.append((m.start(), name))
                taken.append((m.start(), m.end()))
                break
        return [name for _, name in sorted(found)]

    def _dossier_tables(self) -> list[tuple[int, str, Decimal, str, str | None]]:
        r = self.r
        lines = self._line_tokens()
        out = []
        for line, idx in sorted(lines.items()):
            if any(r.tokens[i].kind == "number" and not self._is_stt(i) for i in idx):
                continue
            keys = " ".join(r.tokens[i].key for i in idx)
            columns = self._columns(keys)
            if len(columns) < 4 or len(set(columns)) != len(columns):
                continue
            out.extend(self._rows(line + 1, columns, lines))
        return out

    def _is_stt(self, i: int) -> bool:
        r = self.r
        return r.is_line_start(i) and r.tokens[i].kind == "number" and len(r.tokens[i].text) <= 2

    def _rows(self, line: int, columns: list[str], lines: dict[int, list[int]]):
        r = self.r
        out = []
        last = max(lines)
        # one entry per cell: a number's token, or None for a number OCR broke in two
        numbers: list[int | None] = []
        label: list[int] = []
        while line <= last:
            idx = lines.get(line, [])
            piped = any(r.tokens[i].text == "|" for i in idx)
            line += 1
            for n, i in enumerate(idx):
                t = r.tokens[i]
                if t.kind == "number" and not (n == 0 and not numbers and self._is_stt(i)):
                    if t.text.isdigit() and len(t.text) == 4 and t.text.startswith("20"):
                        continue  # a year in the row label
                    previous = numbers[-1] if numbers else None
                    if previous is not None and ocr_split(r.text, r.tokens[previous], t):
                        if not piped:
                            # without cell borders a broken number ("1 658") shifts every
                            # column after it: the table is not read further
                            return out
                        numbers[-1] = None  # "| 1 658 |": one cell, not read
                        continue
                    numbers.append(i)
                elif t.kind == "word" and numbers:
                    if len(numbers) < len(columns):
                        return out  # words among the numbers: not a row of this table
                elif t.kind == "word":
                    label.append(i)
                if len(numbers) == len(columns):
                    label_keys = " ".join(r.tokens[j].key for j in label)
                    scope = _row_scope(label_keys)
                    for column, j in zip(columns, numbers, strict=True):
                        if j is None:
                            continue
                        value = parse_number(r.tokens[j].text)
                        if value is not None:
                            out.append((j, f"dossiers.{column}", value, "hồ sơ", scope))
                            self.consumed.add(j)
                    numbers, label = [], []
            if (
                not numbers
                and not label
                and idx
                and not any(r.tokens[i].kind == "number" for i in idx)
            ):
                break  # a line of text after the last row
        return out

    def _index_rows(self) -> list[tuple[int, str, Decimal, str, str | None]]:
        r = self.r
        out = []
        lines = self._line_tokens()
        recent_index = -100
        for line, idx in sorted(lines.items()):
            keys = " ".join(r.tokens[i].key for i in idx)
            if F_INDEX.search(keys) or P("nhóm chỉ số", "điểm đạt", "điểm tối đa").search(keys):
                recent_index = line
            if line - recent_index > 12:
                continue
            numbers = [i for i in idx if r.tokens[i].kind == "number" and not self._is_stt(i)]
            if not numbers or len(numbers) > 2:
                continue
            head = " ".join(r.tokens[i].key for i in idx if i < numbers[0])
            element = None
            best = (-1, 0)
            for name, pattern in _INDEX_ROWS.items():
                at = _last(pattern, head)
                if at > best:
                    element, best = name, at
            if element is None:
                continue
            tail = r.keys(numbers[-1] + 1, idx[-1]) if numbers[-1] < idx[-1] else ""
            if tail and not re.fullmatch(r"[|;.,]*(?: ?dzm)?[|;., ]*", tail):
                continue  # words after the numbers: a sentence, not a table row
            value = parse_number(r.tokens[numbers[-1]].text)
            if value is not None:
                out.append((numbers[-1], element, value, "điểm", None))
                self.consumed.update(numbers)
        return out


def _row_scope(label_keys: str) -> str | None:
    """The system a table row counts for. The label may begin with the end of the row above
    ("… Tư pháp) Tổng cộng"): the phrase said last decides."""
    said = {
        None: _last(P("tổng", "tổng cộng", "cộng"), label_keys),
        "ministries": _last(P("bộ, ngành", "bộ ngành", "các bộ"), label_keys),
        "city": _last(P("tỉnh", "thành phố", "hệ thống thông tin giải quyết"), label_keys),
    }
    scope, at = max(said.items(), key=lambda item: item[1])
    return scope if at[0] >= 0 else None
