"""`styrdok ask` and `styrdok eval answer` through click's runner, over a fake library."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from test_answering_fakes import seed_searcher

import assistant.library
from assistant.answering import ABSTAIN_TEXT
from assistant.answering.cli import ask_command, eval_answer_command


@pytest.fixture
def fake_library(monkeypatch):
    searcher = seed_searcher()
    monkeypatch.setattr(assistant.library, "open_library", lambda index=None, **kw: searcher)
    return searcher


def test_ask_prints_answer_and_numbered_sources(fake_library):
    result = CliRunner().invoke(ask_command, ["Vem godkänner utförare i ett valfrihetssystem?"])
    assert result.exit_code == 0, result.output
    assert "Beställare bestämmer värdet" in result.output
    assert "Källor:" in result.output and "[1]" in result.output
    assert "002_b8511d1d7f6ea031.txt" in result.output


def test_ask_abstains_with_nearest_passages(fake_library):
    result = CliRunner().invoke(ask_command, ["Vilka öppettider har Täby kommuns kontaktcenter?"])
    assert result.exit_code == 0
    assert result.output.startswith(ABSTAIN_TEXT)
    assert "Närmaste textavsnitt:" in result.output


def test_ask_json(fake_library):
    result = CliRunner().invoke(ask_command, ["Hur brukar en sanktionstrappa se ut?", "--json"])
    out = json.loads(result.output)
    assert out["abstained"] is False
    assert set(out["citations"][0]) == {"doc", "title", "page", "section", "quote"}


def test_batch_json_contract(fake_library, tmp_path):
    questions = tmp_path / "q.jsonl"
    rows = [
        {"id": "a", "question": "Vem godkänner utförare i ett valfrihetssystem?"},
        {"id": "b", "question": "Vad kostar en parkeringsplats vid Täby kommunhus?"},
    ]
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(ask_command, ["--batch", str(questions), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [set(x) for x in lines] == [{"id", "answer", "abstained", "citations"}] * 2
    assert lines[0]["id"] == "a" and not lines[0]["abstained"]
    c = lines[0]["citations"][0]
    assert set(c) == {"doc", "title", "page", "section", "quote"}
    assert c["quote"] in fake_library.texts[c["doc"]]
    assert lines[1] == {"id": "b", "answer": ABSTAIN_TEXT, "abstained": True, "citations": []}


def test_batch_details_add_how_it_was_read_and_what_came_nearest(fake_library, tmp_path):
    """--details keeps the contract's fields first and adds the resolved question, the notes and, on an
    abstention, the nearest passages; without it the lines are exactly the contract (test above)."""
    rows = [
        {"id": "a", "question": "Vem godkänner utförare i ett valfrihetssystem?", "conversation": "s"},
        {"id": "b", "question": "Och vem följer upp dem?", "conversation": "s"},
        {"id": "c", "question": "Vilka öppettider har Täby kommuns kontaktcenter?"},
    ]
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(ask_command, ["--batch", str(questions), "--json", "--details"])
    assert result.exit_code == 0, result.output
    lines = {line["id"]: line for line in map(json.loads, result.output.splitlines())}
    contract = ["id", "answer", "abstained", "citations"]
    assert all(list(line)[:4] == contract for line in lines.values())
    assert all(set(line) == {*contract, "resolved_question", "notes", "nearest"} for line in lines.values())
    assert lines["a"]["resolved_question"] is None  # read as typed
    assert "valfrihetssystem" in lines["b"]["resolved_question"]  # "dem" read through the turn before
    assert lines["c"]["abstained"] and lines["c"]["citations"] == []
    nearest = lines["c"]["nearest"]
    assert nearest and all(n["quote"] in fake_library.texts[n["doc"]] for n in nearest)


def test_bad_batch_line_is_a_swedish_error(fake_library, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"id": "a"}\n', encoding="utf-8")
    result = CliRunner().invoke(ask_command, ["--batch", str(questions), "--json"])
    assert result.exit_code != 0
    assert "rad 1" in str(result.exception)


def test_eval_answer_reports_per_type(fake_library, tmp_path, monkeypatch):
    # The report, not the choice of passages: one passage per answer (no second one when the unit
    # model is unsure, see tests/test_answering_choice.py), so each figure is known.
    from assistant.answering import citing

    monkeypatch.setattr(citing, "ALTERNATIVE", 0.0)
    questions = tmp_path / "dev.jsonl"
    items = [
        {
            "id": "d08",
            "question": "Vem godkänner utförare i ett valfrihetssystem?",
            "type": "roll",
            "answer_keys": ["beställare"],
            "evidence": [{"doc": "002_b8511d1d7f6ea031.txt", "quote": "Beställare bestämmer värdet på tjänsten"}],
        },
        {
            "id": "d13",
            "question": "Vilka öppettider har Täby kommuns kontaktcenter?",
            "type": "ej_besvarbar",
            "answer_keys": [],
            "evidence": [],
        },
    ]
    questions.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", encoding="utf-8")
    result = CliRunner().invoke(eval_answer_command, ["--questions", str(questions), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["overall"]["answer_key_recall"] == 1.0
    assert report["overall"]["citation_precision"] == 1.0
    assert report["overall"]["unanswerable_abstained"] == 1.0
    assert report["overall"]["wrongly_abstained"] == 0.0
    assert set(report["by_type"]) == {"roll", "ej_besvarbar"}
    text = CliRunner().invoke(eval_answer_command, ["--questions", str(questions)]).output
    assert "nyckel-recall" in text and "roll" in text


def test_batch_honours_conversations(fake_library, tmp_path):
    """Lines sharing a conversation value are one conversation, in file order; other lines stand alone."""
    follow_up = "Och vem följer upp dem?"
    rows = [
        {"id": "c1", "question": "Vem godkänner utförare i ett valfrihetssystem?", "conversation": "s1"},
        {"id": "x", "question": follow_up},
        {"id": "c2", "question": follow_up, "conversation": "s1"},
    ]
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(ask_command, ["--batch", str(questions), "--json"])
    assert result.exit_code == 0, result.output
    lines = {line["id"]: line for line in map(json.loads, result.output.splitlines())}
    assert set(lines["c2"]) == {"id", "answer", "abstained", "citations"}  # the contract shape stays
    assert not lines["c2"]["abstained"] and lines["c2"]["citations"]
    assert lines["c2"]["answer"] != lines["x"]["answer"]  # alone, "dem" refers to nothing asked before


def test_eval_answer_reports_styles_and_follow_ups(fake_library, tmp_path):
    rows = [
        {
            "id": "c1",
            "question": "Vem godkänner utförare i ett valfrihetssystem?",
            "type": "roll",
            "style": "politiker",
            "conversation": "s1",
            "answer_keys": ["beställare"],
            "evidence": [{"doc": "002_b8511d1d7f6ea031.txt", "quote": "Beställare bestämmer värdet"}],
        },
        {
            "id": "c2",
            "question": "Och vem följer upp dem?",
            "type": "roll",
            "style": "politiker",
            "conversation": "s1",
            "answer_keys": [],
            "evidence": [],
        },
    ]
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(eval_answer_command, ["--questions", str(questions), "--json"])
    report = json.loads(result.output)
    assert set(report["by_style"]) == {"politiker"}
    assert set(report["by_turn"]) == {"första frågan", "följdfråga"}
    assert [r["turn"] for r in report["results"]] == [0, 1]
