"""Workbooks written by hand, part by part, for the tests of what a workbook may declare: a
few kilobytes each, made when the test runs (no binary is committed)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKSHEET = f"{RELATIONSHIPS}/worksheet"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)


def sheet_xml(
    cells: list[str] | None = None, *, dimension: str | None = None, rows: str | None = None
) -> str:
    """A worksheet: each of ``cells`` (e.g. "XFD1048576") holds the number 1, in its own
    <row>; or ``rows``, the <sheetData> content as written."""
    if rows is None:
        rows = ""
        for reference in cells or []:
            number = reference.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            rows += f'<row r="{number}"><c r="{reference}"><v>1</v></c></row>'
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{head}'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )


def write_workbook(
    path: Path,
    sheets: dict[str, str],
    *,
    extra: dict[str, bytes | str] | None = None,
    listed: list[tuple[str, int]] | None = None,
) -> Path:
    """An .xlsx holding ``sheets`` (name → worksheet XML) in that order, and ``extra``
    members as given. ``listed`` lists the sheets as (name, number of the member) instead,
    so that two names can point at one member."""
    names = list(sheets)
    entries = listed or [(name, index) for index, name in enumerate(names, start=1)]
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
        f'xmlns:r="{RELATIONSHIPS}"><sheets>'
        + "".join(
            f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{member}"/>'
            for i, (name, member) in enumerate(entries, start=1)
        )
        + "</sheets></workbook>"
    )
    relations = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{WORKSHEET}" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        + "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", ROOT_RELS)
        package.writestr("xl/workbook.xml", workbook)
        package.writestr("xl/_rels/workbook.xml.rels", relations)
        for i, name in enumerate(names, start=1):
            package.writestr(f"xl/worksheets/sheet{i}.xml", sheets[name])
        for member, content in (extra or {}).items():
            package.writestr(member, content)
    return path


def deflated_zeros(path: Path, member: str, size: int, *, base: Path) -> Path:
    """``base`` with one more member of ``size`` zero bytes, written in chunks (a few hundred
    kilobytes on disk: a zip bomb)."""
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info, source.read(info))
        with out.open(member, "w", force_zip64=False) as handle:
            chunk = bytes(1024 * 1024)
            for _ in range(size // len(chunk)):
                handle.write(chunk)
            handle.write(bytes(size % len(chunk)))
    return path
