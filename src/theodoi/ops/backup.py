"""One file that holds an installation: its whole database and its uploaded files (evidence,
Excel files being imported), as a .tar.gz with a manifest; and the way back from it.

    manifest.json      what this is: format, theodoi's version, when, database vendor, counts
    database.sqlite3   (SQLite, from the online backup API) or database.pgdump (pg_dump -Fc)
    media/…            MEDIA_ROOT as it was

Restoring replaces the database and MEDIA_ROOT's contents with the backup's, after checking
that the file is such a backup, whole, and for the same database vendor.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

import theodoi
from theodoi.ops.databases import (
    DATABASE_FILES,
    VENDOR_NAMES,
    DatabaseCopyError,
    database_dump,
    database_load,
    database_vendor,
)

FORMAT = "theodoi-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
STAGING_PREFIX = ".theodoi-khoi-phuc-"
WORK_PREFIX = ".theodoi-sao-luu-"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class Manifest:
    """What a backup holds, written into it and read back before anything is restored."""

    format: str
    format_version: int
    theodoi_version: str
    created_at: str  # ISO 8601 with the offset
    database_vendor: str
    database_file: str
    media_files: int
    media_bytes: int
    migrations: list[str]  # "app.name" of every migration applied in the database

    @property
    def created(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.created_at)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    manifest: Manifest


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    media_removed: int  # files that were in MEDIA_ROOT and not in the backup
    unapplied_migrations: list[str]  # the code's migrations the restored database lacks


def backup_create(*, target: Path, overwrite: bool = False) -> BackupResult:
    """Write the database and MEDIA_ROOT into ``target`` (a .tar.gz). Safe while the app runs:
    the database copy is one consistent snapshot; a file uploaded meanwhile may or may not
    be in it. The file appears only once complete."""
    target = target.resolve()
    if target.exists() and not overwrite:
        raise BackupError(f"Tệp “{target}” đã có. Hãy chọn tên khác, hoặc thêm --force để ghi đè.")
    vendor = _vendor()
    database_file = DATABASE_FILES[vendor]
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=target.parent))
    except OSError as exc:
        raise BackupError(
            f"Không ghi được vào thư mục “{target.parent}”: {exc.strerror}."
        ) from None
    try:
        dump = work / database_file
        _database(lambda: database_dump(target=dump))
        migrations = _applied_migrations()
        partial = work / "sao-luu.tar.gz"
        with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
            archive.add(dump, arcname=database_file)
            count, size = _add_media(archive, Path(settings.MEDIA_ROOT))
            manifest = Manifest(
                format=FORMAT,
                format_version=FORMAT_VERSION,
                theodoi_version=theodoi.__version__,
                created_at=timezone.localtime().isoformat(timespec="seconds"),
                database_vendor=vendor,
                database_file=database_file,
                media_files=count,
                media_bytes=size,
                migrations=migrations,
            )
            _add_bytes(archive, MANIFEST, json.dumps(asdict(manifest), indent=2).encode())
        os.replace(partial, target)
    except OSError as exc:
        raise BackupError(f"Không ghi được bản sao lưu “{target}”: {exc}.") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BackupResult(path=target, size=target.stat().st_size, manifest=manifest)


def backup_inspect(*, source: Path) -> Manifest:
    """The manifest of a backup, after checking the whole file: a theodoi backup, readable to
    its end, holding what its manifest says and nothing else. Raises BackupError otherwise."""
    with _open(source) as archive:
        return _checked_manifest(source, archive)


def backup_restore(*, source: Path) -> RestoreResult:
    """Replace the database and MEDIA_ROOT's contents with the backup's. Nothing changes if
    the file is not a whole theodoi backup for this database vendor, or if the database
    cannot be restored; the files are replaced only after the database was."""
    media_root = Path(settings.MEDIA_ROOT)
    with _open(source) as archive:
        manifest = _checked_manifest(source, archive)
        if manifest.database_vendor != _vendor():
            raise BackupError(
                f"“{source}” là bản sao lưu của cơ sở dữ liệu "
                f"{VENDOR_NAMES[manifest.database_vendor]}, còn cơ sở dữ liệu đang dùng là "
                f"{VENDOR_NAMES[_vendor()]}: không khôi phục được sang loại khác."
            )
        try:
            media_root.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=media_root))
        except OSError as exc:
            raise BackupError(f"Không ghi được vào “{media_root}”: {exc.strerror}.") from None
        try:
            try:
                archive.extractall(staging, filter="data")
            except (OSError, tarfile.TarError) as exc:
                raise BackupError(
                    f"Không giải nén được “{source}” vào “{staging}”: {exc}."
                ) from None
            _database(lambda: database_load(source=staging / manifest.database_file))
            (staging / manifest.database_file).unlink()
            (staging / (manifest.database_file + ".list")).unlink(missing_ok=True)
            removed = _replace_media(media_root, staging / MEDIA)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return RestoreResult(
        manifest=manifest, media_removed=removed, unapplied_migrations=_unapplied_migrations()
    )


def _vendor() -> str:
    try:
        return database_vendor()
    except DatabaseCopyError as exc:
        raise BackupError(str(exc)) from None


def _database(step) -> None:
    try:
        step()
    except DatabaseCopyError as exc:
        raise BackupError(str(exc)) from None


def _applied_migrations() -> list[str]:
    applied = MigrationRecorder(connections["default"]).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied)


def _unapplied_migrations() -> list[str]:
    connection = connections["default"]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    connection.close()
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def _media_files(root: Path) -> Iterator[Path]:
    """Every regular file under MEDIA_ROOT, in a stable order; restore's leftovers and links
    (which could point anywhere) are not the site's files."""
    if not root.is_dir():
        return
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith((STAGING_PREFIX, WORK_PREFIX))
            and not Path(folder, name).is_symlink()
        )
        for name in sorted(files):
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink():
                yield path


