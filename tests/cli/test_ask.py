"""`theodoi ask`: one question, a conversation read from standard input, a person's scope, and
`theodoi bench ask` printing its figures beside their targets."""

from __future__ import annotations

import io
import json
import sys

import pytest

from theodoi.cli import main

pytestmark = pytest.mark.django_db


def test_ask_prints_answer_how_and_source(dataset, capsys):
    assert (
        main(["ask", "so ho so tiep nhan tu 01/07/2025 den 04/11/2025", "--as-of", "20/04/2026"])
        == 0
    )
    out = capsys.readouterr().out
    assert "5.092 hồ sơ" in out
    assert "Cách tính:" in out and "Nguồn:" in out and "dòng 389" in out


def test_ask_json_says_missing_not_zero(dataset, capsys):
    assert main(["ask", "so tai khoan vneid kich hoat", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["missing"] is True and data["value"] is None and not data["refused"]


def test_conversation_on_standard_input_keeps_context(dataset, capsys, monkeypatch):
    lines = "tỷ lệ hồ sơ trực tuyến quý 1 năm 2026\nso với quý trước thì sao?\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    assert main(["ask", "--json", "--as-of", "20/04/2026"]) == 0
    out = capsys.readouterr().out
    decoder, answers, at = json.JSONDecoder(), [], 0
    while out[at:].strip():
        found, at = decoder.raw_decode(out, at + len(out[at:]) - len(out[at:].lstrip()))
        answers.append(found)
    assert len(answers) == 2
    assert "so với kỳ trước" in answers[1]["understood"]
    assert len(answers[1]["rows"]) == 2


def test_ask_as_a_user_answers_within_their_scope(dataset, capsys):
    assert main(["ask", "nhiem vu qua han cua cong an dac khu", "--user", "vhxh.baocao"]) == 0
    assert "không được xem" in capsys.readouterr().out


def test_unknown_user_is_a_clear_error(dataset, capsys):
    assert main(["ask", "bao nhieu nhiem vu", "--user", "khong-co"]) != 0
    assert "Không có người dùng" in capsys.readouterr().err


def test_bench_ask_prints_figures_beside_targets(dataset, capsys):
    assert main(["bench", "ask"]) == 0
    out = capsys.readouterr().out
    assert "mục tiêu ≥ 95%" in out and "Sai: 0 (mục tiêu 0)" in out and "mục tiêu < 300 ms" in out
