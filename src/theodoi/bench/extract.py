"""``theodoi bench extract``: recall and precision of the figure extraction against answer
keys written by hand (``tests/data/extraction``; docs/extraction.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
DEFAULT_KEYS = ROOT / "tests" / "data" / "extraction"
DEFAULT_SOURCES = ROOT.parent / "shared" / "seeds"


class AnswerKeyError(ValueError):
    """An answer key that cannot be scored (no keys, a source that is not there)."""


def score_keys(keys_dir: Path, sources_dir: Path) -> list[dict[str, Any]]:
    """One row per answer key: expected, found, matched, recall, precision, periods agreeing,
    and what was missed, wrong or extra."""
    import yaml

    from theodoi.archive.reader import read_text
    from theodoi.domain.extraction_score import score
    from theodoi.domain.figures import read_figures

    keys = sorted(Path(keys_dir).rglob("*.yaml"))
    if not keys:
        raise AnswerKeyError(f"không có đáp án .yaml nào trong {keys_dir}.")
    report = []
    for key_path in keys:
        key = yaml.safe_load(key_path.read_text(encoding="utf-8"))
        source = Path(sources_dir) / key["source"]
        if not source.exists():
            source = key_path.parent / key["source"]
        if not source.exists():
            raise AnswerKeyError(f"{key_path.name}: không thấy văn bản nguồn {key['source']}.")
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
    return report


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
