"""Report on the questions people ask (qa_people): retrieval and answers per style, type and turn,
on the shared corpus alone and on corpus + the real library, beside the baselines.

Retrieval rows: the shipped learned ranking, the reciprocal-rank fusion it replaced (the baseline),
lexical only and dense only. Answer rows: the shipped models as `styrdok eval answer` gives them,
and (with --cv) the cross-validated figures of eval/cv_answers.py, where no question is answered by
models fitted on it.

    .venv/bin/python eval/people_report.py --corpus-index eval/.cache/index --full-index eval/.cache/index-full \\
        --cv eval/reports/cv-answers-2026-12-02.json --out eval/reports/people-2026-12-02.md

With --questions eval/qa_written3.jsonl the same report on 50 questions written in people's words that no shipped
model was fitted on (the report says which, from assistant/data/answering.yaml).
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
from importlib import resources
from pathlib import Path

import yaml

from assistant.answering.evaluate import QAItem, duplicate_groups, evaluate
from assistant.api import Styrdok
from assistant.evaluation import duplicate_groups as doc_duplicates
from assistant.evaluation import evaluate_retrieval, load_questions, same_document

SHARED = Path(__file__).resolve().parents[2] / "shared"


def subset(rows: list[dict], docs: set[str]) -> list[dict]:
    """Questions this index can answer (gold in it) and the unanswerable ones, conversations kept whole."""
    keep_conversations = {
        r["conversation"]
        for r in rows
        if r.get("conversation")
        and (not r.get("evidence") or any(same_document(e["doc"], docs) for e in r["evidence"]))
    }
    out = []
    for r in rows:
        if r.get("conversation"):
            if r["conversation"] in keep_conversations:
                out.append(r)
        elif not r.get("evidence") or any(same_document(e["doc"], docs) for e in r["evidence"]):
            out.append(r)
    return out


def retrieval_rows(api: Styrdok, rows: list[dict]) -> dict[str, dict]:
    lib = api.library
    dups = doc_duplicates(api.documents())
    learned = lib.settings.search.learned_ranking
    out = {}
    for name, mode, use_model in (
        ("Styrdok (inlärd rangordning)", "hybrid", True),
        ("baslinje: viktad RRF", "hybrid", False),
        ("endast lexikal", "lexical", True),
        ("endast vektor", "dense", True),
    ):
        lib.settings.search.learned_ranking = use_model
        out[name] = evaluate_retrieval(rows, lambda q, m=mode: api.search(q, k=10, mode=m), dups)["metrics"]
    lib.settings.search.learned_ranking = learned
    return out


def table_retrieval(results: dict[str, dict]) -> str:
    keys = sorted({k for m in results.values() for k in m}, key=lambda k: (k != "alla", ":" in k, k))
    lines = [
        "| rad | n | " + " | ".join(f"{name} R@5 (R@1, MRR)" for name in results) + " |",
        "|---|---|" + "---|" * len(results),
    ]
    for key in keys:
        cells = []
        n = next((m[key]["n"] for m in results.values() if key in m), 0)
        for metrics in results.values():
            m = metrics.get(key)
            cells.append(f"{m['recall@5']:.2f} ({m['recall@1']:.2f}, {m['mrr@10']:.2f})" if m else "–")
        lines.append(f"| {key} | {n} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def table_answers(report: dict) -> str:
    lines = [
        "| rad | frågor | nyckel-recall | källprecision | ej besvarbara avstådda | felaktigt avstått |",
        "|---|---|---|---|---|---|",
    ]

    def fmt(v):
        return "–" if v is None else f"{v:.2f}"

    rows = [("alla", report["overall"])]
    rows += [(k, v) for k, v in report["by_type"].items()]
    rows += [(f"stil: {k}", v) for k, v in report.get("by_style", {}).items()]
    rows += [(f"samtal: {k}", v) for k, v in report.get("by_turn", {}).items()]
    for name, f in rows:
        lines.append(
            f"| {name} | {f['questions']} | {fmt(f['answer_key_recall'])} | {fmt(f['citation_precision'])} | "
            f"{fmt(f['unanswerable_abstained'])} | {fmt(f['wrongly_abstained'])} |"
        )
    return "\n".join(lines)


def fitted_sets() -> set[str]:
    """The question files the shipped answer-unit model was fitted on, as its `chosen` names them (by whole file
    name: a set "dev.jsonl" is not fitted on because "qa_dev.jsonl" is)."""
    data = yaml.safe_load((resources.files("assistant.data") / "answering.yaml").read_text(encoding="utf-8"))
    return set(re.findall(r"[\w.-]+\.jsonl", data.get("chosen", "")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus-index", type=Path, required=True)
    parser.add_argument("--full-index", type=Path, required=True)
    parser.add_argument("--questions", type=Path, default=SHARED / "eval" / "qa_people.jsonl")
    parser.add_argument("--cv", type=Path, default=None, help="JSON from eval/cv_answers.py (corpus + library).")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    all_rows = load_questions(args.questions)
    name = args.questions.name
    parts = [f"# Frågor som folk ställer ({args.questions.stem}) – {datetime.date.today().isoformat()}", ""]
    default = args.questions == parser.get_default("questions")
    parts.append(
        f"Kommando: `.venv/bin/python eval/people_report.py --corpus-index {args.corpus_index} "
        f"--full-index {args.full_index}{'' if default else ' --questions ' + str(args.questions)}"
        f"{' --cv ' + str(args.cv) if args.cv else ''} --out {args.out}`"
    )
    fitted = name in fitted_sets()
    shipped = (
        "modellerna är anpassade på bl.a. dessa frågor"
        if fitted
        else "inga av dessa frågor har använts för att anpassa modellerna"
    )
    for label, index in (("Delade korpusen", args.corpus_index), ("Korpusen + Botkyrkas bibliotek", args.full_index)):
        api = Styrdok.open(index)
        rows = subset(all_rows, {m.doc for m in api.documents()})
        parts += [
            "",
            f"## {label} ({len(rows)} frågor, index {index})",
            "",
            "### Sökning (R@5, inom parentes R@1 och MRR@10)",
            "",
        ]
        parts.append(table_retrieval(retrieval_rows(api, rows)))
        report = evaluate(api.answerer(), [QAItem.model_validate(r) for r in rows], duplicate_groups(api.library))
        parts += ["", f"### Svar med de levererade modellerna ({shipped})", ""]
        parts.append(table_answers(json.loads(report.model_dump_json(exclude={"results"}))))
        parts.append(f"\nSvarstid p50 {report.latency_p50:.3f} s, p95 {report.latency_p95:.3f} s.")
    if args.cv and args.cv.exists():
        cv = json.loads(args.cv.read_text(encoding="utf-8"))
        parts += [
            "",
            "## Korsvaliderade svar (korpusen + biblioteket; ingen fråga besvaras av modeller anpassade på den)",
            "",
        ]
        parts.append(table_answers(cv))
        parts.append(
            "\nPer del: "
            + "; ".join(
                f"del {f['fold'] + 1}: tröskel {f['threshold']}, nyckel-recall {f['answer_key_recall']}, "
                f"källprecision {f['citation_precision']}"
                for f in cv["folds"]
            )
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(parts) + "\n", encoding="utf-8")
    print("\n".join(parts))


if __name__ == "__main__":
    main()
