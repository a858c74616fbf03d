"""eval/run_all.py: metric helpers, the verdict and the report written from (synthetic) results."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))

import run_all  # noqa: E402


def _result(ranks: list[int | None], types: list[str] | None = None) -> dict:
    types = types or ["krav"] * len(ranks)
    questions = [{"id": f"q{i}", "type": t, "rank": r} for i, (r, t) in enumerate(zip(ranks, types, strict=True))]

    def metrics(rs):
        n = len(rs)
        out = {"n": n}
        for k in (1, 5, 10):
            out[f"recall@{k}"] = round(sum(1 for r in rs if r is not None and r <= k) / n, 3)
        out["mrr@10"] = round(sum(1 / r for r in rs if r is not None and r <= 10) / n, 3)
        return out

    by_type: dict[str, list] = {}
    for r, t in zip(ranks, types, strict=True):
        by_type.setdefault(t, []).append(r)
    return {
        "metrics": {"alla": metrics(ranks), **{t: metrics(rs) for t, rs in by_type.items()}},
        "questions": questions,
    }


RETRIEVAL = {
    "hybrid": _result([1, 1, 2, None], ["krav", "roll", "roll", "fakta"]),
    "lexical": _result([1, 2, 3, None], ["krav", "roll", "roll", "fakta"]),
    "dense": _result([None, 4, 9, None], ["krav", "roll", "roll", "fakta"]),
    "bm25-plain": _result([2, 1, 6, None], ["krav", "roll", "roll", "fakta"]),
    "langchain-minilm-chroma": _result([None, None, 8, None], ["krav", "roll", "roll", "fakta"]),
}


def test_recall_curve_from_ranks():
    curve = run_all.recall_curve([{"rank": 1}, {"rank": 3}, {"rank": None}, {"rank": 10}])
    assert curve[0] == 0.25 and curve[2] == 0.5 and curve[9] == 0.75 and len(curve) == 10


def test_verdict_requires_beating_both_on_r1_and_r5():
    v = run_all.verdict(RETRIEVAL)
    assert v["beats_both"] and v["bm25-plain"]["beats"]
    tied = dict(RETRIEVAL, **{"bm25-plain": RETRIEVAL["hybrid"]})
    assert not run_all.verdict(tied)["beats_both"]
    missing = {k: v for k, v in RETRIEVAL.items() if k != "langchain-minilm-chroma"}
    assert not run_all.verdict(missing)["beats_both"]


def test_last_json_finds_one_line_and_pretty_output():
    assert run_all.last_json('noise\n{"a": 1}\n') == {"a": 1}
    assert run_all.last_json('log line\n{\n "a": {\n  "b": 2\n }\n}\n') == {"a": {"b": 2}}
    assert run_all.last_json("no json here") is None


def test_report_has_the_headline_table_figures_and_commands(tmp_path):
    results = {
        "meta": {"command": ".venv/bin/python eval/run_all.py", "total_seconds": 12.0, "git_commit": "abc"},
        "steps": {
            "retrieval": {
                "status": "ok",
                "seconds": 3.0,
                "sets": {
                    "dev": {
                        "questions": "../shared/eval/qa_dev.jsonl",
                        "results": RETRIEVAL,
                        "commands": {"styrdok": "styrdok eval retrieval X", "baselines": "eval/baselines.py Y"},
                        "baseline_meta": {"text": "load_document"},
                        "verdict": run_all.verdict(RETRIEVAL),
                    }
                },
            },
            "answer": {"status": "not available", "note": "`styrdok eval answer` does not exist yet"},
            "lint": {"status": "failed", "error": "boom"},
            "others": {"status": "ok", "bench_ui.py": {"status": "not available"}},
            "search": {
                "status": "ok",
                "command": "eval/bench_search.py Z",
                "figures": {"chunks": 10, "questions": 4, "hybrid_warm": {"p50_ms": 1.0, "p95_ms": 2.0, "max_ms": 3.0}},
            },
            "scale": {"status": "skipped"},
        },
    }
    md, js = run_all.write_outputs(results, tmp_path, "2000-01-01")
    text = md.read_text()
    assert "| Styrdok hybrid | 4 | 0.50 | 0.75 | 0.75 | 0.62 |" in text
    assert "styrdok eval retrieval X" in text and "eval/baselines.py Y" in text and "eval/bench_search.py Z" in text
    assert "beats both baselines on recall@1 and recall@5" in text
    assert "Not available" in text and "**Failed**" in text and "Skipped" in text
    assert "bench_ui.py`: not available" in text
    for name in ("2000-01-01-recall-at-k.png", "2000-01-01-per-type.png"):
        assert (tmp_path / name).stat().st_size > 1000
        assert f"]({name})" in text
    data = json.loads(js.read_text())
    assert data["figures"]["recall_curve_dev"] == "2000-01-01-recall-at-k.png"


def test_answer_and_lint_figures_render_as_tables():
    answer = {
        "overall": {"questions": 3, "answer_key_recall": 0.5, "citation_precision": 1.0, "wrongly_abstained": 0.0},
        "by_type": {"krav": {"questions": 3, "answer_key_recall": 0.5}},
        "results": [{"id": "x"}],
        "latency_p50": 0.2,
    }
    text = run_all.render_eval_figures(answer)
    assert "| all | 3 | 0.50 | 1.00 | – | 0.00 |" in text and "| krav | 3 | 0.50 |" in text
    assert '"id"' not in text and "latency_p50 0.20" in text
    lint = {
        "rules": [
            {
                "rule": "insyn",
                "findings": 1,
                "matched_findings": 1,
                "defects": 2,
                "matched_defects": 1,
                "precision": 1.0,
                "recall": 0.5,
            }
        ],
        "overall": {
            "findings": 1,
            "matched_findings": 1,
            "defects": 2,
            "matched_defects": 1,
            "precision": 1.0,
            "recall": 0.5,
        },
        "missed": [{"rule": "insyn"}],
    }
    text = run_all.render_eval_figures(lint)
    assert "| insyn | 1 | 1 | 2 | 1 | 1.00 | 0.50 |" in text and "| **all** |" in text and "missed" in text
    assert run_all.render_eval_figures({"a": 1, "b": [1, 2]}).startswith("```json")


def test_the_people_report_is_part_of_the_benchmark_report(tmp_path):
    """The per-style report on qa_people sits in the benchmark report under its own heading, its headings
    nested below it; without the corpus + library index the report says how to build it."""
    people = "# Frågor som folk ställer\n\nKommando: `eval/people_report.py`\n\n## Delade korpusen\n\n| alla | 0.74 |\n"
    steps = {"people": {"status": "ok", "cv_report": "eval/reports/cv-answers-x.json", "markdown": people}}
    md, _ = run_all.write_outputs({"meta": {}, "steps": steps}, tmp_path, "2000-01-01")
    text = md.read_text()
    assert "### Questions people ask (qa_people)" in text
    assert "#### Delade korpusen" in text and "| alla | 0.74 |" in text and "eval/reports/cv-answers-x.json" in text
    assert "# Frågor som folk ställer" not in text

    typed = {"r_at_5": 0.746, "overall": {"answer_key_recall": 0.532, "citation_precision": 0.604}}
    steps["people"]["wrapped"] = {
        "status": "ok",
        "command": "eval/wrapped_questions.py",
        "figures": {"med ett skrivfel": typed},
    }
    md, _ = run_all.write_outputs({"meta": {}, "steps": steps}, tmp_path, "2000-01-03")
    text = md.read_text()
    assert "#### The same questions as people type them" in text and "`eval/wrapped_questions.py`" in text
    assert "| med ett skrivfel | 0.746 | 0.532 | 0.604 | – | – |" in text

    written = "# Frågor som folk ställer (qa_written)\n\n## Korpusen + Botkyrkas bibliotek\n\n| alla | 0.69 |\n"
    steps["people"]["written"] = [
        {"name": "qa_a.jsonl", "status": "ok", "command": "eval/people_report.py --questions a", "markdown": written},
        {"name": "qa_b.jsonl", "status": "failed", "command": "eval/people_report.py --questions b"},
    ]
    md, _ = run_all.write_outputs({"meta": {}, "steps": steps}, tmp_path, "2000-01-04")
    text = md.read_text()
    assert "#### Questions written in people's words that no model was fitted on (eval/qa_a.jsonl)" in text
    assert "##### Korpusen + Botkyrkas bibliotek" in text and "| alla | 0.69 |" in text
    assert "(qa_written)" not in text and "eval/qa_b.jsonl" not in text

    steps["people"]["written"][0]["real"] = True
    md, _ = run_all.write_outputs({"meta": {}, "steps": steps}, tmp_path, "2000-01-05")
    text = md.read_text()
    assert "#### Questions real people asked on public pages, verbatim" in text and "(eval/qa_a.jsonl)" in text
    assert "written in people's words that no model was fitted on (eval/qa_a.jsonl)" not in text


def test_a_set_of_real_questions_is_told_by_its_pages(tmp_path):
    """run_all.asked_on_pages: every line names the public page it was asked on (qa_written41-43), or the set was
    written for the project (no `source`)."""
    real = tmp_path / "real.jsonl"
    real.write_text('{"id": "a", "source": "https://lawline.se/x"}\n{"id": "b", "source": "https://ivo.se/y"}\n')
    written = tmp_path / "written.jsonl"
    written.write_text('{"id": "a", "source": "https://lawline.se/x"}\n{"id": "b"}\n')
    assert run_all.asked_on_pages(real)
    assert not run_all.asked_on_pages(written)
    assert run_all.asked_on_pages(ROOT / "eval" / "qa_written41.jsonl")
    assert not run_all.asked_on_pages(ROOT / "eval" / "qa_written40.jsonl")

    missing = {
        "people": {"status": "not available", "note": "no corpus + library index; build it with `styrdok ingest`"}
    }
    md, _ = run_all.write_outputs({"meta": {}, "steps": missing}, tmp_path, "2000-01-02")
    assert "Not available: no corpus + library index" in md.read_text()


def test_the_people_report_knows_the_fitted_sets_by_their_whole_names():
    """eval/people_report.py says whether the shipped models were fitted on the set it reports: by the file names
    the model file lists, not by a substring of its text ("dev.jsonl" is not "qa_dev.jsonl"). The held-out sets stay
    held out."""
    import people_report
    from question_sets import HELD_OUT

    fitted = people_report.fitted_sets()
    assert {"qa_people.jsonl", "qa_dev.jsonl", "qa_written11.jsonl"} <= fitted
    assert len(HELD_OUT) >= 10 and not (set(HELD_OUT) | {"dev.jsonl"}) & fitted


def test_the_training_sets_and_the_held_out_sets_are_apart():
    """eval/question_sets.py: every set the training scripts fit on by default exists, and no held-out set is one
    of them."""
    from question_sets import HELD_OUT, TRAINING

    assert all(p.is_file() for p in TRAINING if "shared" not in p.parts)
    assert not {p.name for p in TRAINING} & set(HELD_OUT)
    assert all((ROOT / "eval" / name).is_file() for name in HELD_OUT)
