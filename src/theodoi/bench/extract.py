"""``theodoi bench extract``: recall and precision of the figure extraction against answer
keys written by hand (``tests/data/extraction``; docs/extraction.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parents[3]
DEFAULT_KEYS = ROOT / "tests" / "data" / "extraction"
DEFAULT_SOURCES = ROOT.parent / "shared" / "seeds"


class AnswerKeyError(ValueError):
    """An answer key that cannot be scored (no keys, a source that is not there)."""


class ExtractBench(NamedTuple):
    rows: list[dict[str, Any]]
    # (answer key, source) not scored: the sources directory is not there (a fresh clone
    # without ../shared/seeds) and the source is not beside its key either.
    left_out: list[tuple[str, str]]


SEEDS_NOTE = "văn bản gốc của Cát Hải, không kèm trong kho mã"


def score_keys(
    keys_dir: Path, sources_dir: Path, *, sources_optional: bool = False
) -> ExtractBench:
    """One row per answer key: expected, found, matched, recall, precision, periods agreeing,
    and what was missed, wrong or extra. A key's source is looked for in ``sources_dir``, then
    beside the key. With ``sources_optional`` (the default directory, ../shared/seeds, which the
    repository does not hold) a missing ``sources_dir`` leaves out the keys whose source is
    only there, and names them, rather than failing; at least one key must be scored."""
    import yaml

    from theodoi.domain.extraction_score import score
    from theodoi.domain.figures import read_figures
    from theodoi.filetext import read_text

    sources_dir = Path(sources_dir)
    keys = sorted(Path(keys_dir).rglob("*.yaml"))
    if not keys:
        raise AnswerKeyError(f"không có đáp án .yaml nào trong {keys_dir}.")
    if not sources_optional and not sources_dir.is_dir():
        raise AnswerKeyError(f"không có thư mục văn bản nguồn {sources_dir}.")
    report, left_out = [], []
    for key_path in keys:
        key = yaml.safe_load(key_path.read_text(encoding="utf-8"))
        source = sources_dir / key["source"]
        if not source.exists():
            source = key_path.parent / key["source"]
        if not source.exists():
            if not sources_dir.is_dir():
                left_out.append((key_path.name, key["source"]))
                continue
            raise AnswerKeyError(
                f"{key_path.name}: không thấy văn bản nguồn {key['source']} trong {sources_dir} "
                f"hay {key_path.parent}."
            )
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
    if not report:
        raise AnswerKeyError(
            f"không chấm được đáp án nào: cả {len(left_out)} đáp án trong {keys_dir} cần văn bản "
            f"nguồn ở {sources_dir}, mà thư mục này không có ({SEEDS_NOTE}); hãy chỉ thư mục "
            "văn bản nguồn bằng --sources."
        )
    return ExtractBench(report, left_out)


def left_out_note(bench: ExtractBench, sources_dir: Path) -> str:
    """What was not scored and why, for the person reading the figures."""
    names = ", ".join(f"{key} ({source})" for key, source in bench.left_out)
    return (
        f"Bỏ qua {len(bench.left_out)} đáp án vì không có thư mục văn bản nguồn {sources_dir} "
        f"({SEEDS_NOTE}): {names}. Kết quả chỉ gồm {len(bench.rows)} đáp án có văn bản trong "
        "kho mã; chỉ thư mục chứa các văn bản còn thiếu bằng --sources để chấm đủ."
    )


def print_report(report: list[dict[str, Any]]) -> None:
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
