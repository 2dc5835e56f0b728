"""`theodoi bench extract`: recall and precision against the answer keys in
tests/data/extraction. Two keys are of Cát Hải's seeds, whose texts are in ../shared/seeds and
not in the repository: a fresh clone scores the others and says which it left out."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from theodoi.cli import bench as bench_command
from theodoi.cli import main

KEYS = Path(__file__).resolve().parents[1] / "data" / "extraction"
ALL_KEYS = sorted(KEYS.rglob("*.yaml"))


def source(key_path: Path) -> str:
    return yaml.safe_load(key_path.read_text(encoding="utf-8"))["source"]


OWNED = [k for k in ALL_KEYS if (k.parent / source(k)).exists()]
OF_SEEDS = [k for k in ALL_KEYS if k not in OWNED]


def run(capsys, *argv):
    code = main(["bench", "extract", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def no_seeds(tmp_path, monkeypatch):
    """A checkout with nothing beside it: the default sources directory does not exist."""
    missing = tmp_path / "shared" / "seeds"
    monkeypatch.setattr(bench_command, "EXTRACTION_SOURCES", missing)
    return missing


def test_the_repository_holds_keys_of_both_kinds():
    assert len(OWNED) >= 5 and [k.name for k in OF_SEEDS] == ["001.yaml", "004.yaml"]


def test_without_the_seeds_the_owned_keys_are_scored_and_the_others_named(no_seeds, capsys):
    code, out, err = run(capsys, "--json")
    assert code == 0
    rows = json.loads(out)
    assert sorted(r["document"] for r in rows) == sorted(source(k) for k in OWNED)
    assert all(r["recall"] > 0 for r in rows)
    assert str(no_seeds) in err and "không kèm trong kho mã" in err
    for key in OF_SEEDS:
        assert f"{key.name} ({source(key)})" in err
    assert f"{len(OWNED)} đáp án" in err


def test_without_the_seeds_the_table_is_printed_and_the_note_too(no_seeds, capsys):
    code, out, err = run(capsys)
    assert code == 0
    assert "an-binh-45-BC-UBND.txt" in out and "001_" not in out
    assert "Bỏ qua 2 đáp án" in err and "--sources" in err


def test_keys_that_all_need_the_missing_seeds_are_an_error(no_seeds, capsys, tmp_path):
    keys = tmp_path / "dap-an"
    keys.mkdir()
    for key in OF_SEEDS:
        shutil.copy(key, keys / key.name)
    code, out, err = run(capsys, "--keys", str(keys))
    assert code == 2 and out == ""
    assert "Lỗi: không chấm được đáp án nào" in err and str(no_seeds) in err


def test_a_sources_directory_named_but_not_there_is_an_error(capsys, tmp_path):
    code, out, err = run(capsys, "--sources", str(tmp_path / "khong-co"))
    assert code == 2 and out == ""
    assert f"Lỗi: không có thư mục văn bản nguồn {tmp_path / 'khong-co'}" in err


def test_a_source_missing_from_a_sources_directory_that_exists_is_an_error(capsys, tmp_path):
    code, out, err = run(capsys, "--sources", str(tmp_path))
    assert code == 2 and out == ""
    assert "001.yaml: không thấy văn bản nguồn 001_" in err and str(tmp_path) in err


@pytest.mark.seeds
def test_with_the_seeds_every_key_is_scored(capsys):
    code, out, err = run(capsys, "--json")
    assert code == 0 and err == ""
    assert sorted(r["document"] for r in json.loads(out)) == sorted(source(k) for k in ALL_KEYS)