def _add_media(archive: tarfile.TarFile, root: Path) -> tuple[int, int]:
    count = size = 0
    for path in _media_files(root):
        try:
            with path.open("rb") as content:
                info = archive.gettarinfo(
                    arcname=f"{MEDIA}/{path.relative_to(root).as_posix()}", fileobj=content
                )
                archive.addfile(info, content)
        except FileNotFoundError:
            continue  # deleted by the running app since the walk saw it
        count += 1
        size += info.size
    return count, size


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(content))


@contextlib.contextmanager
def _open(source: Path) -> Iterator[tarfile.TarFile]:
    if not source.is_file():
        raise BackupError(f"Không thấy tệp “{source}”.")
    try:
        archive = tarfile.open(source, "r:gz")
    except (tarfile.TarError, OSError, EOFError, zlib.error):
        raise BackupError(
            f"“{source}” không phải bản sao lưu của theodoi (không phải tệp .tar.gz đọc được)."
        ) from None
    with archive:
        yield archive


def _checked_manifest(source: Path, archive: tarfile.TarFile) -> Manifest:
    not_a_backup = f"“{source}” không phải bản sao lưu của theodoi"
    try:
        members = archive.getmembers()  # reads to the end: a cut-off file fails here
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise BackupError(f"Tệp sao lưu “{source}” bị hỏng hoặc không đầy đủ ({exc}).") from None
    names = {member.name: member for member in members}
    if MANIFEST not in names or not names[MANIFEST].isfile():
        raise BackupError(f"{not_a_backup} (không có {MANIFEST}).")
    try:
        data = json.loads(archive.extractfile(names[MANIFEST]).read())
        if data.get("format") != FORMAT:
            raise ValueError
        if int(data["format_version"]) > FORMAT_VERSION:
            raise BackupError(
                f"“{source}” được tạo bởi phiên bản theodoi mới hơn ({data.get('theodoi_version')}"
                "): hãy cập nhật theodoi rồi khôi phục."
            )
        manifest = Manifest(**{name: data[name] for name in Manifest.__dataclass_fields__})
        manifest.created  # noqa: B018 - a date it can read
    except BackupError:
        raise
    except (ValueError, KeyError, TypeError):
        raise BackupError(f"{not_a_backup} ({MANIFEST} không đúng dạng).") from None
    if DATABASE_FILES.get(manifest.database_vendor) != manifest.database_file:
        raise BackupError(f"{not_a_backup} (loại cơ sở dữ liệu không rõ).")
    if manifest.database_file not in names or not names[manifest.database_file].isfile():
        raise BackupError(f"Tệp sao lưu “{source}” thiếu cơ sở dữ liệu ({manifest.database_file}).")
    media = [member for member in members if member.name.startswith(f"{MEDIA}/")]
    strays = sorted(set(names) - {MANIFEST, manifest.database_file, *(m.name for m in media)})
    unsafe = [
        m.name
        for m in media
        if not (m.isfile() or m.isdir()) or ".." in PurePosixPath(m.name).parts
    ]
    if strays or unsafe:
        raise BackupError(f"Tệp sao lưu “{source}” chứa tệp lạ: {', '.join(strays + unsafe)}.")
    files = [member for member in media if member.isfile()]
    if len(files) != manifest.media_files or sum(m.size for m in files) != manifest.media_bytes:
        raise BackupError(
            f"Tệp sao lưu “{source}” không đầy đủ: có {len(files)} tệp tải lên, "
            f"{MANIFEST} ghi {manifest.media_files}."
        )
    return manifest


def _replace_media(root: Path, restored: Path) -> int:
    """MEDIA_ROOT's contents become the restored folder's. Entry by entry inside MEDIA_ROOT
    (not the folder itself: it may be a mount point shared by several servers)."""
    before = {path.relative_to(root) for path in _media_files(root)}
    after = (
        {path.relative_to(restored) for path in _media_files(restored)}
        if restored.is_dir()
        else set()
    )
    for entry in root.iterdir():
        if entry.name.startswith(STAGING_PREFIX):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    if restored.is_dir():
        for entry in restored.iterdir():
            os.replace(entry, root / entry.name)
    return len(before - after)
