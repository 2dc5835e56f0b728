"""``theodoi ingest``, ``theodoi extract``, ``theodoi check-doc`` and ``theodoi bench extract``.

Nothing here imports Django at module level: the parser is built before Django is set up.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[4]
DEFAULT_KEYS = ROOT / "tests" / "data" / "extraction"
DEFAULT_SOURCES = ROOT.parent / "shared" / "seeds"


def add_parsers(sub: Any, bench_sub: Any) -> None:
    ingest = sub.add_parser(
        "ingest", help="nạp văn bản cũ (.txt, .docx, .pdf có lớp chữ, hoặc cả thư mục)"
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

    bench = bench_sub.add_parser(
        "extract", help="độ phủ (recall) và độ chính xác (precision) của việc trích số liệu"
    )
    bench.add_argument("--keys", default=str(DEFAULT_KEYS), help="thư mục đáp án (.yaml)")
    bench.add_argument("--sources", default=str(DEFAULT_SOURCES), help="thư mục văn bản nguồn")
    bench.add_argument("--json", action="store_true")
    bench.set_defaults(func=cmd_bench_extract)


def _error(message: str) -> Exception:
    from theodoi.cli import CommandError

    return CommandError(message)


def _acting_user(username: str | None) -> Any:
    from django.contrib.auth import get_user_model

    from theodoi.ingest.demo import DATA_USER

    User = get_user_model()
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise _error(f"không có người dùng “{username}”.")
        return user
    user, _ = User.objects.get_or_create(
        username=DATA_USER, defaults={"first_name": "Nạp dữ liệu", "is_active": False}
    )
    return user


def _lexicon() -> list[str]:
    """The database's names and titles, or nothing when there is no database yet."""
    from django.db.utils import OperationalError, ProgrammingError

    from theodoi.ingest.archive.services import lexicon_texts

    try:
        return lexicon_texts()
    except (OperationalError, ProgrammingError):
        return []


def _extraction(path: Path):
    from theodoi.domain.extraction import extract
    from theodoi.ingest.archive.reader import UnreadableFile, read_text

    if not path.exists():
        raise _error(f"không có tệp {path}.")
    try:
        text = read_text(path)
    except UnreadableFile as exc:
        raise _error(str(exc)) from None
    return extract(text, lexicon=_lexicon())


def cmd_ingest(args: Any) -> None:
    from theodoi.ingest.archive.reader import UnreadableFile
    from theodoi.ingest.archive.services import document_ingest, files_in, lexicon_texts

    paths = [Path(p) for p in args.files]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise _error("không có tệp hoặc thư mục: " + ", ".join(missing))
    user = _acting_user(args.as_user)
    files = files_in(paths)
    if not files:
        raise _error("không có tệp .txt, .docx hoặc .pdf nào để nạp.")
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


def cmd_bench_extract(args: Any) -> None:
    import yaml

    from theodoi.domain.extraction_score import score
    from theodoi.domain.figures import read_figures
    from theodoi.ingest.archive.reader import read_text

    keys = sorted(Path(args.keys).rglob("*.yaml"))
    if not keys:
        raise _error(f"không có đáp án .yaml nào trong {args.keys}.")
    report = []
    for key_path in keys:
        key = yaml.safe_load(key_path.read_text(encoding="utf-8"))
        source = Path(args.sources) / key["source"]
        if not source.exists():
            source = key_path.parent / key["source"]
        if not source.exists():
            raise _error(f"{key_path.name}: không thấy văn bản nguồn {key['source']}.")
        s = score(key["figures"], read_figures(read_text(source)))
        report.append(
            {
                "document": key["source"],
                "expected": s.expected,
                "found": s.found,
                "matched": s.matched,
                "recall": round(s.recall, 4),
                "precision": round(s.precision, 4),
                "periods_agree": s.period_agrees,
                "missed": [f"{m['element']}={m['value']} (dòng {m['line']})" for m in s.missed],
                "wrong": [f"{f.element}={f.value} (dòng {f.line})" for f in s.wrong],
                "extra": [f"{f.element}={f.value} (dòng {f.line})" for f in s.extra],
            }
        )
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    heads = ("đáp án", "tìm được", "đúng", "recall", "precision", "kỳ đúng")
    print(
        f"{'văn bản':<36} {heads[0]:>6} {heads[1]:>8} {heads[2]:>5} {heads[3]:>7} "
        f"{heads[4]:>9} {heads[5]:>8}"
    )
    for row in report:
        periods = f"{row['periods_agree']}/{row['matched']}"
        print(
            f"{row['document']:<36} {row['expected']:>6} {row['found']:>8} {row['matched']:>5} "
            f"{row['recall']:>7.1%} {row['precision']:>9.1%} {periods:>8}"
        )
        for label in ("missed", "wrong", "extra"):
            if row[label]:
                name = {"missed": "bỏ sót", "wrong": "sai giá trị", "extra": "ngoài đáp án"}
                print(f"    {name[label]}: " + "; ".join(row[label]))
