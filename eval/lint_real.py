"""Lint the real procurement documents and score the findings against a procurement lawyer's verdicts.

    .venv/bin/python eval/lint_real.py                      # findings with their verdicts, and precision
    .venv/bin/python eval/lint_real.py --unjudged           # only findings without a verdict
    .venv/bin/python eval/lint_real.py --markdown OUT.md    # the per-finding table for eval/reports/
    .venv/bin/python eval/lint_real.py --findings eval/reports/lint_real_before.json \
        --verdicts eval/reports/lint_real_verdicts_before.jsonl    # score saved findings (the baseline)

The documents are the six real tender PDFs in ../shared/corpus/forfragningsunderlag/ and the four
Botkyrka mission descriptions (../shared/corpus/other/botkyrka-uppdragsbeskrivning-*.md). Verdicts
live in eval/reports/lint_real_verdicts.jsonl, one JSON object a line:
{"draft", "rule", "quote" (the start of the clause) or "missing": true, "verdict": "real" | "false" |
"duplicate", "why"}; precision = real / all judged findings. Lint runs without an index (no sources).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.lint.draft import read_draft  # noqa: E402
from assistant.lint.engine import lint_draft  # noqa: E402
from assistant.lint.rules import load_rules  # noqa: E402
from assistant.text import normalize  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
VERDICTS = ROOT / "eval" / "reports" / "lint_real_verdicts.jsonl"
VERDICT_SV = {"real": "verkligt problem", "false": "falskt larm", "duplicate": "dubblett"}


def documents(corpus: Path) -> list[Path]:
    tenders = sorted((corpus / "forfragningsunderlag").glob("*.pdf"))
    missions = sorted((corpus / "other").glob("botkyrka-uppdragsbeskrivning-*.md"))
    return tenders + missions


def _key(text: str | None) -> str:
    return normalize(text or "")[:70]


def load_verdicts(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def verdict_for(draft: str, finding: dict, verdicts: list[dict], used: set[int] | None = None) -> dict | None:
    """The verdict on a finding: the first matching one not yet used (a clause a document repeats has
    one verdict per occurrence, in order), else the first matching one."""
    matching = []
    for number, v in enumerate(verdicts):
        if v["draft"] != draft or v["rule"] != finding["rule"]:
            continue
        if (v.get("missing") and finding["missing"]) or (
            v.get("quote") and finding["quote"] and _key(finding["quote"]).startswith(_key(v["quote"]))
        ):
            matching.append(number)
    if not matching:
        return None
    number = next((n for n in matching if used is None or n not in used), matching[0])
    if used is not None:
        used.add(number)
    return verdicts[number]


def run(corpus: Path) -> list[tuple[str, dict, list[dict]]]:
    rules = load_rules()
    out = []
    for path in documents(corpus):
        draft = read_draft(path)
        findings = [f.public() for f in lint_draft(draft, rules)]
        out.append((path.name, draft.classification.public(), findings))
    return out


def saved(path: Path) -> list[tuple[str, dict, list[dict]]]:
    """Findings saved as `styrdok lint --json` output (drafts without a classification get a placeholder)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    none = {"kind": "-", "label": "ingen klassning", "reason": "sparade fynd från före klassningen"}
    return [(d["draft"], d.get("classification") or none, d["findings"]) for d in data["drafts"]]


def _where(f: dict) -> str:
    parts = [f"p. {f['section']}" if f["section"] else "", f"s. {f['page']}" if f["page"] else ""]
    parts = [p for p in parts if p] or ([f"rad {f['line']}"] if f["line"] else ["saknas"])
    return ", ".join(parts)


def _flat(text: str | None, size: int = 150) -> str:
    text = " ".join((text or "").split()).replace("|", "\\|")
    return text if len(text) <= size else text[: size - 1] + "…"


def markdown(results, verdicts: list[dict]) -> str:
    lines = []
    totals = {"real": 0, "false": 0, "duplicate": 0, "unjudged": 0}
    used: set[int] = set()
    for name, classification, findings in results:
        lines += [f"### {name}", "", f"Klassning: **{classification['label']}** – {classification['reason']}", ""]
        if not findings:
            lines += ["Inga fynd.", ""]
            continue
        lines += ["| # | regel | var | fynd | bedömning | varför |", "|---|---|---|---|---|---|"]
        for i, f in enumerate(findings, start=1):
            v = verdict_for(name, f, verdicts, used)
            verdict = v["verdict"] if v else "unjudged"
            totals[verdict] += 1
            what = "saknas i dokumentet" if f["missing"] else f"”{_flat(f['quote'])}”"
            also = f" (+{len(f.get('also', []))} ställen)" if f.get("also") else ""
            lines.append(
                f"| {i} | {f['rule']} ({f['severity']}) | {_where(f)} | {what}{also} | "
                f"{VERDICT_SV.get(verdict, 'ej bedömd')} | {_flat(v['why'] if v else '', 200)} |"
            )
        lines.append("")
    judged = totals["real"] + totals["false"] + totals["duplicate"]
    precision = totals["real"] / judged if judged else 0.0
    lines.insert(
        0,
        f"Fynd: {judged + totals['unjudged']}; verkliga problem {totals['real']}, falska larm {totals['false']}, "
        f"dubbletter {totals['duplicate']}, ej bedömda {totals['unjudged']}; **precision {precision:.2f}**.\n",
    )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--verdicts", type=Path, default=VERDICTS)
    parser.add_argument("--unjudged", action="store_true", help="Visa bara fynd utan bedömning.")
    parser.add_argument("--markdown", type=Path, help="Skriv tabellen per fynd som Markdown.")
    parser.add_argument("--json", action="store_true", help="Skriv fynden som JSON (samma form som styrdok lint).")
    parser.add_argument("--findings", type=Path, help="Bedöm sparade fynd (JSON från styrdok lint) i stället.")
    args = parser.parse_args()
    start = time.perf_counter()
    results = saved(args.findings) if args.findings else run(args.corpus)
    seconds = time.perf_counter() - start
    verdicts = load_verdicts(args.verdicts)
    if args.json:
        drafts = [{"draft": n, "classification": c, "findings": f} for n, c, f in results]
        print(json.dumps({"drafts": drafts}, ensure_ascii=False, indent=2))
        return
    if args.markdown:
        args.markdown.write_text(markdown(results, verdicts), encoding="utf-8")
    counts = {"real": 0, "false": 0, "duplicate": 0, None: 0}
    used: set[int] = set()
    for name, classification, findings in results:
        print(f"== {name}: {classification['label']} ({classification['kind']}) – {classification['reason']}")
        for i, f in enumerate(findings, start=1):
            v = verdict_for(name, f, verdicts, used)
            counts[v["verdict"] if v else None] += 1
            if args.unjudged and v:
                continue
            mark = v["verdict"] if v else "?"
            what = "SAKNAS" if f["missing"] else _flat(f["quote"], 200)
            also = f" +{len(f['also'])}" if f.get("also") else ""
            print(f"  {i:2} [{mark:9}] {f['rule']:20} {f['severity']:7} {_where(f):22}{also} {what}")
            print(f"      {_flat(f['message'], 260)}")
    judged = counts["real"] + counts["false"] + counts["duplicate"]
    total = judged + counts[None]
    precision = counts["real"] / judged if judged else 0.0
    print(
        f"\n{total} fynd: {counts['real']} verkliga, {counts['false']} falska larm, {counts['duplicate']} dubbletter, "
        f"{counts[None]} ej bedömda. Precision {precision:.2f}. Granskning {seconds:.1f} s."
    )


if __name__ == "__main__":
    main()
