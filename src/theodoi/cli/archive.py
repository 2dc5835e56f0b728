"""``theodoi ingest``, ``theodoi extract`` and ``theodoi check-doc``: old documents.

Nothing here imports Django at module level: the parser is built before Django is set up.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from theodoi.cli.common import CommandError


def add_parsers(sub: Any) -> None:
    """Add ``ingest``, ``extract`` and ``check-doc`` to the ``theodoi`` parser."""
    ingest = sub.add_parser(
        "ingest",
        help="nạp văn bản cũ (.txt, .docx, .pdf; bản chụp PDF hoặc ảnh .png, .jpg, .tif được "
        "nhận dạng chữ OCR; hoặc cả thư mục)",
    )
    ingest.add_argument("files", nargs="+", metavar="TỆP", help="tệp hoặc thư mục")
    ingest.add_argument(
        "--as", dest="as_user", metavar="TÊN_ĐĂNG_NHẬP", help="người nạp (ghi vào lịch sử)"
    )
    ingest.add_argument("--json", action="store_true")
    ingest.set_defaults(func=cmd_ingest)

    extract = sub.add_parser("extract", help="đọc thông tin văn bản và số liệu trong một tệp")
    extract.add_argument("file", metavar="TỆP")
    extract.add_argument("--json", action="store_true")
    extract.set_defaults(func=cmd_extract)

    check = sub.add_parser("check-doc", help="kiểm tra cộng, trừ, tỷ lệ trong một văn bản")
    check.add_argument("file", metavar="TỆP")
    check.add_argument("--json", action="store_true")
    check.set_defaults(func=cmd_check_doc)


def _acting_user(username: str | None) -> Any:
    from django.contrib.auth import get_user_model

    from theodoi.history import data_user

    User = get_user_model()
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"không có người dùng “{username}”.")
        return user
    return data_user()


def _lexicon() -> list[str]:
    """The database's names and titles, or nothing when there is no database yet."""
    from django.db.utils import OperationalError, ProgrammingError

    from theodoi.archive.services import lexicon_texts

    try:
        return lexicon_texts()
    except (OperationalError, ProgrammingError):
        return []


def _extraction(path: Path):
    from theodoi.domain.extract import extract
    from theodoi.filetext import UnreadableFile, read_text

    if not path.exists():
        raise CommandError(f"không có tệp {path}.")
    try:
        text = read_text(path)
    except UnreadableFile as exc:
        raise CommandError(str(exc)) from None
    return extract(text, lexicon=_lexicon())


def cmd_ingest(args: Any) -> None:
    from theodoi.archive.services import document_ingest, files_in, lexicon_texts
    from theodoi.filetext import UnreadableFile

    paths = [Path(p) for p in args.files]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise CommandError("không có tệp hoặc thư mục: " + ", ".join(missing))
    user = _acting_user(args.as_user)
    files = files_in(paths)
    if not files:
        raise CommandError("không có tệp .txt, .docx, .pdf hoặc ảnh chụp nào để nạp.")
    rows, failed = [], []
    lexicon = lexicon_texts()  # read once for the whole run
    for path in files:
        try:
            result = document_ingest(path=path, user=user, lexicon=lexicon)
        except UnreadableFile as exc:
            failed.append(str(exc))
            continue
        rows.append(result)
    if args.json:
        json.dump(
            {
                "ingested": [
                    {
                        "file": str(r.path),
                        "status": r.status,
                        "document": str(r.document),
                        "key": r.document.key if r.document else None,
                        "cited": r.cited,
                        "stubs": r.stubs,
                        "figures_queued": r.figures_queued,
                    }
                    for r in rows
                ],
                "errors": failed,
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        labels = {"created": "Đã nạp mới", "updated": "Đã bổ sung", "unchanged": "Không đổi"}
        for r in rows:
            print(f"{labels[r.status]}: {r.path.name} → {r.document}")
            if r.status != "unchanged":
                print(
                    f"    {r.cited} văn bản được viện dẫn (ghi nhận thêm {r.stubs} văn bản chưa "
                    f"có), {r.figures_queued} số liệu chờ duyệt"
                )
        for message in failed:
            print(f"Lỗi: {message}", file=sys.stderr)
    if failed:
        raise SystemExit(2)


def cmd_extract(args: Any) -> None:
    from theodoi.domain.formatting import format_number

    extraction = _extraction(Path(args.file))
    if args.json:
        json.dump(extraction.as_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    meta = extraction.document
    print(f"Loại: {meta.doc_type or '—'}   Số, ký hiệu: {meta.symbol or '—'}")
    print(f"Cơ quan ban hành: {meta.issuer or '—'}")
    when = meta.issued_on.strftime("%d/%m/%Y") if meta.issued_on else "—"
    print(f"Nơi, ngày: {meta.place or '—'}, {when}")
    print(f"Trích yếu: {meta.subject or '—'}")
    print(f"Người ký: {meta.signer or '—'}   Văn bản viện dẫn: {len(meta.references)}")
    print(f"\n{len(extraction.figures)} số liệu:")
    for f in extraction.figures:
        value = format_number(f.value, max(0, -f.value.as_tuple().exponent))  # type: ignore[operator]
        scope = f" [{f.scope}]" if f.scope else ""
        print(f"  dòng {f.line:>4}  {f.element}{scope} = {value} {f.unit}   “{f.quote}”")
    for finding in extraction.findings:
        print(f"Lưu ý: {finding.message}")


def cmd_check_doc(args: Any) -> None:
    extraction = _extraction(Path(args.file))
    findings = extraction.findings
    if args.json:
        json.dump(
            {"file": args.file, "findings": [f.as_json() for f in findings]},
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
    elif not findings:
        print("Không thấy chỗ nào cộng, trừ, tỷ lệ không khớp.")
    else:
        for finding in findings:
            print(f"- {finding.message}")
            for quote in finding.quotes:
                print(f"    {quote}")
    if findings:
        raise SystemExit(1)
