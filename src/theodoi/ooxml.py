"""Office Open XML files (.xlsx, .docx) opened within bounds, before any library reads them.

An Office file is a zip of XML parts, and whatever reads it next (python-calamine for
workbooks, lxml for Word documents) trusts both the zip and the XML: a part that inflates to
gigabytes, a zip whose directory lists a million members, a DOCTYPE declaring entities that
expand a thousandfold. Here the zip is opened with the standard library and

- the file's size and the member count its end record declares are checked before the
  directory is parsed (a directory of a million one-byte names costs hundreds of megabytes
  to list);
- members are only stored or deflated (what every office suite writes; LZMA could ask for a
  dictionary of a gigabyte), not encrypted, and no two names differ only by case (Office
  readers look names up ignoring case, so two such members would mean two different files
  to two readers);
- every byte is read through a running cap over the whole file. The sizes in the zip headers
  are the sender's word: they are checked first (a cheap early refusal) but never trusted;
- XML is parsed streaming with expat, and any DOCTYPE is refused: no Office part has one,
  so refusing it refuses entity expansion and external entities at once.

Problems raise :class:`PackageError` with a Vietnamese reason without the file's name; the
caller says which file (``Không đọc được tệp “x.xlsx” …: <reason>``).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.parsers import expat

from theodoi.domain.formatting import format_number

CHUNK = 64 * 1024
_END_RECORD = b"PK\x05\x06"
_END_RECORD_SIZE = 22
_LEGACY_OFFICE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls/.doc, or an encrypted Office file
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
_DIRECTORY_ENTRY = 46 + 1024  # a directory entry with a generous name and extra fields


class PackageError(ValueError):
    """Not an Office file this software reads, or one beyond a bound; Vietnamese reason."""


def megabytes(size: int) -> str:
    """1.5 MB, 128 MB: a size as a person reads it (decimal comma)."""
    value = size / (1024 * 1024)
    text = f"{value:.0f}" if value >= 10 or value.is_integer() else f"{value:.1f}"
    return text.replace(".", ",") + " MB"


class Package:
    """An Office file's zip, opened after its size and directory were checked.

    ``max_total_bytes`` bounds what all reads through this object may inflate, together.
    """

    def __init__(
        self,
        path: Path,
        *,
        max_file_bytes: int,
        max_members: int,
        max_total_bytes: int,
    ) -> None:
        self.max_total_bytes = max_total_bytes
        self.total = 0
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise PackageError(f"không đọc được tệp ({exc.strerror}).") from None
        if size > max_file_bytes:
            raise PackageError(
                f"tệp nặng {megabytes(size)}, vượt giới hạn {megabytes(max_file_bytes)}."
            )
        try:
            with path.open("rb") as handle:
                head = handle.read(8)
                if head == _LEGACY_OFFICE:
                    raise PackageError(
                        "đây là tệp Office đời cũ (.xls, .doc) hoặc tệp có đặt mật khẩu, không "
                        "phải tệp Office 2007 trở lên (dạng nén ZIP)."
                    )
                entries, directory_bytes = _declared_directory(handle, size)
        except OSError as exc:
            raise PackageError(f"không đọc được tệp ({exc.strerror}).") from None
        if entries > max_members or directory_bytes > max_members * _DIRECTORY_ENTRY:
            raise PackageError(
                f"tệp nén khai báo {format_number(entries)} phần, vượt giới hạn "
                f"{format_number(max_members)} phần của một tệp Office."
            )
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            raise PackageError("tệp nén ZIP bị hỏng.") from None
        try:
            self._check_members(max_members)
        except PackageError:
            self.zip.close()
            raise

    def _check_members(self, max_members: int) -> None:
        infos = self.zip.infolist()
        if len(infos) > max_members:
            raise PackageError(
                f"tệp nén có {format_number(len(infos))} phần, vượt giới hạn "
                f"{format_number(max_members)} phần của một tệp Office."
            )
        self.by_folded_name: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            folded = info.filename.lower()
            if folded in self.by_folded_name:
                raise PackageError(f"tệp nén có hai phần cùng tên “{info.filename}”.")
            self.by_folded_name[folded] = info
            if info.flag_bits & 0x1:
                raise PackageError("tệp có đặt mật khẩu (phần nén đã mã hóa).")
            if info.compress_type not in _METHODS:
                raise PackageError(
                    f"phần “{info.filename}” nén theo cách mà tệp Office không dùng "
                    f"(mã {info.compress_type})."
                )

    def check_declared_total(self) -> None:
        """Refuse early when the sizes the zip declares already pass the cap (reading then
        checks the real sizes): for a caller that will read every member."""
        if sum(info.file_size for info in self.zip.infolist()) > self.max_total_bytes:
            raise PackageError(self._too_large())

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.zip.close()

    def members(self) -> list[zipfile.ZipInfo]:
        return self.zip.infolist()

    def find(self, name: str) -> zipfile.ZipInfo | None:
        """The member called ``name``, ignoring ASCII case as Office readers do."""
        return self.by_folded_name.get(name.lstrip("/").lower())

    def _too_large(self) -> str:
        return (
            f"khi giải nén, tệp lớn hơn {megabytes(self.max_total_bytes)}, vượt giới hạn của "
            "một tệp Office."
        )

    def chunks(self, info: zipfile.ZipInfo, *, limit: int | None = None) -> Iterator[bytes]:
        """The inflated bytes of ``info``, counted against the file's running cap (and
        ``limit`` for this member); the zip's CRC is checked at the end."""
        read = 0
        try:
            with self.zip.open(info) as member:
                while chunk := member.read(CHUNK):
                    read += len(chunk)
                    self.total += len(chunk)
                    if self.total > self.max_total_bytes:
                        raise PackageError(self._too_large())
                    if limit is not None and read > limit:
                        raise PackageError(
                            f"phần “{info.filename}” lớn hơn {megabytes(limit)} khi giải nén, "
                            "vượt giới hạn."
                        )
                    yield chunk
        except PackageError:
            raise
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            ValueError,
            NotImplementedError,
            RuntimeError,
        ) as exc:
            raise PackageError(
                f"tệp nén bị hỏng: phần “{info.filename}” không giải nén được ({exc})."
            ) from None

    def read(self, info: zipfile.ZipInfo, *, limit: int) -> bytes:
        return b"".join(self.chunks(info, limit=limit))

    def drain(self, info: zipfile.ZipInfo) -> None:
        """Inflate ``info`` only to count its bytes and check it is whole."""
        for _ in self.chunks(info):
            pass


def _declared_directory(handle: Any, size: int) -> tuple[int, int]:
    """(entries, bytes) of the central directory, as the zip's end record declares them.

    The record is searched for the way :mod:`zipfile` does (from the end, over the longest
    comment a zip may carry), so both agree on which record counts.
    """
    if size < _END_RECORD_SIZE:
        raise PackageError("tệp không phải dạng nén ZIP của Office 2007 trở lên.")
    tail_size = min(size, _END_RECORD_SIZE + 0xFFFF)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(_END_RECORD)
    if at < 0 or len(tail) - at < _END_RECORD_SIZE:
        raise PackageError("tệp không phải dạng nén ZIP của Office 2007 trở lên.")
    entries, directory_bytes = struct.unpack("<HI", tail[at + 10 : at + 16])
    if entries == 0xFFFF or directory_bytes == 0xFFFFFFFF:
        # ZIP64: only needed past 65,535 members or 4 GB, which no office file reaches.
        raise PackageError("tệp nén ZIP64 quá lớn so với một tệp Office.")
    return entries, directory_bytes


def parse_xml(
    chunks: Iterator[bytes],
    *,
    part: str,
    start: Callable[[str, dict[str, str]], None] | None = None,
    end: Callable[[str], None] | None = None,
) -> None:
    """Parse the XML in ``chunks`` with expat, calling ``start`` and ``end`` per element
    (names as written, prefix included). A DOCTYPE, and so any entity, is refused."""

    def refuse_doctype(*_args: Any) -> None:
        raise PackageError(f"phần “{part}” có khai báo DOCTYPE, điều tệp Office không có.")

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    if start is not None:
        parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise PackageError(
            f"phần “{part}” không phải XML hợp lệ (hỏng ở dòng {exc.lineno}, cột {exc.offset + 1})."
        ) from None


def local_name(name: str) -> str:
    """``x:c`` → ``c``: elements matched by local name, as Office readers do."""
    return name.rpartition(":")[2]
